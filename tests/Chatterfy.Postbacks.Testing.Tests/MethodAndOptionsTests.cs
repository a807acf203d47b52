using System.Net;
using System.Text.Json;
using Chatterfy.Postbacks.Networks;
using Chatterfy.Postbacks.Testing.Tests.Infrastructure;
using Xunit;

namespace Chatterfy.Postbacks.Testing.Tests;

/// <summary>How a postback is sent: GET or POST, parameter overrides, and the simulator's own checks.</summary>
public sealed class MethodAndOptionsTests
{
    [Fact]
    public async Task A_form_post_sends_the_query_as_the_body_and_is_accepted()
    {
        await using var host = await ReceiverHost.StartAsync();
        var set = await host.Simulator.CreateSetAsync(NetworkIds.Binomo);
        var clickId = await host.Simulator.CreateClickAsync();

        var result = (await host.Simulator.SendAsync(
            set.Urls,
            new BinomoPostback(SimulatedEvent.Deposit, clickId) { Amount = 12.50m, TransactionId = "88125" },
            new PostbackSimulationOptions { Method = SimulatedPostbackMethod.PostForm, CommaDecimals = true })).Single();

        result.Method.Should().Be("POST");
        result.Url.Should().EndWith("/deposit");
        result.RequestBody.Should().Be($"click_id={clickId}&amount=12,50&transaction_id=88125");
        result.Status.Should().Be("accepted", result.ToString());
        (await host.GetConversionsAsync(clickId)).Single().GetProperty("amount").GetDecimal().Should().Be(12.50m);
    }

    [Fact]
    public async Task A_json_post_sends_the_decoded_parameters_as_an_object_and_is_accepted()
    {
        await using var host = await ReceiverHost.StartAsync();
        var set = await host.Simulator.CreateSetAsync(NetworkIds.OneWin, settingsJson: """{"clickIdSub":"sub4"}""");
        var clickId = await host.Simulator.CreateClickAsync();

        var result = (await host.Simulator.SendAsync(
            set.Urls,
            new OneWinPostback(SimulatedEvent.FirstDeposit, clickId) { ClickIdSub = "sub4", Amount = 7.5m, TransactionId = "T 1", Country = "BR" },
            new PostbackSimulationOptions { Method = SimulatedPostbackMethod.PostJson })).Single();

        result.Method.Should().Be("POST");
        result.Url.Should().EndWith("/first-deposit");
        var body = JsonDocument.Parse(result.RequestBody!).RootElement;
        body.GetProperty("clickid").GetString().Should().Be(clickId);
        body.GetProperty("tid").GetString().Should().Be("T 1");
        body.GetProperty("fields.country").GetString().Should().Be("BR");
        result.Status.Should().Be("accepted", result.ToString());
        var conversion = (await host.GetConversionsAsync(clickId)).Single();
        conversion.GetProperty("amount").GetDecimal().Should().Be(7.5m);
        conversion.GetProperty("tid").GetString().Should().Be("T 1");
    }

    [Fact]
    public async Task Parameters_override_in_place_remove_with_null_and_append_new_names()
    {
        await using var host = await ReceiverHost.StartAsync();
        var set = await host.Simulator.CreateSetAsync(NetworkIds.OneWin);
        var clickId = await host.Simulator.CreateClickAsync();

        var result = (await host.Simulator.SendAsync(
            set.Urls,
            new OneWinPostback(SimulatedEvent.Deposit, clickId) { Amount = 1m, TransactionId = "T-1" },
            new PostbackSimulationOptions
            {
                Parameters = new Dictionary<string, string?> { ["amount"] = "3.25 USD", ["fields.country"] = null, ["fields.source"] = "a&b" },
            })).Single();

        new Uri(result.Url).Query.Should().Be($"?clickid={clickId}&fields.user_id=&amount=3.25%20USD&tid=T-1&fields.source=a%26b");
        result.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        result.Code.Should().Be("amount_invalid");
    }

