using Chatterfy.Postbacks.Forwarding.Facebook;
using Chatterfy.Postbacks.Forwarding.Tests.Infrastructure;

namespace Chatterfy.Postbacks.Forwarding.Tests;

/// <summary>Batching and Meta's error rules: what is retried, what is dead-lettered, and how one bad event is isolated.</summary>
public sealed class FacebookConversionsDeliveryTests
{
    private const string Capi = FacebookConversionsDestination.DestinationId;

    private static ForwardedConversion[] Deposits(int count, params string[] ids) =>
        [.. (ids.Length > 0 ? ids : Enumerable.Range(0, count).Select(i => $"conv-{i:D4}")).Select(id => ForwardingHost.Message(id, amount: 10m, click: ForwardingHost.BrowserClick()))];

    [Fact]
    public async Task SendsOneThousandAndOneEventsInTwoCalls()
    {
        await using var graph = await FakeDestination.StartAsync(Graph.Received);
        await using var host = ForwardingHost.Create();
        var profile = await host.ProfileAsync(Capi, Graph.Settings(graph));
        profile.MaxBatchSize.Should().Be(1000);

        var outcomes = await host.SendAsync(profile, Capi, Deposits(1001));

        outcomes.Should().HaveCount(1001).And.OnlyContain(o => o.Status == DeliveryStatus.Delivered);
        graph.Requests.Select(r => Graph.Events(r).Count).Should().Equal(1000, 1);
        graph.Requests.SelectMany(Graph.EventIds).Should().Equal(Deposits(1001).Select(m => m.Conversion.Id), "every event is sent once, in order");
    }

    [Fact]
    public async Task DeadLettersAnEventOlderThanSevenDaysWithoutSendingIt()
    {
        await using var graph = await FakeDestination.StartAsync(Graph.Received);
        await using var host = ForwardingHost.Create();
        var profile = await host.ProfileAsync(Capi, Graph.Settings(graph));
        var old = ForwardingHost.Message("old", amount: 1m, click: ForwardingHost.BrowserClick(), receivedAt: ForwardingHost.Now.AddDays(-7).AddSeconds(-1));
        var fresh = ForwardingHost.Message("fresh", amount: 1m, click: ForwardingHost.BrowserClick(), receivedAt: ForwardingHost.Now.AddDays(-6));

        var outcomes = await host.SendAsync(profile, Capi, old, fresh);

        outcomes[0].Status.Should().Be(DeliveryStatus.DeadLetter);
        outcomes[0].ErrorCode.Should().Be(DeliveryErrorCodes.EventTooOld);
        outcomes[0].Reason.Should().Contain("more than 7 days ago");
        outcomes[1].Status.Should().Be(DeliveryStatus.Delivered);
        graph.Requests.Should().ContainSingle().Which.Body.Should().NotContain("\"old\"");
    }

    [Fact]
    public async Task MakesNoCallWhenEveryEventIsTooOld()
    {
        await using var graph = await FakeDestination.StartAsync(Graph.Received);
        await using var host = ForwardingHost.Create();
        var profile = await host.ProfileAsync(Capi, Graph.Settings(graph));

        var outcomes = await host.SendAsync(profile, Capi, ForwardingHost.Message("old", amount: 1m, click: ForwardingHost.BrowserClick(), receivedAt: ForwardingHost.Now.AddDays(-8)));

        outcomes.Single().ErrorCode.Should().Be(DeliveryErrorCodes.EventTooOld);
        graph.Requests.Should().BeEmpty();
    }

    [Theory]
    [InlineData(400, 4)]
    [InlineData(400, 17)]
    [InlineData(400, 32)]
    [InlineData(400, 613)]
    [InlineData(400, 80004)]
    public async Task RetriesMetasThrottlingCodes(int status, int code)
    {
        await using var graph = await FakeDestination.StartAsync(_ => Graph.Error(status, code, message: "Application request limit reached"));
        await using var host = ForwardingHost.Create();
        var profile = await host.ProfileAsync(Capi, Graph.Settings(graph));

        var outcomes = await host.SendAsync(profile, Capi, Deposits(3));

        outcomes.Should().OnlyContain(o => o.Status == DeliveryStatus.Retry && o.ErrorCode == DeliveryErrorCodes.Throttled);
        outcomes[0].DestinationError!.Code.Should().Be(code.ToString(System.Globalization.CultureInfo.InvariantCulture));
        graph.Requests.Should().ContainSingle("throttling is never answered by splitting the batch");
    }

