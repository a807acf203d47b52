using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Storage;
using Chatterfy.Postbacks.Storage.Conformance;

namespace Chatterfy.Postbacks.PostgreSql.Tests;

/// <summary>Deposit numbers across instances: two stores over one schema number one click's deposits 1..n, without gaps or repeats.</summary>
public sealed class TwoInstancesDepositNumberTests
{
    private const int PerInstance = 24;

    private static readonly CancellationToken None = CancellationToken.None;

    [PostgresFact]
    public async Task ConcurrentDepositsOfOneClick_OnTwoInstances_TakeOneToNWithoutGapsOrRepeats()
    {
        await using var database = new PostgresTestDatabase();
        var schema = database.NewSchema();
        var first = database.NewStore(schema);
        var second = database.NewStore(schema);
        await first.MigrateAsync();
        var clickId = "c" + StoreTestData.NewId()[..11];

        // Each instance appends single deposits and batches of three (several deposits of the click in one statement),
        // all at once; the first deposit arrives somewhere in the middle.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = new List<Task<IReadOnlyList<IngestResult>>>();
        var seconds = 0;
        foreach (var store in new[] { first, second })
        {
            for (var i = 0; i < PerInstance; i += 3)
            {
                var batch = Enumerable.Range(0, 3).Select(k => Deposit(clickId, seconds++, firstDeposit: store == second && i == 9 && k == 1)).ToArray();
                var single = i % 2 == 0;
                tasks.Add(Task.Run(async () =>
                {
                    await gate.Task;
                    if (single)
                    {
                        var results = new List<IngestResult>();
                        foreach (var conversion in batch)
                        {
                            results.AddRange(await store.Storage.Ingest.AppendAsync([StoreTestData.Record(conversion)], None));
                        }

                        return (IReadOnlyList<IngestResult>)results;
                    }

                    return await store.Storage.Ingest.AppendAsync([.. batch.Select(c => StoreTestData.Record(c))], None);
                }));
            }
        }

        gate.SetResult();
        var all = (await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromMinutes(2))).SelectMany(r => r).ToList();

        all.Should().HaveCount(2 * PerInstance).And.OnlyContain(r => r.Failure == null && !r.IsDuplicate);
        all.Select(r => r.DepositNumber!.Value).Should().BeEquivalentTo(Enumerable.Range(1, 2 * PerInstance));
        var stored = await first.Storage.Ingest.ListConversionsByClickAsync(clickId, None);
        stored.Select(c => c.DepositNumber!.Value).Should().BeEquivalentTo(Enumerable.Range(1, 2 * PerInstance));
        stored.Single(c => c.Conversion.Event.Kind == PostbackEventKind.FirstDeposit).DepositNumber.Should().Be(1);
        var log = await second.Storage.Log.ListAsync(new PostbackLogQuery { Limit = 100 }, None);
        log.Select(e => e.DepositNumber!.Value).Should().BeEquivalentTo(Enumerable.Range(1, 2 * PerInstance), "each log entry carries its conversion's number");
    }

    [PostgresFact]
    public async Task LateClick_NumbersTheDepositsItCredits_WhileAnotherInstanceAppendsDepositsOfIt()
    {
        await using var database = new PostgresTestDatabase();
        var schema = database.NewSchema();
        var first = database.NewStore(schema);
        var second = database.NewStore(schema);
        await first.MigrateAsync();
        var click = StoreTestData.Click();
        var waiting = Enumerable.Range(0, 10)
            .Select(i => Deposit(click.Id, i, firstDeposit: i == 4) with { Attribution = ConversionAttribution.Unattributed, CampaignId = null })
            .ToArray();
        await first.Storage.Ingest.AppendAsync([.. waiting.Select(c => StoreTestData.Record(c))], None);

        var crediting = first.Storage.Clicks.AddAsync(click, StoreTestData.Credit(click), None).AsTask();
        var appending = Task.WhenAll(Enumerable.Range(100, 10).Select(i =>
            second.Storage.Ingest.AppendAsync([StoreTestData.Record(Deposit(click.Id, i, firstDeposit: false))], None).AsTask()));
        await Task.WhenAll(crediting, appending).WaitAsync(TimeSpan.FromMinutes(2));

        (await crediting).Should().Be(10);
        var stored = await first.Storage.Ingest.ListConversionsByClickAsync(click.Id, None);
        stored.Should().HaveCount(20);
        stored.Select(c => c.DepositNumber!.Value).Should().BeEquivalentTo(Enumerable.Range(1, 20));
        stored.Single(c => c.Conversion.Event.Kind == PostbackEventKind.FirstDeposit).DepositNumber.Should().Be(1);
    }

    private static ConversionRecord Deposit(string clickId, int seconds, bool firstDeposit)
    {
        var template = StoreTestData.Conversion(setId: "set-" + (seconds % 2), clickId: clickId, receivedAt: StoreTestData.Epoch.AddSeconds(seconds));
        return template with { Conversion = template.Conversion with { Event = firstDeposit ? PostbackEvent.FirstDeposit : PostbackEvent.Deposit } };
    }
}
