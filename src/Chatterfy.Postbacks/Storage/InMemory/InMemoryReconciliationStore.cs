using Chatterfy.Postbacks.Reconciliation;

namespace Chatterfy.Postbacks.Storage.InMemory;

/// <summary>The in-memory store's layouts and reports, kept as the JSON text a database keeps (so nothing the caller holds is shared).</summary>
internal sealed class InMemoryReconciliationStore(InMemoryDatabase db) : ReconciliationStore
{
    private readonly Dictionary<string, string> _layouts = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, Kept> _reports = new(StringComparer.Ordinal);

    protected override ValueTask<ReconciliationLayout?> GetLayoutCoreAsync(string setId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (db.Lock)
        {
            return new(_layouts.TryGetValue(setId, out var json) ? LayoutFromJson(json) : null);
        }
    }

    protected override ValueTask SetLayoutCoreAsync(string setId, ReconciliationLayout layout, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var json = LayoutToJson(layout);
        lock (db.Lock)
        {
            _layouts[setId] = json;
        }

        return ValueTask.CompletedTask;
    }

    protected override ValueTask AddCoreAsync(ReconciliationReport report, ReconciliationSummary summary, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var kept = new Kept(report.SetId, ReportToJson(report), SummaryToJson(summary));
        lock (db.Lock)
        {
            if (!_reports.TryAdd(report.Id, kept))
            {
                throw new InvalidOperationException($"A reconciliation with id '{report.Id}' exists.");
            }
        }

        return ValueTask.CompletedTask;
    }

    protected override ValueTask<ReconciliationReport?> GetCoreAsync(string setId, string reconciliationId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (db.Lock)
        {
            return new(_reports.TryGetValue(reconciliationId, out var kept) && string.Equals(kept.SetId, setId, StringComparison.Ordinal)
                ? ReportFromJson(kept.Report)
                : null);
        }
    }

    protected override ValueTask<IReadOnlyList<ReconciliationSummary>> ListCoreAsync(string setId, int limit, string? beforeId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var page = new List<ReconciliationSummary>();
        lock (db.Lock)
        {
            foreach (var (id, kept) in _reports.Reverse())
            {
                if (page.Count == limit)
                {
                    break;
                }

                if (string.Equals(kept.SetId, setId, StringComparison.Ordinal) && (beforeId is null || string.CompareOrdinal(id, beforeId) < 0))
                {
                    page.Add(SummaryFromJson(kept.Summary));
                }
            }
        }

        return new(page.AsReadOnly());
    }

    private sealed record Kept(string SetId, string Report, string Summary);
}
