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
        dispatcher.LeaseDuration.Should().Be(TimeSpan.FromMinutes(5));
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
            o.Dispatcher.LeaseDuration = TimeSpan.FromSeconds(90);
            o.Dispatcher.BatchSize = 0;
            o.Dispatcher.MaxConcurrentSends = 0;
            o.Dispatcher.PollInterval = TimeSpan.Zero;
        });
        await using var provider = services.BuildServiceProvider();

        var act = () => provider.GetRequiredService<IOptions<ForwardingOptions>>().Value;

        act.Should().Throw<OptionsValidationException>().Which.Failures.Should()
            .Contain("Postbacks:Forwarding:Dispatcher:LeaseDuration must be at least twice AttemptTimeout and at most 1.00:00:00 (got 00:01:30 for 00:01:00).")
            .And.Contain(f => f.StartsWith("Postbacks:Forwarding:Dispatcher:BatchSize must be between 1 and 10000", StringComparison.Ordinal))
            .And.Contain(f => f.StartsWith("Postbacks:Forwarding:Dispatcher:MaxConcurrentSends must be between 1 and 64", StringComparison.Ordinal))
            .And.Contain(f => f.StartsWith("Postbacks:Forwarding:Dispatcher:PollInterval", StringComparison.Ordinal));
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
        (await provider.GetRequiredService<PostbackStore>().ListOutboxMessagesAsync(new OutboxQuery(), default)).Should().BeEmpty();
        provider.GetService<OutboxDispatcher>().Should().BeNull();
    }

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
