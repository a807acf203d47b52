using Chatterfy.Postbacks.Forwarding.HttpPostback;
using Chatterfy.Postbacks.Forwarding.Tests.Infrastructure;

namespace Chatterfy.Postbacks.Forwarding.Tests;

/// <summary>One failing destination host opens its own circuit; other hosts on the same client keep receiving everything.</summary>
public sealed class CircuitBreakerTests
{
    private const string S2S = HttpPostbackDestination.DestinationId;

    [Fact]
    public async Task ADeadDestinationHostDoesNotStopDeliveriesToAHealthyOne()
    {
        await using var dead = await FakeDestination.StartAsync(_ => new FakeAnswer(503, "down"));
        await using var healthy = await FakeDestination.StartAsync();
        await using var host = ForwardingHost.Create(o => o.CircuitBreakerMinimumThroughput = 4);
        var toDead = await host.ProfileAsync(S2S, new { urlTemplate = dead.BaseUrl + "/pb?id={{conversion.id}}" });
        var toHealthy = await host.ProfileAsync(S2S, new { urlTemplate = healthy.BaseUrl + "/pb?id={{conversion.id}}" });
        var client = host.Registry.CreateHttpClient(S2S);
        var deadOutcomes = new List<DeliveryOutcome>();
        var healthyOutcomes = new List<DeliveryOutcome>();

        for (var i = 0; i < 20; i++)
        {
            deadOutcomes.AddRange(await toDead.SendAsync([ForwardingHost.Message($"d{i}")], client, default));
            healthyOutcomes.AddRange(await toHealthy.SendAsync([ForwardingHost.Message($"h{i}")], client, default));
        }

        healthy.Requests.Should().HaveCount(20, "the healthy host's circuit is its own");
        healthyOutcomes.Should().OnlyContain(o => o.Status == DeliveryStatus.Delivered);
        dead.Requests.Count.Should().BeLessThan(10, "once its circuit opened, calls to the dead host failed fast without reaching it");
        deadOutcomes.Should().OnlyContain(o => o.Status == DeliveryStatus.Retry);
        deadOutcomes.Should().Contain(o => o.ErrorCode == DeliveryErrorCodes.CircuitOpen && o.HttpStatusCode == null);
        deadOutcomes.First(o => o.ErrorCode == DeliveryErrorCodes.CircuitOpen).RetryAfter.Should().NotBeNull();
    }
}
