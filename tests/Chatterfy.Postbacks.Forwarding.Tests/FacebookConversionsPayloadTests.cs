using System.Security.Cryptography;
using System.Text;
using Chatterfy.Postbacks.Forwarding.Facebook;
using Chatterfy.Postbacks.Forwarding.Tests.Infrastructure;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Tests.Approvals;

namespace Chatterfy.Postbacks.Forwarding.Tests;

/// <summary>What the Facebook destination sends, checked against a fake Graph API on 127.0.0.1.</summary>
public sealed class FacebookConversionsPayloadTests
{
    private const string Capi = FacebookConversionsDestination.DestinationId;

    [Fact]
    public async Task SendsAFirstDepositAsAPurchaseWithTheDocumentedShape()
    {
        await using var graph = await FakeDestination.StartAsync(Graph.Received);
        await using var host = ForwardingHost.Create();
        var profile = await host.ProfileAsync(Capi, Graph.Settings(graph, testEventCode: "TEST12345"));

        var outcomes = await host.SendAsync(profile, Capi, ForwardingHost.Message(
            "0195b2c1d2e37f4a8b9c0d1e2f3a4b5c", PostbackEvent.FirstDeposit, amount: 1234.50m, currency: "USD",
            click: ForwardingHost.BrowserClick(), transactionId: "88123"));

        outcomes.Should().ContainSingle().Which.Status.Should().Be(DeliveryStatus.Delivered);
        var request = graph.Requests.Should().ContainSingle().Subject;
        request.Method.Should().Be("POST");
        request.Path.Should().Be($"/v21.0/{Graph.PixelId}/events");
        request.ContentType.Should().Be("application/json; charset=utf-8");
        Approver.Verify(Graph.Indented(request.Body), "facebook-purchase-payload");
    }

