using System.Globalization;
using System.Text;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Storage;
using Microsoft.Extensions.Options;

namespace Chatterfy.Postbacks.Reconciliation;

/// <summary>
/// Compares a network's conversion report (CSV, streamed) with a postback set's stored conversions, keeps the report, and
/// ingests its "missing here" rows on request (docs/reconciliation.md). Get it from the service provider after
/// <c>AddChatterfyPostbacks()</c>.
/// </summary>
public sealed class ReconciliationService
{
    /// <summary>The largest report accepted: 10 MB (10,485,760 bytes).</summary>
    public const long MaxReportBytes = 10L * 1024 * 1024;

    /// <summary>The most unreadable rows a report lists; <see cref="ReconciliationReport.InvalidCount"/> counts them all.</summary>
    public const int MaxInvalidRows = 1000;

    /// <summary>
    /// The most rows each of a kept report's lists holds (missing here, missing there, mismatches): 10,000; the counts
    /// (<see cref="ReconciliationReport.MissingHereCount"/>, …) are complete. Only the listed "missing here" rows can be
    /// ingested: reconcile a shorter range to reach the others.
    /// </summary>
    public const int MaxListedRows = 10_000;

    private const int PageSize = ConversionListQuery.MaxLimit;

    // How many rows of an ingest are in the pipeline at once.
    private const int IngestConcurrency = 32;

    private readonly IngestStore _conversions;
    private readonly PostbackSetStore _sets;
    private readonly ReconciliationStore _reconciliations;
    private readonly PostbackIngestor _ingestor;
    private readonly TimeProvider _timeProvider;
    private readonly IOptionsMonitor<ChatterfyPostbacksOptions> _options;

    /// <summary>Initializes a new instance of the <see cref="ReconciliationService"/> class (AddChatterfyPostbacks registers one).</summary>
    /// <param name="conversions">The store's conversions.</param>
    /// <param name="sets">The store's postback sets.</param>
    /// <param name="reconciliations">The store's layouts and kept reports.</param>
    /// <param name="ingestor">The ingestion pipeline, for the "missing here" rows.</param>
    /// <param name="timeProvider">The clock of the reports' ids and creation times.</param>
    /// <param name="options">The options; their de-duplication window is the matching's time tolerance.</param>
    public ReconciliationService(
        IngestStore conversions,
        PostbackSetStore sets,
        ReconciliationStore reconciliations,
        PostbackIngestor ingestor,
        TimeProvider timeProvider,
        IOptionsMonitor<ChatterfyPostbacksOptions> options)
    {
        ArgumentNullException.ThrowIfNull(conversions);
        ArgumentNullException.ThrowIfNull(sets);
        ArgumentNullException.ThrowIfNull(reconciliations);
        ArgumentNullException.ThrowIfNull(ingestor);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(options);
        _conversions = conversions;
        _sets = sets;
        _reconciliations = reconciliations;
        _ingestor = ingestor;
        _timeProvider = timeProvider;
        _options = options;
    }

    /// <summary>Gets the layout a set's reports are read with: the one set for it, else <see cref="ReconciliationLayout.Generic"/>.</summary>
    /// <param name="setId">The postback set.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The layout, or <see langword="null"/> when the set does not exist.</returns>
    public async ValueTask<ReconciliationLayout?> GetLayoutAsync(string setId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(setId);
        if (await _sets.GetAsync(setId, cancellationToken).ConfigureAwait(false) is null)
        {
            return null;
        }

        return await _reconciliations.GetLayoutAsync(setId, cancellationToken).ConfigureAwait(false) ?? ReconciliationLayout.Generic;
    }

    /// <summary>Keeps the layout a set's reports are read with from now on.</summary>
    /// <param name="setId">The postback set.</param>
    /// <param name="layout">The layout.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The layout kept, or <see langword="null"/> when the set does not exist.</returns>
    /// <exception cref="ReconciliationLayoutValidationException">A column name is empty, too long or badly formed, or two members name one column.</exception>
    public async ValueTask<ReconciliationLayout?> SetLayoutAsync(string setId, ReconciliationLayout layout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(setId);
        ArgumentNullException.ThrowIfNull(layout);
        if (layout.Check() is { Count: > 0 } errors)
        {
            throw new ReconciliationLayoutValidationException(errors);
        }

        if (await _sets.GetAsync(setId, cancellationToken).ConfigureAwait(false) is null)
        {
            return null;
        }

        await _reconciliations.SetLayoutAsync(setId, layout, cancellationToken).ConfigureAwait(false);
        return layout;
    }

