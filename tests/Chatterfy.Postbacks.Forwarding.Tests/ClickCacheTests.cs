using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Forwarding.Tests.Infrastructure;
using Chatterfy.Postbacks.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Chatterfy.Postbacks.Forwarding.Tests;

/// <summary>
/// Ingestion attributes from a cache of what never changes about a click (id, campaign, creation time); personal data is
/// read from the store by whoever needs it. Two instances are two hosts over one shared store.
/// </summary>
public sealed class ClickCacheTests
{
    [Fact]
    public async Task PersonalDataErasedOnInstanceA_InstanceBThatCachedTheClick_ForwardsNoneOfIt()
    {
        await using var graph = await FakeDestination.StartAsync(Graph.Received);
        var shared = InMemoryPostbackStorage.Create();
        await using var a = OutboxScenario.Create(services: s => s.AddChatterfyPostbacks().UseStorage(_ => shared));
        await using var b = OutboxScenario.Create(services: s => s.AddChatterfyPostbacks().UseStorage(_ => shared));
        var set = await a.CreateSetAsync();
        await a.FacebookRuleAsync(graph, setId: set.Id);

        // Instance B creates the click, so its cache holds it; instance A erases the click's personal data.
        var click = await b.CreateClickAsync();
        (await a.Host.Provider.GetRequiredService<ClickService>().ForgetPersonalDataAsync(click.Id)).Should().BeTrue();
        var result = await b.FirstDepositAsync(set, click);
        (await b.Dispatcher.DispatchOnceAsync()).Should().Be(1);

        result.Outcome.Should().Be(PostbackOutcome.Accepted, "B attributes the postback to the click it knows");
        var user = Graph.Events(graph.Requests.Should().ContainSingle().Subject).Single()["user_data"]!.AsObject();
        user.ContainsKey("client_ip_address").Should().BeFalse();
        user.ContainsKey("client_user_agent").Should().BeFalse();
        user.ContainsKey("fbc").Should().BeTrue("what was not erased is still forwarded");
    }
}
