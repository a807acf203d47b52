using System.Net;
using System.Text.Json;
using Chatterfy.Postbacks.AspNetCore.Authentication;
using Chatterfy.Postbacks.Dashboard.Tests.Infrastructure;
using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.Networks;
using Chatterfy.Postbacks.Storage;
using Chatterfy.Postbacks.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Chatterfy.Postbacks.Dashboard.Tests.Pages.Forwarding;

/// <summary>
/// The outbox pages over real HTTP. The dispatcher is off, so messages stay as the test leaves them; one is dead-lettered
/// through the store's own lease and completion, as the dispatcher would.
/// </summary>
public sealed class OutboxPageTests
{
    [Fact]
    public async Task The_status_filter_lists_only_messages_of_that_status_and_a_word_that_is_no_status_is_answered_400()
    {
        await using var host = await StartAsync();
        var (pending, deadLettered) = await TwoMessagesAsync(host);
        using var client = host.CreateClient(withApiKey: true);

        var all = await client.GetStringAsync($"{DashboardHost.Prefix}/forwarding/outbox");
        var onlyDead = await client.GetStringAsync($"{DashboardHost.Prefix}/forwarding/outbox?status=dead-lettered");
        var onlyPending = await client.GetStringAsync($"{DashboardHost.Prefix}/forwarding/outbox?status=pending");
        var bad = await client.GetAsync($"{DashboardHost.Prefix}/forwarding/outbox?status=lost");

        all.Should().Contain($"""id="message-{pending}""").And.Contain($"""id="message-{deadLettered}""");
        onlyDead.Should().Contain($"""id="message-{deadLettered}""").And.NotContain($"""id="message-{pending}""")
            .And.Contain("""<option value="dead-lettered" selected>dead-lettered</option>""");
        onlyPending.Should().Contain($"""id="message-{pending}""").And.NotContain($"""id="message-{deadLettered}""");
        bad.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await bad.Content.ReadAsStringAsync()).Should().Contain("""<p class="error" id="outbox-status-error">The status is one of pending, delivered, dead-lettered.</p>""");
    }

    [Fact]
    public async Task An_empty_outbox_says_it_has_no_messages()
    {
        await using var host = await StartAsync();
        using var client = host.CreateClient(withApiKey: true);

        var response = await client.GetAsync($"{DashboardHost.Prefix}/forwarding/outbox?status=pending");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("""<p id="outbox-none">No outbox messages with status pending.</p>""");
    }

    [Fact]
    public async Task A_message_page_shows_its_attempts_and_Retry_makes_a_dead_letter_pending_again()
    {
        await using var host = await StartAsync();
        var (_, deadLettered) = await TwoMessagesAsync(host);
        using var client = host.CreateClient(withApiKey: true);

        var page = await client.GetAsync($"{DashboardHost.Prefix}/forwarding/outbox/{deadLettered}");
        var html = await page.Content.ReadAsStringAsync();
        html.Should().Contain("""<span class="badge dead-lettered">dead-lettered</span>""")
            .And.Contain("<td>http_500</td>")
            .And.Contain("The destination answered 500.")
            .And.Contain("""<button type="submit" id="retry-message">Retry</button>""");

        var retried = await ForwardingRulePageTests.PostAsync(client, page, $"forwarding/outbox/{deadLettered}/retry", []);

        retried.StatusCode.Should().Be(HttpStatusCode.Redirect);
        retried.Headers.Location!.ToString().Should().Be($"{DashboardHost.Prefix}/forwarding/outbox/{deadLettered}?retried=1");
        (await host.Services.GetRequiredService<OutboxStore>().GetAsync(deadLettered, CancellationToken.None))!.Status.Should().Be(OutboxMessageStatus.Pending);
        (await client.GetStringAsync(retried.Headers.Location)).Should().Contain("Retry scheduled");
    }

    [Fact]
    public async Task A_retry_post_without_its_antiforgery_token_is_refused_with_400_and_changes_nothing()
    {
        await using var host = await StartAsync();
        var (_, deadLettered) = await TwoMessagesAsync(host);
        using var client = host.CreateClient(withApiKey: true);

        var response = await client.PostAsync($"{DashboardHost.Prefix}/forwarding/outbox/{deadLettered}/retry", new FormUrlEncodedContent([]));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await host.Services.GetRequiredService<OutboxStore>().GetAsync(deadLettered, CancellationToken.None))!.Status.Should().Be(OutboxMessageStatus.DeadLettered);
    }

    private static Task<DashboardHost> StartAsync() => ForwardingRulePageTests.StartAsync();

    // Two credited registrations forwarded by an http-postback rule: two pending messages; the second is dead-lettered.
    private static async Task<(string Pending, string DeadLettered)> TwoMessagesAsync(DashboardHost host)
    {
        var apiKey = new KeyValuePair<string, string>(ChatterfyApiKeyDefaults.HeaderName, DashboardHost.ApiKey);
        using var http = host.CreateClient();
        var simulator = new PostbackSimulator(http);
        var set = await simulator.CreateSetAsync(NetworkIds.Binomo, apiKeyHeader: apiKey);
        await host.Services.GetRequiredService<ForwardingRuleService>().CreateAsync(new NewForwardingRule
        {
            SetId = set.Id,
            DestinationId = "http-postback",
            Settings = JsonDocument.Parse("""{"urlTemplate":"http://127.0.0.1:9/postback?cid={{click.id}}"}""").RootElement,
        });
        foreach (var transaction in new[] { "R-1", "R-2" })
        {
            var click = await simulator.CreateClickAsync(apiKeyHeader: apiKey);
            (await simulator.SendAsync(set.Urls, new BinomoPostback(SimulatedEvent.Registration, click) { TransactionId = transaction })).Single().Status.Should().Be("accepted");
        }

        var store = host.Services.GetRequiredService<OutboxStore>();
        var messages = await store.ListAsync(new OutboxQuery(), CancellationToken.None);
        messages.Should().HaveCount(2);
        var now = DateTimeOffset.UtcNow;
        var leased = await store.LeaseAsync(new OutboxLeaseRequest { LeaseId = "test-lease", Now = now.AddMinutes(1), Duration = TimeSpan.FromMinutes(1), MaxCount = 2 }, CancellationToken.None);
        var dead = leased.Single(m => m.Id == messages[0].Id);
        await store.CompleteAsync(
            [new OutboxCompletion
            {
                LeaseId = "test-lease",
                Status = OutboxMessageStatus.DeadLettered,
                CompletedAt = now.AddMinutes(1),
                Attempt = new OutboxAttempt
                {
                    MessageId = dead.Id,
                    Number = 1,
                    StartedAt = now.AddMinutes(1),
                    Status = DeliveryStatus.DeadLetter,
                    HttpStatusCode = 500,
                    ErrorCode = "http_500",
                    Reason = "The destination answered 500.",
                },
            }],
            CancellationToken.None);
        return (messages[1].Id, dead.Id);
    }
}