    /// <summary>Gets a kept report.</summary>
    /// <param name="setId">The postback set.</param>
    /// <param name="reconciliationId">The report's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The report, or <see langword="null"/> when the set has none with that id.</returns>
    public ValueTask<ReconciliationReport?> GetAsync(string setId, string reconciliationId, CancellationToken cancellationToken = default) =>
        _reconciliations.GetAsync(setId, reconciliationId, cancellationToken);

    /// <summary>Lists a set's kept reports, newest first, without their row lists.</summary>
    /// <param name="setId">The postback set.</param>
    /// <param name="limit">The page size, from 1 to <see cref="ReconciliationStore.MaxListLimit"/>.</param>
    /// <param name="beforeId">The paging cursor: the last id of the previous page; <see langword="null"/> for the newest.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The summaries, or <see langword="null"/> when the set does not exist.</returns>
    public async ValueTask<IReadOnlyList<ReconciliationSummary>?> ListAsync(string setId, int limit, string? beforeId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(setId);
        if (await _sets.GetIncludingDeletedAsync(setId, cancellationToken).ConfigureAwait(false) is null)
        {
            return null;
        }

        return await _reconciliations.ListAsync(setId, limit, beforeId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Ingests a kept report's "missing here" rows (those it lists, see <see cref="MaxListedRows"/>) through the normal
    /// pipeline with each row's time as its receive time: logged with method <see cref="PostbackRequest.ReconcileMethod"/>
    /// and warning <see cref="PostbackWarningCodes.Reconciled"/>, de-duplicated like any postback (ingesting twice adds
    /// nothing), and neither forwarded nor sent to reaction rules unless <paramref name="forward"/> is set.
    /// </summary>
    /// <param name="setId">The postback set.</param>
    /// <param name="reconciliationId">The kept report.</param>
    /// <param name="forward">Whether the new conversions go to the forwarding and reaction rules.</param>
    /// <param name="cancellationToken">Cancels the operation between rows.</param>
    /// <returns>What each row became, or <see langword="null"/> when the set (enabled) or the report does not exist.</returns>
    public async ValueTask<ReconciliationIngestResult?> IngestMissingAsync(string setId, string reconciliationId, bool forward = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(setId);
        ArgumentNullException.ThrowIfNull(reconciliationId);
        var set = await _sets.GetAsync(setId, cancellationToken).ConfigureAwait(false);
        if (set is null || !set.Enabled)
        {
            return null;
        }

        var report = await _reconciliations.GetAsync(setId, reconciliationId, cancellationToken).ConfigureAwait(false);
        if (report is null)
        {
            return null;
        }

        // A few rows at a time, as concurrent postbacks come: the ingestor commits them together in the store's batches.
        var rows = report.MissingHere;
        var items = new ReconciliationIngestItem[rows.Count];
        var path = $"/api/tracker/postback-sets/{setId}/reconciliations/{reconciliationId}/ingest";
        var pending = new Task<PostbackIngestionResult>[IngestConcurrency];
        for (var start = 0; start < rows.Count; start += IngestConcurrency)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(IngestConcurrency, rows.Count - start);
            for (var i = 0; i < count; i++)
            {
                var row = rows[start + i];
                pending[i] = _ingestor.IngestReconciledAsync(set, RequestOf(row, path), row.Time, forward, cancellationToken).AsTask();
            }

            var results = await Task.WhenAll(pending[..count]).ConfigureAwait(false);
            for (var i = 0; i < count; i++)
            {
                items[start + i] = new ReconciliationIngestItem(rows[start + i].Line, results[i].Outcome, results[i].ConversionId, results[i].Rejection?.Code);
            }
        }

        return new ReconciliationIngestResult
        {
            ReconciliationId = reconciliationId,
            Forwarded = forward,
            Stored = items.Count(i => i.Outcome is PostbackOutcome.Accepted or PostbackOutcome.Unattributed),
            Duplicates = items.Count(i => i.Outcome == PostbackOutcome.Duplicate),
            Rejected = items.Count(i => i.Outcome == PostbackOutcome.Rejected),
            Items = items,
        };
    }

    // The row as a postback with the canonical parameters (CanonicalFields), which every network's parser reads.
    private static PostbackRequest RequestOf(ReconciliationRow row, string path)
    {
        var query = new StringBuilder("?clickid=").Append(Uri.EscapeDataString(row.ClickId));
        if (row.Amount is { } amount)
        {
            query.Append("&amount=").Append(amount.ToString(CultureInfo.InvariantCulture));
        }

        if (row.Currency is { } currency)
        {
            query.Append("&currency=").Append(Uri.EscapeDataString(currency));
        }

        if (row.TransactionId is { } tid)
        {
            query.Append("&tid=").Append(Uri.EscapeDataString(tid));
        }

        return new PostbackRequest
        {
            Method = PostbackRequest.ReconcileMethod,
            Path = path,
            EventSegment = row.Event,
            QueryString = query.ToString(),
        };
    }

    /// <summary>
    /// Reconciles a report against the set's stored conversions: every row is matched (see docs/reconciliation.md) and the
    /// stored conversions received within <paramref name="from"/>–<paramref name="to"/> that no row matched are missing there.
    /// </summary>
    /// <param name="setId">The postback set.</param>
    /// <param name="csv">The report, read once, forward only.</param>
    /// <param name="layout">The report's columns; <see langword="null"/> for the set's layout (<see cref="GetLayoutAsync"/>).</param>
    /// <param name="from">The start of the range; <see langword="null"/> for the report's earliest time.</param>
    /// <param name="to">The end of the range; <see langword="null"/> for the report's latest time.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The report, kept under its <see cref="ReconciliationReport.Id"/>, or <see langword="null"/> when the set does not exist.</returns>
    /// <exception cref="ReconciliationFormatException">The report has no header or lacks a required column.</exception>
    public async ValueTask<ReconciliationReport?> ReconcileAsync(
        string setId,
        Stream csv,
        ReconciliationLayout? layout = null,
        DateTimeOffset? from = null,
        DateTimeOffset? to = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(setId);
        ArgumentNullException.ThrowIfNull(csv);
        if (from > to)
        {
            throw new ArgumentOutOfRangeException(nameof(from), "The range's start is after its end.");
        }

        layout ??= await GetLayoutAsync(setId, cancellationToken).ConfigureAwait(false);
        if (layout is null)
        {
            return null;
        }

        var createdAt = _timeProvider.GetUtcNow();
        var window = _options.CurrentValue.DeduplicationWindow;
        var matcher = new ReconciliationMatcher(window, from - window, to + window);
        var tally = new Tally();
        var batch = new List<ReconciliationRow>(ReconciliationMatcher.BatchSize);
        long rows = 0;
        long invalidCount = 0;
        var invalid = new List<ReconciliationRowError>();
        var networkTotals = new Dictionary<string, decimal>(StringComparer.Ordinal);
        DateTimeOffset? first = null;
        DateTimeOffset? last = null;
        await foreach (var (row, error) in ReconciliationCsvReader.ReadAsync(csv, layout, cancellationToken).ConfigureAwait(false))
        {
            rows++;
            if (row is null)
            {
                invalidCount++;
                if (invalid.Count < MaxInvalidRows)
                {
                    invalid.Add(error!);
                }

                continue;
            }

            first = first is { } f && f <= row.Time ? f : row.Time;
            last = last is { } l && l >= row.Time ? l : row.Time;
            if (row is { Amount: { } amount, Currency: { } currency } && (from is null || row.Time >= from) && (to is null || row.Time <= to))
            {
                networkTotals[currency] = networkTotals.GetValueOrDefault(currency) + amount;
            }

            batch.Add(row);
            if (batch.Count == ReconciliationMatcher.BatchSize)
            {
                await MatchBatchAsync(matcher, setId, batch, tally, cancellationToken).ConfigureAwait(false);
            }
        }

        await MatchBatchAsync(matcher, setId, batch, tally, cancellationToken).ConfigureAwait(false);
        var start = from ?? first ?? DateTimeOffset.UnixEpoch;
        var end = to ?? last ?? start;
        var storedTotals = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var (missingThereCount, missingThere) = await ReadUnmatchedAsync(matcher, setId, start, end, storedTotals, cancellationToken).ConfigureAwait(false);
        var report = new ReconciliationReport
        {
            Id = StoreIds.New(_timeProvider),
            CreatedAt = createdAt,
            SetId = setId,
            From = start,
            To = end,
            Rows = rows,
            Matched = tally.Matched,
            MissingHere = tally.MissingHere,
            MissingThere = missingThere,
            Mismatches = tally.Mismatches,
            Invalid = invalid,
            Totals = [.. networkTotals.Keys.Union(storedTotals.Keys).Order(StringComparer.Ordinal)
                .Select(c => new ReconciliationTotal(c, networkTotals.GetValueOrDefault(c), storedTotals.GetValueOrDefault(c)))],
            MissingHereCount = tally.MissingHereCount,
            MissingThereCount = missingThereCount,
            MismatchCount = tally.MismatchCount,
            InvalidCount = invalidCount,
        };
        await _reconciliations.AddAsync(report, cancellationToken).ConfigureAwait(false);
        return report;
    }

    // Looks the batch's candidates up in the store, matches its rows in order, and empties it.
    private async ValueTask MatchBatchAsync(ReconciliationMatcher matcher, string setId, List<ReconciliationRow> batch, Tally tally, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        var candidates = await _conversions.ListConversionsToMatchAsync(ReconciliationMatcher.QueryFor(setId, batch), cancellationToken).ConfigureAwait(false);
        matcher.BeginBatch(candidates);
        foreach (var row in batch)
        {
            switch (matcher.Match(row))
            {
                case null:
                    if (++tally.MissingHereCount <= MaxListedRows)
                    {
                        tally.MissingHere.Add(row);
                    }

                    break;
                case var conversion when ReconciliationMatcher.Differs(row, conversion):
                    if (++tally.MismatchCount <= MaxListedRows)
                    {
                        tally.Mismatches.Add(new ReconciliationMismatch(row, conversion));
                    }

                    break;
                default:
                    tally.Matched++;
                    break;
            }
        }

        matcher.EndBatch();
        batch.Clear();
    }

    // One pass over the set's conversions received within the range, oldest first a page at a time, each read slim: adds
    // their amounts to the totals, counts those no row matched (missing there) and keeps the oldest MaxListedRows of them.
    private async ValueTask<(long Count, List<ReconciledConversion> Oldest)> ReadUnmatchedAsync(
        ReconciliationMatcher matcher,
        string setId,
        DateTimeOffset start,
        DateTimeOffset end,
        Dictionary<string, decimal> totals,
        CancellationToken cancellationToken)
    {
        long count = 0;
        var oldest = new List<ReconciledConversion>();
        ReconciledConversion? after = null;
        while (true)
        {
            var page = await _conversions.ListConversionsToReconcileAsync(setId, start, end, after, PageSize, cancellationToken).ConfigureAwait(false);
            foreach (var conversion in page)
            {
                if (conversion is { Amount: { } amount, Currency: { } currency })
                {
                    totals[currency] = totals.GetValueOrDefault(currency) + amount;
                }

                if (!matcher.IsMatched(conversion.ConversionId) && ++count <= MaxListedRows)
                {
                    oldest.Add(conversion);
                }
            }

            if (page.Count < PageSize)
            {
                return (count, oldest);
            }

            after = page[^1];
        }
    }

    // What the matched rows came to: the counts, and the lists bounded by MaxListedRows.
    private sealed class Tally
    {
        public long Matched;
        public long MissingHereCount;
        public long MismatchCount;
        public readonly List<ReconciliationRow> MissingHere = [];
        public readonly List<ReconciliationMismatch> Mismatches = [];
    }
}
