using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.Forwarding.Facebook;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Storage;
using Chatterfy.Postbacks.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace Chatterfy.Postbacks.PostgreSql.Tests;

/// <summary>
/// Two forwarding instances over one PostgreSQL schema, as two hosts behind a load balancer: their dispatchers share the
/// outbox and, while both are up, never send a message twice. Both instances share one fake clock, which stands still
/// unless a test moves it, so no lease ends by itself.
/// </summary>
public sealed class TwoDispatchersTests(ITestOutputHelper output)
{
    private const string PixelId = "123456789012345";

    private const string AccessToken = "EAAB-test-access-token-0123456789abcd";

    private static readonly DateTimeOffset Start = new(2026, 3, 14, 12, 0, 0, TimeSpan.Zero);

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [PostgresFact]
    public async Task DispatchOnce_TwoInstancesWithTwoLoopsEach_SendEveryConversionExactlyOnce()
    {
        const int Conversions = 400;
        await using var database = new PostgresTestDatabase();
        await using var api = await FakeConversionsApi.StartAsync();
        var time = new FakeTimeProvider(Start);
        var schema = await MigratedSchemaAsync(database);
        await using var first = Instance(schema, time);
        await using var second = Instance(schema, time);
        var ids = await IngestFirstDepositsAsync([first, second], api, Conversions);

        var run = await DispatchUntilDoneAsync([first, second], loopsPerInstance: 2, maxPasses: 4000);

        output.WriteLine(
            $"{Conversions} messages; {run.Passes} passes, {run.PassesThatCompleted} of which completed messages; " +
            $"completed by instance: {string.Join(", ", run.CompletedByInstance)}; raw events sent: {api.EventsSent} in {api.RequestCount} calls");
        run.PendingLeft.Should().Be(0, "the loops run until nothing is pending");
        run.CompletedByInstance.Should().OnlyContain(c => c > 0, "both instances take part in dispatching");
        run.CompletedByInstance.Sum().Should().Be(Conversions, "each message is completed by exactly one pass");
        api.Events.Select(e => e.EventId).Should().BeEquivalentTo(ids, "every conversion reaches the Conversions API");
        api.EventsSent.Should().Be(Conversions, "no event is sent twice while both instances are up");
        await ShouldAllBeDeliveredOnceAsync(first, ids);
    }

    [PostgresFact]
    public async Task DispatchOnce_WhileACrashedInstanceHoldsTheLease_SendsNothingThenEachMessageOnceAfterItEnds()
    {
        const int Conversions = 60;
        await using var database = new PostgresTestDatabase();
        await using var api = await FakeConversionsApi.StartAsync();
        var time = new FakeTimeProvider(Start);
        var schema = await MigratedSchemaAsync(database);
        await using var first = Instance(schema, time);
        await using var second = Instance(schema, time);
        var ids = await IngestFirstDepositsAsync([first, second], api, Conversions);
        var leaseDuration = second.GetRequiredService<IOptionsMonitor<ForwardingOptions>>().CurrentValue.Dispatcher.LeaseDuration;

        // The first instance leases everything, as a pass does, then dies before it sends or records anything.
        var crashed = new OutboxLeaseRequest { LeaseId = "crashed-" + Guid.NewGuid().ToString("N"), Now = time.GetUtcNow(), Duration = leaseDuration, MaxCount = 1000 };
        (await first.GetRequiredService<OutboxStore>().LeaseAsync(crashed, CancellationToken.None)).Should().HaveCount(Conversions);
        await first.DisposeAsync();
        var dispatcher = second.GetRequiredService<OutboxDispatcher>();

        (await dispatcher.DispatchOnceAsync()).Should().Be(0, "the crashed instance's lease has just begun");
        time.Advance(leaseDuration - TimeSpan.FromSeconds(1));
        (await dispatcher.DispatchOnceAsync()).Should().Be(0, "the crashed instance's lease still lives for a second");
        api.RequestCount.Should().Be(0, "nothing under a live lease is sent");

        time.Advance(TimeSpan.FromSeconds(1));
        var run = await DispatchUntilDoneAsync([second], loopsPerInstance: 2, maxPasses: 1000);

        output.WriteLine($"{Conversions} messages; {run.Passes} passes after the lease ended; raw events sent: {api.EventsSent} in {api.RequestCount} calls");
        run.PendingLeft.Should().Be(0, "the lease has ended, so the survivor takes every message over");
        run.CompletedByInstance.Should().Equal(Conversions);
        api.Events.Select(e => e.EventId).Should().BeEquivalentTo(ids);
        api.EventsSent.Should().Be(Conversions, "each message is sent once, after the crashed lease ends");
        await ShouldAllBeDeliveredOnceAsync(second, ids);
    }

    private static async Task<string> MigratedSchemaAsync(PostgresTestDatabase database)
    {
        var schema = database.NewSchema();
        await database.NewStore(schema).MigrateAsync();
        return schema;
    }

