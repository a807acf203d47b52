using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Storage;

namespace Chatterfy.Postbacks.Reconciliation;

/// <summary>
/// The one home of the matching rules: a row matches an unmatched stored conversion of the same event on the transaction
/// id; else, for a registration or a first deposit, on the click; else on the click, amount and currency with the receive
/// time less than the de-duplication window from the row's time. Holds the stored side compactly, the rows are streamed.
/// </summary>
internal sealed class ReconciliationMatcher
{
    private readonly List<ReconciledConversion> _stored = [];
    private readonly List<bool> _matched = [];
    private readonly Dictionary<(string TransactionId, string Event), List<int>> _byTransaction = [];
    private readonly Dictionary<(string ClickId, string Event), List<int>> _byClick = [];
    private readonly Dictionary<(string ClickId, string Event, decimal? Amount, string? Currency), List<int>> _byAmount = [];
    private readonly TimeSpan _window;

    public ReconciliationMatcher(TimeSpan window) => _window = window;

    public void AddStored(ConversionRecord record)
    {
        var c = record.Conversion;
        var index = _stored.Count;
        _stored.Add(new ReconciledConversion(record.Id, c.ClickId, c.Event.Name, c.Amount, c.Currency, c.TransactionId, c.ReceivedAt));
        _matched.Add(false);
        if (c.TransactionId is { } tid)
        {
            Add(_byTransaction, (tid, c.Event.Name), index);
        }

        if (IsOncePerClick(c.Event.Name))
        {
            Add(_byClick, (c.ClickId, c.Event.Name), index);
        }

        Add(_byAmount, (c.ClickId, c.Event.Name, c.Amount, c.Currency), index);
    }

    /// <summary>Matches a row; returns the matched conversion, or <see langword="null"/> when none (missing here).</summary>
    public ReconciledConversion? Match(ReconciliationRow row)
    {
        var index = -1;
        if (row.TransactionId is { } tid && _byTransaction.TryGetValue((tid, row.Event), out var byTid))
        {
            index = FirstUnmatched(byTid, null);
        }

        if (index < 0 && IsOncePerClick(row.Event) && _byClick.TryGetValue((row.ClickId, row.Event), out var byClick))
        {
            index = FirstUnmatched(byClick, null);
        }

        if (index < 0 && _byAmount.TryGetValue((row.ClickId, row.Event, row.Amount, row.Currency), out var byAmount))
        {
            index = FirstUnmatched(byAmount, row.Time);
        }

        if (index < 0)
        {
            return null;
        }

        _matched[index] = true;
        return _stored[index];
    }

    /// <summary>Whether a matched row's amount or currency differs from its conversion's.</summary>
    public static bool Differs(ReconciliationRow row, ReconciledConversion conversion) =>
        row.Amount != conversion.Amount
        || (row.Currency is not null && conversion.Currency is not null && !string.Equals(row.Currency, conversion.Currency, StringComparison.OrdinalIgnoreCase));

    /// <summary>The stored conversions no row matched, received within the range, oldest first.</summary>
    public List<ReconciledConversion> Unmatched(DateTimeOffset from, DateTimeOffset to)
    {
        var unmatched = new List<ReconciledConversion>();
        for (var i = 0; i < _stored.Count; i++)
        {
            if (!_matched[i] && _stored[i].ReceivedAt >= from && _stored[i].ReceivedAt <= to)
            {
                unmatched.Add(_stored[i]);
            }
        }

        unmatched.Sort((a, b) => a.ReceivedAt != b.ReceivedAt ? a.ReceivedAt.CompareTo(b.ReceivedAt) : string.CompareOrdinal(a.ConversionId, b.ConversionId));
        return unmatched;
    }

    /// <summary>The stored amounts per currency, received within the range.</summary>
    public void AddStoredTotals(Dictionary<string, decimal> totals, DateTimeOffset from, DateTimeOffset to)
    {
        foreach (var conversion in _stored)
        {
            if (conversion is { Amount: { } amount, Currency: { } currency } && conversion.ReceivedAt >= from && conversion.ReceivedAt <= to)
            {
                totals[currency] = totals.GetValueOrDefault(currency) + amount;
            }
        }
    }

    private static bool IsOncePerClick(string eventName) =>
        eventName is PostbackEvent.RegistrationName or PostbackEvent.FirstDepositName;

    private int FirstUnmatched(List<int> candidates, DateTimeOffset? near)
    {
        foreach (var index in candidates)
        {
            if (!_matched[index] && (near is not { } time || (_stored[index].ReceivedAt - time).Duration() < _window))
            {
                return index;
            }
        }

        return -1;
    }

    private static void Add<TKey>(Dictionary<TKey, List<int>> index, TKey key, int value)
        where TKey : notnull
    {
        if (!index.TryGetValue(key, out var list))
        {
            list = [];
            index.Add(key, list);
        }

        list.Add(value);
    }
}
