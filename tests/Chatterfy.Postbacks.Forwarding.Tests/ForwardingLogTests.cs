using System.Text.Json;
using Chatterfy.Postbacks.Forwarding.Facebook;
using Chatterfy.Postbacks.Forwarding.HttpPostback;
using Chatterfy.Postbacks.Forwarding.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Chatterfy.Postbacks.Forwarding.Tests;

/// <summary>What forwarding writes to the logs, every category at Trace: destination ids, hosts and statuses, never a rendered URL.</summary>
public sealed class ForwardingLogTests
{
    // A postback path that is a key, as trackers hand them out, and a query with the conversion's values.
    private const string KeyPath = "/form/aDsHSQnhenrV/X3";

    [Fact]
    public async Task NoLogLineAtAnyLevelCarriesARenderedForwardingUrl()
    {
        await using var tracker = await FakeDestination.StartAsync(request => request.Query.Contains("tx-fail", StringComparison.Ordinal) ? new FakeAnswer(503) : FakeAnswer.Ok());
        await using var graph = await FakeDestination.StartAsync(Graph.Received);
        await using var scenario = OutboxScenario.Create(services: services => services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddFakeLogging()));
        var set = await scenario.CreateSetAsync();
        await scenario.FacebookRuleAsync(graph, setId: set.Id);
        await scenario.Rules.CreateAsync(new NewForwardingRule
        {
            SetId = set.Id,
            DestinationId = HttpPostbackDestination.DestinationId,
            Settings = JsonSerializer.SerializeToElement(new { urlTemplate = tracker.BaseUrl + KeyPath + "?cid={{click.id}}&txid={{conversion.tid}}" }),
        });
        await scenario.Rules.CreateAsync(new NewForwardingRule
        {
            SetId = set.Id,
            DestinationId = HttpPostbackDestination.DestinationId,
            Settings = JsonSerializer.SerializeToElement(new { urlTemplate = $"http://127.0.0.1:{ForwardingHost.ClosedPort()}{KeyPath}?cid={{{{click.id}}}}&txid={{{{conversion.tid}}}}" }),
        });
        var delivered = await scenario.FirstDepositAsync(set, await scenario.CreateClickAsync(), transactionId: "tx-ok");
        var failed = await scenario.FirstDepositAsync(set, await scenario.CreateClickAsync(), transactionId: "tx-fail");

        (await scenario.Dispatcher.DispatchOnceAsync()).Should().Be(6);

        tracker.Requests.Should().HaveCount(2);
        graph.Requests.Should().ContainSingle();
        var logs = scenario.Host.Provider.GetFakeLogCollector().GetSnapshot();
        logs.Should().Contain(r => r.Category == "Polly", "the resilience pipeline's logs are seen too");
        logs.Should().Contain(
            r => r.Level == LogLevel.Debug && r.Message.StartsWith("Destination http-postback: GET to 127.0.0.1 answered 503 in ", StringComparison.Ordinal),
            "a call is logged with the destination id, the host and the status");
        logs.Should().Contain(
            r => r.Level == LogLevel.Debug && r.Message.StartsWith("Destination http-postback: GET to 127.0.0.1 failed after ", StringComparison.Ordinal) && r.Message.EndsWith("(HttpRequestException)", StringComparison.Ordinal),
            "a failed call is logged with the destination id, the host and the failure's type");
        var rendered = new[] { KeyPath, "aDsHSQnhenrV", "tx-ok", "tx-fail", $"/{FacebookConversionsDestination.DefaultApiVersion}/{Graph.PixelId}/events" };
        foreach (var record in logs)
        {
            var text = $"{record.Category} {record.Message} {record.Exception} {string.Join(' ', record.StructuredState?.Select(p => p.Value) ?? [])} {string.Join(' ', record.Scopes)}";
            text.Should().NotContainAny(rendered, $"a log line ({record.Category}, {record.Level}) must not carry a rendered forwarding URL");
        }

        delivered.ConversionId.Should().NotBeNull();
        failed.ConversionId.Should().NotBeNull();
    }
}
