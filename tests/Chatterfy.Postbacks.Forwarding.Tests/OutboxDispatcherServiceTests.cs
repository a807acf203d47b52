using System.Diagnostics.Metrics;
using System.Text.Json;
using Chatterfy.Postbacks.Forwarding.Tests.Infrastructure;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Chatterfy.Postbacks.Forwarding.Tests;

/// <summary>The hosted dispatcher, failures inside a pass, metrics, and the dispatcher's options.</summary>
public sealed class OutboxDispatcherServiceTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task HostedDispatcher_DeliversAnAcceptedConversion_WithoutAnExplicitPass()
    {
        await using var graph = await FakeDestination.StartAsync(Graph.Received);
        await using var scenario = OutboxScenario.Create();
        var set = await scenario.CreateSetAsync();
        var click = await scenario.CreateClickAsync();
        await scenario.FacebookRuleAsync(graph, setId: set.Id);
        var service = scenario.Host.Provider.GetServices<IHostedService>().OfType<OutboxDispatcherService>().Single();
        await service.StartAsync(CancellationToken.None);
        try
        {
            // The fake clock never moves: only ingestion's signal can wake the dispatcher.
            var result = await scenario.FirstDepositAsync(set, click);

            await graph.WaitForRequestsAsync(1, Bound);
            await OutboxScenario.EventuallyAsync(
                async () => (await scenario.MessageAsync(result.ConversionId!)).Status == OutboxMessageStatus.Delivered,
                "the hosted dispatcher records the delivery");
            Graph.EventIds(graph.Requests.Single()).Should().Equal(result.ConversionId);
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task HostedDispatcher_WhenDisabled_ReturnsAtOnce()
    {
        await using var scenario = OutboxScenario.Create(o => o.Dispatcher.Enabled = false);
        var service = scenario.Host.Provider.GetServices<IHostedService>().OfType<OutboxDispatcherService>().Single();

        await service.StartAsync(CancellationToken.None);

        await service.ExecuteTask!.WaitAsync(Bound);
        service.ExecuteTask.IsCompletedSuccessfully.Should().BeTrue();
        await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task HostedDispatcher_WhileADestinationNeverAnswers_SendsAnotherDestinationsMessages_WithoutTheClockMoving()
    {
        await using var healthy = await FakeDestination.StartAsync();
        await using var scenario = OutboxScenario.Create(services: HangingDestination.Add);
        var set = await scenario.CreateSetAsync();
        await scenario.Rules.CreateAsync(new NewForwardingRule { SetId = set.Id, DestinationId = HangingDestination.DestinationId });
        await scenario.PostbackRuleAsync(healthy.BaseUrl, set.Id);
        var hanging = scenario.Host.Provider.GetRequiredService<HangingDestination.Calls>();
        var service = HostedDispatcher(scenario);
        await service.StartAsync(CancellationToken.None);
        try
        {
            // The fake clock never moves: only ingestion's signal wakes the dispatcher, and nothing times the hanging call out.
            var first = await scenario.FirstDepositAsync(set, await scenario.CreateClickAsync(), transactionId: "1");
            await hanging.WaitForStartedAsync(1, Bound);
            await healthy.WaitForRequestsAsync(1, Bound);

            var secondClick = await scenario.CreateClickAsync();
            await scenario.FirstDepositAsync(set, secondClick, transactionId: "2");

            await healthy.WaitForRequestsAsync(2, Bound);
            healthy.Requests.Should().HaveCount(2).And.Contain(r => r.Query.StartsWith($"?cid={secondClick.Id}&", StringComparison.Ordinal));
            var messages = await scenario.MessagesAsync();
            await OutboxScenario.EventuallyAsync(
                async () => (await scenario.MessagesAsync()).Count(m => m.DestinationId == "http-postback" && m.Status == OutboxMessageStatus.Delivered) == 2,
                "both postbacks are recorded as delivered while the other destination still hangs");
            hanging.Started.Should().ContainSingle("the hanging destination has one call in flight; its second message waits for it")
                .Which.Should().Equal(messages.Single(m => m.ConversionId == first.ConversionId && m.DestinationId == HangingDestination.DestinationId).Id);
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task HostedDispatcher_LeavesTheBacklogOfABusyDestinationInTheStore_AndLeasesAnotherDestinationsMessage()
    {
        await using var healthy = await FakeDestination.StartAsync();
        await using var scenario = OutboxScenario.Create(o => o.Dispatcher.BatchSize = 2, HangingDestination.Add);
        var set = await scenario.CreateSetAsync();
        await scenario.Rules.CreateAsync(new NewForwardingRule { SetId = set.Id, DestinationId = HangingDestination.DestinationId });
        for (var i = 0; i < 5; i++)
        {
            await scenario.FirstDepositAsync(set, await scenario.CreateClickAsync(), transactionId: $"backlog-{i}");
        }

        var hanging = scenario.Host.Provider.GetRequiredService<HangingDestination.Calls>();
        var service = HostedDispatcher(scenario);
        await service.StartAsync(CancellationToken.None);
        try
        {
            await hanging.WaitForStartedAsync(1, Bound);
            await scenario.PostbackRuleAsync(healthy.BaseUrl, set.Id);
            var click = await scenario.CreateClickAsync();
            await scenario.FirstDepositAsync(set, click, transactionId: "after");

            await healthy.WaitForRequestsAsync(1, Bound);
            healthy.Requests.Should().ContainSingle().Which.Query.Should().StartWith($"?cid={click.Id}&");
            var backlog = (await scenario.MessagesAsync()).Where(m => m.DestinationId == HangingDestination.DestinationId).ToList();
            backlog.Should().HaveCount(6);
            backlog.Count(m => m.LeaseId is not null).Should().BeLessThanOrEqualTo(
                2, "the busy destination keeps what one lease gave it (one call in flight, one waiting); the rest is left in the store");
            hanging.Started.Should().ContainSingle();
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task HostedDispatcher_StoppedWhileASendIsInFlight_ReleasesItsLease_SoARestartSendsTheMessageAtOnce()
    {
        await using var scenario = OutboxScenario.Create(services: HangingDestination.Add);
        var set = await scenario.CreateSetAsync();
        await scenario.Rules.CreateAsync(new NewForwardingRule { SetId = set.Id, DestinationId = HangingDestination.DestinationId });
        var hanging = scenario.Host.Provider.GetRequiredService<HangingDestination.Calls>();
        var service = HostedDispatcher(scenario);
        await service.StartAsync(CancellationToken.None);
        var result = await scenario.FirstDepositAsync(set, await scenario.CreateClickAsync());
        await hanging.WaitForStartedAsync(1, Bound);
        (await scenario.MessageAsync(result.ConversionId!)).LeaseId.Should().NotBeNull("the send in flight holds the lease");

        await service.StopAsync(CancellationToken.None);

        hanging.Cancelled.Should().Be(1, "stopping cancels the send in flight");
        var message = await scenario.MessageAsync(result.ConversionId!);
        message.Status.Should().Be(OutboxMessageStatus.Pending);
        message.LeaseId.Should().BeNull("a graceful stop releases the leases it holds");
        message.LeaseExpiresAt.Should().BeNull();
        message.AttemptCount.Should().Be(0, "a send cut short records no attempt");
        var restarted = await scenario.Store.Outbox.LeaseAsync(
            new OutboxLeaseRequest { LeaseId = "restarted", Now = scenario.Host.Time.GetUtcNow(), Duration = TimeSpan.FromSeconds(30), MaxCount = 10 }, default);
        restarted.Should().ContainSingle("the next dispatcher takes the message at once, not when a lease ends");
    }

    [Fact]
    public async Task HostedDispatcher_RenewsTheLeaseOfASendInProgress_EveryThirdOfTheLease()
    {
        await using var scenario = OutboxScenario.Create(
            o =>
            {
                o.AttemptTimeout = TimeSpan.FromSeconds(10);
                o.Dispatcher.LeaseDuration = TimeSpan.FromSeconds(30);
            },
            HangingDestination.Add);
        var set = await scenario.CreateSetAsync();
        await scenario.Rules.CreateAsync(new NewForwardingRule { SetId = set.Id, DestinationId = HangingDestination.DestinationId });
        var hanging = scenario.Host.Provider.GetRequiredService<HangingDestination.Calls>();
        var service = HostedDispatcher(scenario);
        await service.StartAsync(CancellationToken.None);
        try
        {
            var result = await scenario.FirstDepositAsync(set, await scenario.CreateClickAsync());
            await hanging.WaitForStartedAsync(1, Bound);
            (await scenario.MessageAsync(result.ConversionId!)).LeaseExpiresAt.Should().Be(ForwardingHost.Now.AddSeconds(30));

            for (var third = 1; third <= 4; third++)
            {
                scenario.Host.Time.Advance(TimeSpan.FromSeconds(10));
                var expected = ForwardingHost.Now.AddSeconds((10 * third) + 30);
                await OutboxScenario.EventuallyAsync(
                    async () => (await scenario.MessageAsync(result.ConversionId!)).LeaseExpiresAt == expected,
                    $"the lease is renewed to {expected:O} after {third} third(s) of it");
            }

            var other = await scenario.Store.Outbox.LeaseAsync(
                new OutboxLeaseRequest { LeaseId = "other", Now = scenario.Host.Time.GetUtcNow(), Duration = TimeSpan.FromSeconds(30), MaxCount = 10 }, default);
            other.Should().BeEmpty("40 s after it began, the renewed lease of the send in progress still lives");
            hanging.Started.Should().ContainSingle();
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task DestinationThatThrows_IsRetriedWithDestinationException_AndOthersInThePassAreDelivered()
    {
        await using var healthy = await FakeDestination.StartAsync();
        await using var scenario = OutboxScenario.Create(services: s => s.AddChatterfyPostbacks().AddForwardingDestination<ThrowingDestination>(ThrowingDestination.DestinationId));
        var set = await scenario.CreateSetAsync();
        await scenario.Rules.CreateAsync(new NewForwardingRule { SetId = set.Id, DestinationId = ThrowingDestination.DestinationId });
        await scenario.PostbackRuleAsync(healthy.BaseUrl, set.Id);
        var result = await scenario.FirstDepositAsync(set, await scenario.CreateClickAsync());

        (await scenario.Dispatcher.DispatchOnceAsync()).Should().Be(2);

        var messages = await scenario.MessagesAsync(result.ConversionId);
        var thrown = messages.Single(m => m.DestinationId == ThrowingDestination.DestinationId);
        thrown.Status.Should().Be(OutboxMessageStatus.Pending);
        thrown.LastErrorCode.Should().Be(DeliveryErrorCodes.DestinationException);
        thrown.LastError.Should().Contain("InvalidOperationException").And.Contain("plugin bug");
        messages.Single(m => m.DestinationId == "http-postback").Status.Should().Be(OutboxMessageStatus.Delivered);
        healthy.Requests.Should().ContainSingle();
    }

    [Fact]
    public async Task Pass_RecordsAttemptsAndDurations_OnTheForwardingMeter()
    {
        await using var graph = await FakeDestination.StartAsync(Graph.Received);
        graph.Answer(new FakeAnswer(503));
        await using var scenario = OutboxScenario.Create(services: s => s.AddMetrics());
        var factory = scenario.Host.Provider.GetRequiredService<IMeterFactory>();
        var attempts = new List<(long Value, string? Destination, string? Status)>();
        var durations = new List<double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory) && instrument.Meter.Name == OutboxDispatcher.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var dictionary = tags.ToArray().ToDictionary(t => t.Key, t => t.Value as string);
            lock (attempts)
            {
                attempts.Add((value, dictionary.GetValueOrDefault("destination"), dictionary.GetValueOrDefault("status")));
            }
        });
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
        {
            lock (durations)
            {
                durations.Add(value);
            }
        });
        listener.Start();
        var set = await scenario.CreateSetAsync();
        await scenario.FacebookRuleAsync(graph, setId: set.Id);
        await scenario.FirstDepositAsync(set, await scenario.CreateClickAsync());

        await scenario.Dispatcher.DispatchOnceAsync();
        scenario.Host.Time.Advance(TimeSpan.FromMinutes(1));
        await scenario.Dispatcher.DispatchOnceAsync();

        attempts.Should().Equal((1, "facebook-capi", "retry"), (1, "facebook-capi", "delivered"));
        durations.Should().HaveCount(2).And.OnlyContain(d => d >= 0);
    }

    [Fact]
    public async Task DispatcherOptions_HaveDefaults_AndBindFromTheDispatcherSection()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Postbacks:Forwarding:Dispatcher:Enabled"] = "false",
            ["Postbacks:Forwarding:Dispatcher:BatchSize"] = "50",
            ["Postbacks:Forwarding:Dispatcher:PollInterval"] = "00:00:05",
        }).Build();
        var services = new ServiceCollection();
        services.AddChatterfyPostbacks().UseInMemoryStore().AddForwarding(configuration.GetSection("Postbacks:Forwarding"));
        await using var provider = services.BuildServiceProvider();

        var dispatcher = provider.GetRequiredService<IOptions<ForwardingOptions>>().Value.Dispatcher;

        dispatcher.Enabled.Should().BeFalse();
        dispatcher.BatchSize.Should().Be(50);
        dispatcher.PollInterval.Should().Be(TimeSpan.FromSeconds(5));
        dispatcher.LeaseDuration.Should().Be(TimeSpan.FromSeconds(30));
        dispatcher.MaxConcurrentSends.Should().Be(4);
        provider.GetRequiredService<OutboxDispatcher>().Should().NotBeNull();
    }

    [Fact]
    public async Task InvalidDispatcherOptions_FailAtStartupNamingTheOptionPath()
    {
        var services = new ServiceCollection();
        services.AddChatterfyPostbacks().UseInMemoryStore().AddForwarding(o =>
        {
            o.AttemptTimeout = TimeSpan.FromMinutes(1);
            o.Dispatcher.LeaseDuration = TimeSpan.FromSeconds(2);
            o.Dispatcher.BatchSize = 0;
            o.Dispatcher.MaxConcurrentSends = 0;
            o.Dispatcher.PollInterval = TimeSpan.Zero;
        });
        await using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredService<IOptions<ForwardingOptions>>().Value;

        act.Should().Throw<OptionsValidationException>().Which.Failures.Should()
            .Contain("Postbacks:Forwarding:Dispatcher:LeaseDuration must be between 00:00:03 and 01:00:00 (got 00:00:02).")
            .And.Contain(f => f.StartsWith("Postbacks:Forwarding:Dispatcher:BatchSize must be between 1 and 10000", StringComparison.Ordinal))
            .And.Contain(f => f.StartsWith("Postbacks:Forwarding:Dispatcher:MaxConcurrentSends must be between 1 and 64", StringComparison.Ordinal))
            .And.Contain(f => f.StartsWith("Postbacks:Forwarding:Dispatcher:PollInterval", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DispatcherOptions_LeaseShorterThanTheAttemptTimeout_IsValid_BecauseSendsRenewTheirLease()
    {
        var services = new ServiceCollection();
        services.AddChatterfyPostbacks().UseInMemoryStore().AddForwarding(o =>
        {
            o.AttemptTimeout = TimeSpan.FromMinutes(2);
            o.CircuitBreakerSamplingDuration = TimeSpan.FromMinutes(4);
            o.Dispatcher.LeaseDuration = TimeSpan.FromSeconds(3);
        });
        await using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IOptions<ForwardingOptions>>().Value.Dispatcher.LeaseDuration.Should().Be(TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task IngestionWithoutForwarding_WritesNoMessage()
    {
        var services = new ServiceCollection();
        services.AddChatterfyPostbacks().UseInMemoryStore();
        await using var provider = services.BuildServiceProvider();
        var set = await provider.GetRequiredService<PostbackSets.PostbackSetService>().CreateAsync(new PostbackSets.NewPostbackSet { Name = "B", NetworkId = "binomo" });
        var click = await provider.GetRequiredService<Clicks.ClickService>().CreateAsync(new Clicks.NewClick { CampaignId = "spring" });

        var result = await provider.GetRequiredService<PostbackIngestor>().IngestAsync(set.Token, new PostbackRequest { QueryString = $"?click_id={click.Id}&ftd=true&amount=5" });

        result.Outcome.Should().Be(PostbackOutcome.Accepted);
        (await provider.GetRequiredService<OutboxStore>().ListAsync(new OutboxQuery(), default)).Should().BeEmpty();
        provider.GetService<OutboxDispatcher>().Should().BeNull();
    }

    private static OutboxDispatcherService HostedDispatcher(OutboxScenario scenario) =>
        scenario.Host.Provider.GetServices<IHostedService>().OfType<OutboxDispatcherService>().Single();

    private sealed class ThrowingDestination : ForwardingDestination
    {
        public const string DestinationId = "thrower";

        public override string Id => DestinationId;

        public override string DisplayName => "Throws";

        public override DestinationProfile CreateProfile(JsonElement settings) => new Profile();

        private sealed class Profile : DestinationProfile
        {
            public override string BatchKey => "all";

            public override bool Forwards(PostbackEvent conversionEvent) => true;

            public override ValueTask<IReadOnlyList<DeliveryOutcome>> SendAsync(IReadOnlyList<ForwardedConversion> batch, HttpClient client, CancellationToken cancellationToken) =>
                throw new InvalidOperationException("A plugin bug.");
        }
    }
}