    [Fact]
    public async Task RetriesAnErrorMetaMarksTransient()
    {
        await using var graph = await FakeDestination.StartAsync(_ => Graph.Error(400, 100, subcode: 1234, transient: true));
        await using var host = ForwardingHost.Create();
        var profile = await host.ProfileAsync(Capi, Graph.Settings(graph));

        var outcome = (await host.SendAsync(profile, Capi, Deposits(1))).Single();

        outcome.Status.Should().Be(DeliveryStatus.Retry);
        outcome.DestinationError!.IsTransient.Should().BeTrue();
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    public async Task RetriesServerErrors(int status)
    {
        await using var graph = await FakeDestination.StartAsync(_ => new FakeAnswer(status, "upstream failure"));
        await using var host = ForwardingHost.Create();
        var profile = await host.ProfileAsync(Capi, Graph.Settings(graph));

        var outcome = (await host.SendAsync(profile, Capi, Deposits(1))).Single();

        outcome.Status.Should().Be(DeliveryStatus.Retry);
        outcome.HttpStatusCode.Should().Be(status);
        outcome.ResponseExcerpt.Should().Be("upstream failure");
    }

    [Fact]
    public async Task TakesTheThrottlingHintFromTheBusinessUseCaseHeader()
    {
        var usage = """{"1234567890":[{"type":"ads_management","call_count":100,"total_cputime":25,"total_time":25,"estimated_time_to_regain_access":7}]}""";
        await using var graph = await FakeDestination.StartAsync(_ => Graph.Error(400, 80004) with { Headers = new Dictionary<string, string> { ["X-Business-Use-Case-Usage"] = usage } });
        await using var host = ForwardingHost.Create();
        var profile = await host.ProfileAsync(Capi, Graph.Settings(graph));

        var outcome = (await host.SendAsync(profile, Capi, Deposits(1))).Single();

        outcome.RetryAfter.Should().Be(TimeSpan.FromMinutes(7));
    }

    [Fact]
    public async Task DeadLettersAPermanentErrorWithMetasCodeSubcodeAndTraceId()
    {
        await using var graph = await FakeDestination.StartAsync(_ => Graph.Error(400, 100, subcode: 2804003, traceId: "AxYz123", message: "Invalid parameter"));
        await using var host = ForwardingHost.Create();
        var profile = await host.ProfileAsync(Capi, Graph.Settings(graph));

        var outcome = (await host.SendAsync(profile, Capi, Deposits(1))).Single();

        outcome.Status.Should().Be(DeliveryStatus.DeadLetter);
        outcome.ErrorCode.Should().Be(DeliveryErrorCodes.DestinationError);
        outcome.HttpStatusCode.Should().Be(400);
        outcome.DestinationError.Should().BeEquivalentTo(new DestinationError
        {
            Code = "100",
            Subcode = "2804003",
            TraceId = "AxYz123",
            Type = "OAuthException",
            Message = "Invalid parameter",
        });
        outcome.Reason.Should().Contain("code 100").And.Contain("subcode 2804003");
        outcome.ResponseExcerpt.Should().Contain("AxYz123");
    }

    [Fact]
    public async Task SplitsAFailedBatchSoOneBadEventDoesNotDeadLetterItsNeighbours()
    {
        await using var graph = await FakeDestination.StartAsync(request => Graph.EventIds(request).Contains("bad")
            ? Graph.Error(400, 100, subcode: 2804019, traceId: "BadTrace")
            : Graph.Received(request));
        await using var host = ForwardingHost.Create();
        var profile = await host.ProfileAsync(Capi, Graph.Settings(graph));

        var outcomes = await host.SendAsync(profile, Capi, Deposits(0, "a", "b", "c", "bad", "e", "f", "g", "h"));

        outcomes.Select(o => o.Status).Should().Equal(
            DeliveryStatus.Delivered, DeliveryStatus.Delivered, DeliveryStatus.Delivered, DeliveryStatus.DeadLetter,
            DeliveryStatus.Delivered, DeliveryStatus.Delivered, DeliveryStatus.Delivered, DeliveryStatus.Delivered);
        outcomes[3].DestinationError!.TraceId.Should().Be("BadTrace");
        graph.Requests.Select(r => Graph.EventIds(r).Count).Should().Equal([8, 4, 2, 2, 1, 1, 4], "halves are sent, depth first, until the bad event stands alone");
        graph.Requests.Where(r => r.Body.Contains("\"bad\"", StringComparison.Ordinal)).Should().HaveCount(4);
    }

    [Fact]
    public async Task DoesNotSplitABatchRefusedForAnInvalidToken()
    {
        await using var graph = await FakeDestination.StartAsync(_ => Graph.Error(401, 190, message: "Invalid OAuth access token."));
        await using var host = ForwardingHost.Create();
        var profile = await host.ProfileAsync(Capi, Graph.Settings(graph));

        var outcomes = await host.SendAsync(profile, Capi, Deposits(16));

        outcomes.Should().OnlyContain(o => o.Status == DeliveryStatus.DeadLetter && o.DestinationError!.Code == "190");
        graph.Requests.Should().ContainSingle("every event would get the same answer");
    }

    [Fact]
    public async Task DefersWhatItCannotIsolateWithinItsCallBudget()
    {
        await using var graph = await FakeDestination.StartAsync(_ => Graph.Error(400, 100, subcode: 2804050));
        await using var host = ForwardingHost.Create();
        var profile = await host.ProfileAsync(Capi, Graph.Settings(graph));

        var outcomes = await host.SendAsync(profile, Capi, Deposits(200));

        graph.Requests.Should().HaveCount(FacebookConversionsProfile.MaxCallsPerDelivery);
        outcomes.Should().OnlyContain(o => o.Status == DeliveryStatus.DeadLetter || o.ErrorCode == DeliveryErrorCodes.IsolationDeferred);
        outcomes.Should().Contain(o => o.ErrorCode == DeliveryErrorCodes.IsolationDeferred && o.Status == DeliveryStatus.Retry);
    }

    [Fact]
    public async Task RetriesWhenTheGraphApiCannotBeReached()
    {
        await using var host = ForwardingHost.Create();
        var profile = await host.ProfileAsync(Capi, new { pixelId = Graph.PixelId, accessToken = Graph.AccessToken, graphBaseUrl = $"http://127.0.0.1:{ForwardingHost.ClosedPort()}" });

        var outcomes = await host.SendAsync(profile, Capi, Deposits(2));

        outcomes.Should().OnlyContain(o => o.Status == DeliveryStatus.Retry && o.ErrorCode == DeliveryErrorCodes.NetworkError && o.HttpStatusCode == null);
    }
}
