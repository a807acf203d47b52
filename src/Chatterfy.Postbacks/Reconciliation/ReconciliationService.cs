using Chatterfy.Postbacks.Storage;
using Microsoft.Extensions.Options;

namespace Chatterfy.Postbacks.Reconciliation;

/// <summary>
/// Compares a network's conversion report (CSV, streamed) with a postback set's stored conversions (docs/reconciliation.md).
/// Get it from the service provider after <c>AddChatterfyPostbacks()</c>.
/// </summary>
public sealed class ReconciliationService
{
    /// <summary>The largest report accepted: 10 MB (10,485,760 bytes).</summary>
    public const long MaxReportBytes = 10L * 1024 * 1024;

    /// <summary>The most unreadable rows a report lists; further ones are counted in <see cref="ReconciliationReport.Rows"/> only.</summary>
    public const int MaxInvalidRows = 1000;

    private const int PageSize = ConversionListQuery.MaxLimit;

    private readonly IngestStore _conversions;
    private readonly PostbackSetStore _sets;
    private readonly IOptionsMonitor<ChatterfyPostbacksOptions> _options;

    /// <summary>Initializes a new instance of the <see cref="ReconciliationService"/> class (AddChatterfyPostbacks registers one).</summary>
    /// <param name="conversions">The store's conversions.</param>
    /// <param name="sets">The store's postback sets.</param>
    /// <param name="options">The options; their de-duplication window is the matching's time tolerance.</param>
    public ReconciliationService(IngestStore conversions, PostbackSetStore sets, IOptionsMonitor<ChatterfyPostbacksOptions> options)
    {
        ArgumentNullException.ThrowIfNull(conversions);
        ArgumentNullException.ThrowIfNull(sets);
        ArgumentNullException.ThrowIfNull(options);
        _conversions = conversions;
        _sets = sets;
        _options = options;
    }

    /// <summary>
    /// Reconciles a report against the set's stored conversions: every row is matched (see docs/reconciliation.md) and the
    /// stored conversions received within <paramref name="from"/>–<paramref name="to"/> that no row matched are missing there.
    /// </summary>
    /// <param name="setId">The postback set.</param>
    /// <param name="csv">The report, read once, forward only.</param>
    /// <param name="layout">The report's columns; <see langword="null"/> for <see cref="ReconciliationLayout.Generic"/>.</param>
    /// <param name="from">The start of the range; <see langword="null"/> for the report's earliest time.</param>
    /// <param name="to">The end of the range; <see langword="null"/> for the report's latest time.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The report, or <see langword="null"/> when the set does not exist.</returns>
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

        if (await _sets.GetAsync(setId, cancellationToken).ConfigureAwait(false) is null)
        {
            return null;
        }

        var window = _options.CurrentValue.DeduplicationWindow;
        var matcher = new ReconciliationMatcher(window);
        await LoadStoredAsync(matcher, setId, from - window, to + window, cancellationToken).ConfigureAwait(false);

        long rows = 0;
        long matched = 0;
        var missingHere = new List<ReconciliationRow>();
        var mismatches = new List<ReconciliationMismatch>();
        var invalid = new List<ReconciliationRowError>();
        var networkTotals = new Dictionary<string, decimal>(StringComparer.Ordinal);
        DateTimeOffset? first = null;
        DateTimeOffset? last = null;
        await foreach (var (row, error) in ReconciliationCsvReader.ReadAsync(csv, layout ?? ReconciliationLayout.Generic, cancellationToken).ConfigureAwait(false))
        {
            rows++;
            if (row is null)
            {
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

            switch (matcher.Match(row))
            {
                case null:
                    missingHere.Add(row);
                    break;
                case var conversion when ReconciliationMatcher.Differs(row, conversion):
                    mismatches.Add(new ReconciliationMismatch(row, conversion));
                    break;
                default:
                    matched++;
                    break;
            }
        }

        var start = from ?? first ?? DateTimeOffset.UnixEpoch;
        var end = to ?? last ?? start;
        var storedTotals = new Dictionary<string, decimal>(StringComparer.Ordinal);
        matcher.AddStoredTotals(storedTotals, start, end);
        return new ReconciliationReport
        {
            SetId = setId,
            From = start,
            To = end,
            Rows = rows,
            Matched = matched,
            MissingHere = missingHere,
            MissingThere = matcher.Unmatched(start, end),
            Mismatches = mismatches,
            Invalid = invalid,
            Totals = [.. networkTotals.Keys.Union(storedTotals.Keys).Order(StringComparer.Ordinal)
                .Select(c => new ReconciliationTotal(c, networkTotals.GetValueOrDefault(c), storedTotals.GetValueOrDefault(c)))],
        };
    }

    // Pages through the set's conversions newest first, keeping those received within the widened range.
    private async ValueTask LoadStoredAsync(ReconciliationMatcher matcher, string setId, DateTimeOffset? after, DateTimeOffset? before, CancellationToken cancellationToken)
    {
        string? cursor = null;
        while (true)
        {
            var page = await _conversions.ListConversionsAsync(new ConversionListQuery { SetId = setId, Limit = PageSize, BeforeId = cursor }, cancellationToken).ConfigureAwait(false);
            foreach (var record in page)
            {
                var receivedAt = record.Conversion.ReceivedAt;
                if (after is { } a && receivedAt < a)
                {
                    return;
                }

                if (before is not { } b || receivedAt <= b)
                {
                    matcher.AddStored(record);
                }
            }

            if (page.Count < PageSize)
            {
                return;
            }

            cursor = page[^1].Id;
        }
    }
}
