namespace Chatterfy.Postbacks.Storage.InMemory;

/// <summary>The in-memory store's postback log and the figures the stats are made of.</summary>
internal sealed class InMemoryLogStore(InMemoryDatabase db) : PostbackLogStore
{
    protected override ValueTask<PostbackLogEntry?> GetCoreAsync(string logEntryId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var id = CompactId.From(logEntryId);
        lock (db.Lock)
        {
            return new(db.Log.Get(id));
        }
    }

    protected override ValueTask<IReadOnlyList<PostbackLogEntry>> ListCoreAsync(PostbackLogQuery query, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (db.Lock)
        {
            return new(db.Log.List(query).AsReadOnly());
        }
    }

    protected override ValueTask<int> PurgeCoreAsync(DateTimeOffset receivedBefore, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (db.Lock)
        {
            return new(db.Log.Purge(receivedBefore));
        }
    }

    protected override ValueTask<IReadOnlyList<ConversionTotal>> GetConversionTotalsCoreAsync(ConversionTotalsQuery query, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (db.Lock)
        {
            return new(db.Conversions.Totals(query).AsReadOnly());
        }
    }

    protected override ValueTask<long> CountClicksCoreAsync(ClickCountQuery query, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        long count = 0;
        lock (db.Lock)
        {
            foreach (var click in db.Clicks.Values)
            {
                if (Matches(click, query))
                {
                    count++;
                }
            }
        }

        return new(count);
    }

    protected override ValueTask<IReadOnlyList<DailyConversionCount>> GetDailyConversionCountsCoreAsync(ConversionTotalsQuery query, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (db.Lock)
        {
            return new(db.Conversions.DailyCounts(query).AsReadOnly());
        }
    }

    protected override ValueTask<IReadOnlyList<DailyClickCount>> CountClicksByDayCoreAsync(ClickCountQuery query, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var days = new SortedDictionary<DateOnly, long>();
        lock (db.Lock)
        {
            foreach (var click in db.Clicks.Values)
            {
                if (Matches(click, query))
                {
                    var day = DateOnly.FromDateTime(click.CreatedAt.UtcDateTime);
                    days[day] = days.GetValueOrDefault(day) + 1;
                }
            }
        }

        return new([.. days.Select(d => new DailyClickCount(d.Key, d.Value))]);
    }

    protected override ValueTask<long> CountLogEntriesCoreAsync(LogCountQuery query, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (db.Lock)
        {
            return new(db.Log.Count(query, setId => db.Sets.GetValueOrDefault(setId)?.Set.CampaignId));
        }
    }

    private static bool Matches(Clicks.Click click, ClickCountQuery query) =>
        (query.From is not { } from || click.CreatedAt >= from)
        && (query.To is not { } to || click.CreatedAt < to)
        && (query.CampaignId is null || string.Equals(click.CampaignId, query.CampaignId, StringComparison.Ordinal));
}