    [Fact]
    public async Task WritesEachFieldByMetasRules()
    {
        await using var graph = await FakeDestination.StartAsync(Graph.Received);
        await using var host = ForwardingHost.Create();
        var profile = await host.ProfileAsync(Capi, Graph.Settings(graph));
        var click = ForwardingHost.BrowserClick();

        await host.SendAsync(profile, Capi, ForwardingHost.Message("conv-1", amount: 50.00m, currency: "EUR", click: click));

        var body = Graph.Body(graph.Requests.Single());
        ((string)body["access_token"]!).Should().Be(Graph.AccessToken);
        body.ContainsKey("test_event_code").Should().BeFalse();
        var e = Graph.Events(graph.Requests.Single()).Single();
        ((string)e["event_name"]!).Should().Be("Purchase");
        ((long)e["event_time"]!).Should().Be(ForwardingHost.Now.AddMinutes(-5).ToUnixTimeSeconds());
        ((string)e["event_id"]!).Should().Be("conv-1");
        ((string)e["action_source"]!).Should().Be("website", "the click has an event source URL and a user agent");
        ((string)e["event_source_url"]!).Should().Be(click.EventSourceUrl);
        var user = e["user_data"]!.AsObject();
        ((string)user["fbc"]!).Should().Be($"fb.1.{click.CreatedAt.ToUnixTimeMilliseconds()}.{click.Fbclid}");
        ((string)user["fbp"]!).Should().Be(click.Fbp);
        ((string)user["client_ip_address"]!).Should().Be("203.0.113.7");
        ((string)user["client_user_agent"]!).Should().Be(click.UserAgent);
        ((string)user["external_id"]!).Should().Be(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("777000111"))));
        e["custom_data"]!["value"]!.ToJsonString().Should().Be("50.00", "the decimal is written exactly, with its scale");
        ((string)e["custom_data"]!["currency"]!).Should().Be("EUR");
    }

    [Fact]
    public async Task KeepsACapturedFbcAndFallsBackToSystemGeneratedWithoutABrowser()
    {
        await using var graph = await FakeDestination.StartAsync(Graph.Received);
        await using var host = ForwardingHost.Create();
        var profile = await host.ProfileAsync(Capi, Graph.Settings(graph));
        var click = ForwardingHost.BrowserClick() with { Fbc = "fb.1.1700000000000.captured", EventSourceUrl = null };

        await host.SendAsync(profile, Capi, ForwardingHost.Message("conv-1", PostbackEvent.Registration, click: click));

        var e = Graph.Events(graph.Requests.Single()).Single();
        ((string)e["event_name"]!).Should().Be("CompleteRegistration");
        ((string)e["action_source"]!).Should().Be("system_generated");
        ((string)e["user_data"]!["fbc"]!).Should().Be("fb.1.1700000000000.captured");
        e.ContainsKey("custom_data").Should().BeFalse("a registration carries no value");
        e.ContainsKey("event_source_url").Should().BeFalse();
    }

    [Fact]
    public async Task UsesTheConfiguredActionSourceAndMapping()
    {
        await using var graph = await FakeDestination.StartAsync(Graph.Received);
        await using var host = ForwardingHost.Create();
        var profile = await host.ProfileAsync(Capi, Graph.Settings(
            graph, events: new Dictionary<string, string?> { ["resale"] = "Purchase", ["ftd"] = "FirstDeposit", ["emailconf"] = "Lead" }, actionSource: "chat"));

        profile.Forwards(PostbackEvent.Deposit).Should().BeTrue("resale is an alias of deposit");
        profile.Forwards(PostbackEvent.Registration).Should().BeTrue("the default mapping stays");
        PostbackEvent.TryParse("withdrawal", out var withdrawal).Should().BeTrue();
        profile.Forwards(withdrawal).Should().BeFalse();
        PostbackEvent.TryParse("emailconf", out var emailConfirmed).Should().BeTrue();

        await host.SendAsync(profile, Capi,
            ForwardingHost.Message("a", PostbackEvent.Deposit, amount: 10m, click: ForwardingHost.BrowserClick()),
            ForwardingHost.Message("b", PostbackEvent.FirstDeposit, amount: 20m, click: ForwardingHost.BrowserClick()),
            ForwardingHost.Message("c", emailConfirmed, click: ForwardingHost.BrowserClick()));

        var events = Graph.Events(graph.Requests.Single());
        events.Select(e => (string)e["event_name"]!).Should().Equal("Purchase", "FirstDeposit", "Lead");
        events.Select(e => (string)e["action_source"]!).Should().AllBe("chat");
    }

    [Fact]
    public async Task SendsTheSameEventIdForTheSameConversionOnEveryAttempt()
    {
        await using var graph = await FakeDestination.StartAsync(Graph.Received);
        await using var host = ForwardingHost.Create();
        var profile = await host.ProfileAsync(Capi, Graph.Settings(graph));
        graph.Answer(Graph.Error(500, 2, transient: true));

        var first = await host.SendAsync(profile, Capi, ForwardingHost.Message("conv-42", click: ForwardingHost.BrowserClick(), amount: 5m));
        host.Time.Advance(TimeSpan.FromMinutes(1));
        var restarted = await (await host.ProfileAsync(Capi, Graph.Settings(graph)))
            .SendAsync([ForwardingHost.Message("conv-42", click: ForwardingHost.BrowserClick(), amount: 5m, attempt: 2)], host.Registry.CreateHttpClient(Capi), default);

        first.Single().Status.Should().Be(DeliveryStatus.Retry);
        restarted.Single().Status.Should().Be(DeliveryStatus.Delivered);
        graph.Requests.Select(r => Graph.EventIds(r).Single()).Should().Equal("conv-42", "conv-42");
        graph.Requests.Select(r => (long)Graph.Events(r).Single()["event_time"]!).Distinct().Should().ContainSingle("the event time is the conversion's, not the attempt's");
    }

    [Fact]
    public async Task ClampsAnEventTimeInTheFutureToNow()
    {
        await using var graph = await FakeDestination.StartAsync(Graph.Received);
        await using var host = ForwardingHost.Create();
        var profile = await host.ProfileAsync(Capi, Graph.Settings(graph));

        await host.SendAsync(profile, Capi, ForwardingHost.Message("conv-1", amount: 1m, click: ForwardingHost.BrowserClick(), receivedAt: ForwardingHost.Now.AddMinutes(3)));

        ((long)Graph.Events(graph.Requests.Single()).Single()["event_time"]!).Should().Be(ForwardingHost.Now.ToUnixTimeSeconds());
    }

    [Fact]
    public async Task DeadLettersAConversionWithoutAnyUserDataWithoutCallingMeta()
    {
        await using var graph = await FakeDestination.StartAsync(Graph.Received);
        await using var host = ForwardingHost.Create();
        var profile = await host.ProfileAsync(Capi, Graph.Settings(graph));

        var outcome = (await host.SendAsync(profile, Capi, ForwardingHost.Message("conv-1", amount: 1m, click: null))).Single();

        outcome.Status.Should().Be(DeliveryStatus.DeadLetter);
        outcome.ErrorCode.Should().Be(DeliveryErrorCodes.MissingUserData);
        graph.Requests.Should().BeEmpty();
    }
}
