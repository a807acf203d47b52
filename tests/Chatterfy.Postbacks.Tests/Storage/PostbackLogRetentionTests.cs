using Chatterfy.Postbacks.Storage;
using Microsoft.Extensions.Hosting;

namespace Chatterfy.Postbacks.Tests.Storage;

public sealed class PostbackLogRetentionTests
{
    [Fact]
    public async Task RetentionService_OneRound_PurgesEntriesOlderThanTheRetention()
    {
        using var services = new TestServices(o => o.LogRetention = TimeSpan.FromDays(30));
        var old = StoreData.LogEntry(receivedAt: TestServices.Start.AddDays(-31));
        var recent = StoreData.LogEntry(receivedAt: TestServices.Start.AddDays(-29));
        await services.Store.Ingest.AppendAsync([new IngestRecord { LogEntry = old }], default);
        await services.Store.Ingest.AppendAsync([new IngestRecord { LogEntry = recent }], default);
        var retention = services.Get<IEnumerable<IHostedService>>().OfType<PostbackLogRetentionService>().Single();

        // One round of the job's loop (the loop itself runs on a background thread and waits on TimeProvider).
        await retention.PurgeOnceAsync(CancellationToken.None);

        (await services.Store.Log.GetAsync(old.Id, default)).Should().BeNull();
        (await services.Store.Log.GetAsync(recent.Id, default)).Should().NotBeNull();
    }

    [Fact]
    public async Task RetentionService_ZeroRetention_KeepsEverything()
    {
        using var services = new TestServices(o => o.LogRetention = TimeSpan.Zero);
        var old = StoreData.LogEntry(receivedAt: TestServices.Start.AddYears(-3));
        await services.Store.Ingest.AppendAsync([new IngestRecord { LogEntry = old }], default);
        var retention = services.Get<IEnumerable<IHostedService>>().OfType<PostbackLogRetentionService>().Single();

        await retention.PurgeOnceAsync(CancellationToken.None);

        (await services.Store.Log.GetAsync(old.Id, default)).Should().NotBeNull();
    }
}
