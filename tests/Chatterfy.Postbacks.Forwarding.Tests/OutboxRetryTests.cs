using Chatterfy.Postbacks.Forwarding.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Chatterfy.Postbacks.Forwarding.Tests;

/// <summary>Retry by hand (<see cref="OutboxDispatcher.RetryAsync"/>): which leases it clears, and that it wakes the hosted dispatcher.</summary>
public sealed class OutboxRetryTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task RetryAsync_MessageUnderALeaseNobodyRenews_ClearsIt_AndTheHostedDispatcherSendsItWithoutTheClockMoving()
    {
        await using var destination = await FakeDestination.StartAsync();
        await using var scenario = OutboxScenario.Create();
        var set = await scenario.CreateSetAsync();
        await scenario.PostbackRuleAsync(destination.BaseUrl, set.Id);
        var result = await scenario.FirstDepositAsync(set, await scenario.CreateClickAsync());
        var message = await scenario.MessageAsync(result.ConversionId!);

        // A dispatcher of another instance leased the message for 30 s and crashed 20 s ago.
        (await scenario.Store.Outbox.LeaseAsync(
            new OutboxLeaseRequest { LeaseId = "crashed", Now = ForwardingHost.Now, Duration = TimeSpan.FromSeconds(30), MaxCount = 10 }, default))
            .Should().ContainSingle();
        scenario.Host.Time.Advance(TimeSpan.FromSeconds(20));
        var service = HostedDispatcher(scenario);
        await service.StartAsync(CancellationToken.None);
        try
        {
            var retried = await scenario.Dispatcher.RetryAsync(message.Id);

            // The hosted dispatcher may lease (and even deliver) the message between the release and the reschedule:
            // what the retry returns is then that dispatcher's state, never the crashed instance's lease.
            retried!.LeaseId.Should().NotBe("crashed");
            if (retried is { Status: OutboxMessageStatus.Pending, LeaseId: null })
            {
                retried.NextAttemptAt.Should().Be(ForwardingHost.Now.AddSeconds(20));
            }

            await destination.WaitForRequestsAsync(1, Bound);
            await OutboxScenario.EventuallyAsync(
                async () => (await scenario.ReloadAsync(message)).Status == OutboxMessageStatus.Delivered,
                "the hosted dispatcher, woken by the retry, sends the message and records it");
            destination.Requests.Should().ContainSingle();
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task RetryAsync_MessageThisInstanceIsSending_KeepsItsLease_AndItIsNotSentAgain()
    {
        await using var scenario = OutboxScenario.Create(services: HangingDestination.Add);
        var set = await scenario.CreateSetAsync();
        await scenario.Rules.CreateAsync(new NewForwardingRule { SetId = set.Id, DestinationId = HangingDestination.DestinationId });
        var hanging = scenario.Host.Provider.GetRequiredService<HangingDestination.Calls>();
        var service = HostedDispatcher(scenario);
        await service.StartAsync(CancellationToken.None);
        var result = await scenario.FirstDepositAsync(set, await scenario.CreateClickAsync());
        await hanging.WaitForStartedAsync(1, Bound);
        var sending = await scenario.MessageAsync(result.ConversionId!);

        var retried = await scenario.Dispatcher.RetryAsync(sending.Id);
        await service.StopAsync(CancellationToken.None);

        retried!.LeaseId.Should().Be(sending.LeaseId);
        retried.NextAttemptAt.Should().Be(sending.NextAttemptAt);
        hanging.Started.Should().ContainSingle("the message is never sent twice at once by this instance");
    }

    [Fact]
    public async Task RetryAsync_MessageUnderALeaseRenewedRecently_KeepsIt()
    {
        await using var scenario = OutboxScenario.Create();
        var set = await scenario.CreateSetAsync();
        await scenario.PostbackRuleAsync("http://127.0.0.1:9", set.Id);
        var result = await scenario.FirstDepositAsync(set, await scenario.CreateClickAsync());
        var leased = (await scenario.Store.Outbox.LeaseAsync(
            new OutboxLeaseRequest { LeaseId = "another-instance", Now = ForwardingHost.Now, Duration = TimeSpan.FromSeconds(30), MaxCount = 10 }, default)).Single();

        // Renewed every 10 s, a live holder's lease never has less than 20 s left: with 16 s left it may still be sending.
        scenario.Host.Time.Advance(TimeSpan.FromSeconds(14));
        var retried = await scenario.Dispatcher.RetryAsync(leased.Id);

        retried.Should().BeEquivalentTo(leased);
        (await scenario.MessageAsync(result.ConversionId!)).Should().BeEquivalentTo(leased);
    }

    [Fact]
    public async Task RetryAsync_UnknownMessage_ReturnsNull()
    {
        await using var scenario = OutboxScenario.Create();

        (await scenario.Dispatcher.RetryAsync("no-such-message")).Should().BeNull();
    }

    private static OutboxDispatcherService HostedDispatcher(OutboxScenario scenario) =>
        scenario.Host.Provider.GetServices<IHostedService>().OfType<OutboxDispatcherService>().Single();
}