    [Fact]
    public async Task An_event_parameter_added_to_the_bare_url_names_the_event()
    {
        await using var host = await ReceiverHost.StartAsync();
        var set = await host.Simulator.CreateSetAsync(NetworkIds.OneWin);
        var clickId = await host.Simulator.CreateClickAsync();

        var result = (await host.Simulator.SendAsync(
            set.Urls,
            new OneWinPostback(SimulatedEvent.Deposit, clickId) { Target = PostbackTarget.BareUrl, Amount = 4m, TransactionId = "T-4" },
            new PostbackSimulationOptions { Parameters = new Dictionary<string, string?> { ["event"] = "deposit" } })).Single();

        result.Status.Should().Be("accepted", result.ToString());
        (await host.GetConversionsAsync(clickId)).Single().GetProperty("event").GetString().Should().Be("deposit");
    }

    [Fact]
    public async Task Retries_and_concurrent_copies_multiply_into_rounds_sent_one_after_another()
    {
        await using var host = await ReceiverHost.StartAsync();
        var set = await host.Simulator.CreateSetAsync(NetworkIds.Binomo);
        var clickId = await host.Simulator.CreateClickAsync();

        var results = await host.Simulator.SendAsync(
            set.Urls,
            new BinomoPostback(SimulatedEvent.Registration, clickId),
            new PostbackSimulationOptions { Retries = 1, ConcurrentCopies = 3 });

        results.Select(r => (r.Attempt, r.Copy)).Should().Equal((1, 1), (1, 2), (1, 3), (2, 1), (2, 2), (2, 3));
        results.Count(r => r.Status == "accepted").Should().Be(1);
        results.Skip(3).Should().OnlyContain(r => r.Status == "duplicate");
    }

    [Fact]
    public async Task Results_are_stamped_by_the_simulators_clock()
    {
        await using var host = await ReceiverHost.StartAsync();
        var set = await host.Simulator.CreateSetAsync(NetworkIds.Binomo);
        host.Time.Advance(TimeSpan.FromMinutes(5));

        var result = (await host.Simulator.SendAsync(set.Urls, new BinomoPostback(SimulatedEvent.Registration, "unknownClick1"))).Single();

        result.SentAt.Should().Be(ReceiverHost.Start.AddMinutes(5));
        result.Elapsed.Should().Be(TimeSpan.Zero);
        result.Status.Should().Be("unattributed");
        result.Warnings.Should().Equal("click_unknown");
    }

    [Fact]
    public async Task An_unknown_token_is_answered_404_without_a_body()
    {
        await using var host = await ReceiverHost.StartAsync();
        var set = await host.Simulator.CreateSetAsync(NetworkIds.Binomo);
        var unknown = set.Urls with { Registration = $"{ReceiverHost.PublicBaseUrl}/api/postbacks/AAAAAAAAAAAAAAAAAAAAAA/registration" };

        var result = (await host.Simulator.SendAsync(unknown, new BinomoPostback(SimulatedEvent.Registration, "abc"))).Single();

        result.StatusCode.Should().Be(HttpStatusCode.NotFound);
        result.Acknowledged.Should().BeFalse();
        result.Status.Should().BeNull();
        result.Code.Should().BeNull();
        result.ResponseBody.Should().BeEmpty();
    }

    [Fact]
    public async Task A_macro_to_leave_unsubstituted_that_the_url_lacks_is_refused_before_sending()
    {
        await using var host = await ReceiverHost.StartAsync();
        var set = await host.Simulator.CreateSetAsync(NetworkIds.OneWin);

        var send = () => host.Simulator.SendAsync(
            set.Urls,
            new OneWinPostback(SimulatedEvent.Registration, "abc"),
            new PostbackSimulationOptions { LeaveUnsubstituted = ["{amount}"] });

        (await send.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("{amount}");
        (await host.GetStatsAsync()).GetProperty("rejected").GetInt64().Should().Be(0);
    }

    [Theory]
    [InlineData(-1, 1)]
    [InlineData(0, 0)]
    public async Task Negative_retries_or_no_copies_are_refused(int retries, int copies)
    {
        await using var host = await ReceiverHost.StartAsync();
        var set = await host.Simulator.CreateSetAsync(NetworkIds.Binomo);

        var send = () => host.Simulator.SendAsync(
            set.Urls,
            new BinomoPostback(SimulatedEvent.Registration, "abc"),
            new PostbackSimulationOptions { Retries = retries, ConcurrentCopies = copies });

        await send.Should().ThrowAsync<ArgumentOutOfRangeException>();
    }
}
