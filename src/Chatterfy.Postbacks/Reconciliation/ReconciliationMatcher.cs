using System.Runtime.InteropServices;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Storage;

namespace Chatterfy.Postbacks.Reconciliation;

/// <summary>
/// The one home of the matching rules: a row matches an unmatched stored conversion of the same event on the transaction
/// id; else, for a registration or a first deposit, on the click; else on the click, amount and currency with the receive
/// time less than the de-duplication window from the row's time. Of several candidates a row takes the oldest (by receive
/// time, then id). The rows come in batches (<see cref="BatchSize"/>) with the candidates the store found for them
/// (<see cref="IngestStore.ListConversionsToMatchAsync"/>); nothing of the stored side is held beyond a batch but the ids of
/// the matched conversions.
/// </summary>
/// <remarks>
/// <para>
/// Rows are matched in the file's order, each against the candidates no earlier row took, exactly as if the whole stored
/// side were held: a batch's candidates are every conversion of the set with one of the batch's transaction ids or click
/// ids, so every conversion a row could match is among them.
/// </para>
/// <para>
/// What it holds: the current batch's candidates (at most a few per row), and the matched conversions' ids in
/// <see cref="MatchedIds"/>, 24 bytes each: at most one per row, so bounded by the report, never by the stored
/// conversions of the range.
/// </para>
/// </remarks>
internal sealed class ReconciliationMatcher
{
    /// <summary>How many rows are matched together: the most ids one look-up names.</summary>
    public const int BatchSize = ConversionMatchQuery.MaxKeys;

    private readonly Dictionary<string, int> _byClick = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _byTransaction = new(StringComparer.Ordinal);
    private readonly MatchedIds _matched = new();
    private readonly long _windowTicks;
    private readonly long _fromTicks;
    private readonly long _toTicks;
    private Candidate[] _candidates = new Candidate[BatchSize];
    private int _count;

    /// <summary>Initializes a new instance of the <see cref="ReconciliationMatcher"/> class.</summary>
    /// <param name="window">The de-duplication window: the time tolerance of the amount rule.</param>
    /// <param name="receivedFrom">The earliest receive time of a candidate (inclusive), or <see langword="null"/>.</param>
    /// <param name="receivedTo">The latest receive time of a candidate (inclusive), or <see langword="null"/>.</param>
    public ReconciliationMatcher(TimeSpan window, DateTimeOffset? receivedFrom, DateTimeOffset? receivedTo)
    {
        _windowTicks = window.Ticks;
        _fromTicks = receivedFrom?.UtcTicks ?? long.MinValue;
        _toTicks = receivedTo?.UtcTicks ?? long.MaxValue;
    }

    /// <summary>The look-up that finds the candidates of a batch of rows: their transaction ids and click ids, each once.</summary>
    public static ConversionMatchQuery QueryFor(string setId, IReadOnlyList<ReconciliationRow> rows)
    {
        var transactionIds = new HashSet<string>(StringComparer.Ordinal);
        var clickIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            clickIds.Add(row.ClickId);
            if (row.TransactionId is { } transactionId)
            {
                transactionIds.Add(transactionId);
            }
        }

        return new ConversionMatchQuery { SetId = setId, TransactionIds = transactionIds, ClickIds = clickIds };
    }

    /// <summary>
    /// Starts a batch with the candidates the store found for its rows, oldest first; those received outside the range
    /// are left out.
    /// </summary>
    public void BeginBatch(IReadOnlyList<ReconciledConversion> candidates)
    {
        _byClick.Clear();
        _byTransaction.Clear();
        _count = 0;
        if (_candidates.Length < candidates.Count)
        {
            _candidates = new Candidate[candidates.Count];
        }

        // Linked newest first, so that each chain (newest added at its head) runs oldest first.
        for (var i = candidates.Count - 1; i >= 0; i--)
        {
            var c = candidates[i];
            var receivedAt = c.ReceivedAt.UtcTicks;
            if (receivedAt < _fromTicks || receivedAt > _toTicks)
            {
                continue;
            }

            var index = _count++;
            ref var candidate = ref _candidates[index];
            candidate.Conversion = c;
            candidate.Matched = _matched.Contains(c.ConversionId);
            ref var clickHead = ref CollectionsMarshal.GetValueRefOrAddDefault(_byClick, c.ClickId, out var clickSeen);
            candidate.NextOnClick = clickSeen ? clickHead : -1;
            clickHead = index;
            candidate.NextOnTransaction = -1;
            if (c.TransactionId is { } tid)
            {
                ref var tidHead = ref CollectionsMarshal.GetValueRefOrAddDefault(_byTransaction, tid, out var tidSeen);
                candidate.NextOnTransaction = tidSeen ? tidHead : -1;
                tidHead = index;
            }
        }
    }

    /// <summary>Matches a row of the batch; returns the matched conversion, or <see langword="null"/> when none (missing here).</summary>
    public ReconciledConversion? Match(ReconciliationRow row)
    {
        var index = -1;
        if (row.TransactionId is { } tid && _byTransaction.TryGetValue(tid, out var head))
        {
            for (var i = head; i >= 0 && index < 0; i = _candidates[i].NextOnTransaction)
            {
                if (IsCandidate(i, row.Event))
                {
                    index = i;
                }
            }
        }

        if (index < 0 && _byClick.TryGetValue(row.ClickId, out var clickHead))
        {
            var oncePerClick = IsOncePerClick(row.Event);
            var time = row.Time.UtcTicks;
            for (var i = clickHead; i >= 0 && index < 0; i = _candidates[i].NextOnClick)
            {
                var c = _candidates[i].Conversion;
                if (IsCandidate(i, row.Event)
                    && (oncePerClick
                        || (c.Amount == row.Amount && string.Equals(c.Currency, row.Currency, StringComparison.Ordinal) && Math.Abs(c.ReceivedAt.UtcTicks - time) < _windowTicks)))
                {
                    index = i;
                }
            }
        }

        if (index < 0)
        {
            return null;
        }

        ref var matched = ref _candidates[index];
        matched.Matched = true;
        _matched.Add(matched.Conversion.ConversionId);
        return matched.Conversion;
    }

    /// <summary>Ends a batch: its matches join the others and its candidates are let go.</summary>
    public void EndBatch()
    {
        _matched.Commit();
        Array.Clear(_candidates, 0, _count);
        _count = 0;
    }

    /// <summary>Whether a row matched the stored conversion with this id.</summary>
    public bool IsMatched(string conversionId) => _matched.Contains(conversionId);

    /// <summary>Whether a matched row's amount or currency differs from its conversion's.</summary>
    public static bool Differs(ReconciliationRow row, ReconciledConversion conversion) =>
        row.Amount != conversion.Amount
        || (row.Currency is not null && conversion.Currency is not null && !string.Equals(row.Currency, conversion.Currency, StringComparison.OrdinalIgnoreCase));

    private static bool IsOncePerClick(string eventName) =>
        eventName is PostbackEvent.RegistrationName or PostbackEvent.FirstDepositName;

    private bool IsCandidate(int index, string eventName) =>
        !_candidates[index].Matched && string.Equals(_candidates[index].Conversion.Event, eventName, StringComparison.Ordinal);

    /// <summary>A stored conversion of the batch.</summary>
    private struct Candidate
    {
        public ReconciledConversion Conversion;
        public int NextOnClick;
        public int NextOnTransaction;
        public bool Matched;
    }
}