    /// <summary>One instance: the SDK on PostgreSQL with forwarding, its hosted services never started.</summary>
    private static ServiceProvider Instance(string schema, TimeProvider time)
    {
        var services = new ServiceCollection();
        services.AddSingleton(time);
        services.AddChatterfyPostbacks()
            .UsePostgreSql(o =>
            {
                o.ConnectionString = PostgresTestDatabase.RequiredConnectionString;
                o.Schema = schema;
            })
            .AddForwarding(o =>
            {
                // The fake Conversions API listens on http://127.0.0.1; passes are driven by the test.
                o.AllowHttp = true;
                o.AllowPrivateNetworks = true;
                o.Dispatcher.Enabled = false;
                o.Dispatcher.BatchSize = 25;
            });
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    /// <summary>
    /// A Binomo set and a Facebook rule made on the first instance, then one click and one first deposit per conversion,
    /// alternating between the instances. Returns the conversion ids.
    /// </summary>
    private static async Task<List<string>> IngestFirstDepositsAsync(ServiceProvider[] instances, FakeConversionsApi api, int count)
    {
        var set = await instances[0].GetRequiredService<PostbackSetService>().CreateAsync(new NewPostbackSet { Name = "Binomo", NetworkId = "binomo" });
        await instances[0].GetRequiredService<ForwardingRuleService>().CreateAsync(new NewForwardingRule
        {
            SetId = set.Id,
            DestinationId = FacebookConversionsDestination.DestinationId,
            Settings = JsonSerializer.SerializeToElement(new { pixelId = PixelId, accessToken = AccessToken, graphBaseUrl = api.BaseUrl }),
        });

        var ids = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var instance = instances[i % instances.Length];
            var click = await instance.GetRequiredService<ClickService>().CreateAsync(new NewClick
            {
                CampaignId = "spring",
                SubjectId = (777000000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture),
                IpAddress = IPAddress.Parse("203.0.113.7"),
                UserAgent = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) Mobile/15E148",
                EventSourceUrl = "https://prelander.example/offer",
            });
            var result = await instances[(i + 1) % instances.Length].GetRequiredService<PostbackIngestor>().IngestAsync(
                set.Token,
                new PostbackRequest { QueryString = $"?click_id={click.Id}&ftd=true&amount=30&transaction_id=T-{i}" });
            result.Outcome.Should().Be(PostbackOutcome.Accepted);
            ids.Add(result.ConversionId!);
        }

        (await PendingAsync(instances[0])).Should().Be(count, "each first deposit writes one message for the Facebook rule");
        return ids;
    }

    /// <summary>
    /// Runs <paramref name="loopsPerInstance"/> loops of <see cref="OutboxDispatcher.DispatchOnceAsync"/> per instance, all
    /// at once, until no message is pending; bounded by <paramref name="maxPasses"/> passes in all and <see cref="Bound"/>.
    /// </summary>
    private static async Task<DispatchRun> DispatchUntilDoneAsync(ServiceProvider[] instances, int loopsPerInstance, int maxPasses)
    {
        var clock = Stopwatch.StartNew();
        var passes = 0;
        var passesThatCompleted = 0;
        var completed = new int[instances.Length];
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var loops = Enumerable.Range(0, instances.Length * loopsPerInstance).Select(loop => Task.Run(async () =>
        {
            var index = loop % instances.Length;
            var dispatcher = instances[index].GetRequiredService<OutboxDispatcher>();
            await go.Task;
            while (await PendingAsync(instances[index]) > 0 && clock.Elapsed < Bound && Interlocked.Increment(ref passes) <= maxPasses)
            {
                // A pass finding only messages other loops hold completes nothing; the loop tries again until they are done.
                var done = await dispatcher.DispatchOnceAsync();
                Interlocked.Add(ref completed[index], done);
                if (done > 0)
                {
                    Interlocked.Increment(ref passesThatCompleted);
                }
            }
        })).ToArray();

        go.SetResult();
        await Task.WhenAll(loops);
        return new DispatchRun(Math.Min(passes, maxPasses), passesThatCompleted, completed, await PendingAsync(instances[0]));
    }

    private static async Task<int> PendingAsync(ServiceProvider instance) =>
        (await instance.GetRequiredService<OutboxStore>().ListAsync(
            new OutboxQuery { Status = OutboxMessageStatus.Pending, Limit = 1000 },
            CancellationToken.None)).Count;

    private static async Task ShouldAllBeDeliveredOnceAsync(ServiceProvider instance, List<string> conversionIds)
    {
        var store = instance.GetRequiredService<OutboxStore>();
        var messages = await store.ListAsync(new OutboxQuery { Limit = 1000 }, CancellationToken.None);
        messages.Select(m => m.ConversionId).Should().BeEquivalentTo(conversionIds);
        messages.Should().OnlyContain(m => m.Status == OutboxMessageStatus.Delivered && m.AttemptCount == 1 && m.LeaseId == null);
        foreach (var message in messages.Take(20))
        {
            (await store.ListAttemptsAsync(message.Id, CancellationToken.None)).Should().ContainSingle()
                .Which.Status.Should().Be(DeliveryStatus.Delivered);
        }
    }

    private sealed record DispatchRun(int Passes, int PassesThatCompleted, int[] CompletedByInstance, int PendingLeft);
}
