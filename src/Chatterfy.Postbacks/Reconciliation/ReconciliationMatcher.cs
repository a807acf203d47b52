using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Storage;
using Chatterfy.Postbacks.Storage.InMemory;

namespace Chatterfy.Postbacks.Reconciliation;

/// <summary>
/// The one home of the matching rules: a row matches an unmatched stored conversion of the same event on the transaction
/// id; else, for a registration or a first deposit, on the click; else on the click, amount and currency with the receive
/// time less than the de-duplication window from the row's time. The rows are streamed; the stored side is held compactly.
/// </summary>
/// <remarks>
/// What is kept per stored conversion of the range (about 100 bytes beyond its click id and transaction id): one slot of a
/// growing array (the id as two numbers when the SDK minted it, the click id, event and currency shared with the other
/// conversions that name them, the amount, the time as ticks and two chain links) and one entry in each of two
/// dictionaries, by click id and by transaction id, whose value is the head of the chain of slots with that key. A
/// <see cref="ConversionRecord"/> is dropped as soon as its slot is filled. The stored side is read newest first, so a chain
/// (newest added at its head) runs oldest first: a row takes the oldest unmatched candidate.
/// </remarks>
internal sealed class ReconciliationMatcher
{
    private readonly Dictionary<string, int> _byClick = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _byTransaction = new(StringComparer.Ordinal);
    private readonly StringPool _words = new();
    private readonly long _windowTicks;
    private Slot[] _slots = new Slot[1024];
    private int _count;

    public ReconciliationMatcher(TimeSpan window) => _windowTicks = window.Ticks;

    public void AddStored(ConversionRecord record)
    {
        var c = record.Conversion;
        if (_count == _slots.Length)
        {
            Array.Resize(ref _slots, _count * 2);
        }

        var index = _count++;
        ref var slot = ref _slots[index];
        slot.Id = CompactId.From(record.Id);
        slot.Event = _words.Intern(c.Event.Name);
        slot.Amount = c.Amount;
        slot.Currency = _words.Intern(c.Currency);
        slot.TransactionId = c.TransactionId;
        slot.ReceivedAt = c.ReceivedAt.UtcTicks;

        // The click id string is shared by the chain's head key and every slot of the click.
        ref var clickHead = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_byClick, c.ClickId, out var clickSeen);
        slot.NextOnClick = clickSeen ? clickHead : -1;
        clickHead = index;
        slot.ClickId = clickSeen && slot.NextOnClick >= 0 ? _slots[slot.NextOnClick].ClickId : c.ClickId;
        if (c.TransactionId is { } tid)
        {
            ref var tidHead = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_byTransaction, tid, out var tidSeen);
            slot.NextOnTransaction = tidSeen ? tidHead : -1;
            tidHead = index;
        }
        else
        {
            slot.NextOnTransaction = -1;
        }
    }

    /// <summary>Matches a row; returns the matched conversion, or <see langword="null"/> when none (missing here).</summary>
    public ReconciledConversion? Match(ReconciliationRow row)
    {
        var index = -1;
        if (row.TransactionId is { } tid && _byTransaction.TryGetValue(tid, out var head))
        {
            for (var i = head; i >= 0 && index < 0; i = _slots[i].NextOnTransaction)
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
            for (var i = clickHead; i >= 0 && index < 0; i = _slots[i].NextOnClick)
            {
                ref readonly var slot = ref _slots[i];
                if (IsCandidate(i, row.Event)
                    && (oncePerClick
                        || (slot.Amount == row.Amount && string.Equals(slot.Currency, row.Currency, StringComparison.Ordinal) && Math.Abs(slot.ReceivedAt - time) < _windowTicks)))
                {
                    index = i;
                }
            }
        }

        if (index < 0)
        {
            return null;
        }

        _slots[index].Matched = true;
        return Conversion(index);
    }

    /// <summary>Whether a matched row's amount or currency differs from its conversion's.</summary>
    public static bool Differs(ReconciliationRow row, ReconciledConversion conversion) =>
        row.Amount != conversion.Amount
        || (row.Currency is not null && conversion.Currency is not null && !string.Equals(row.Currency, conversion.Currency, StringComparison.OrdinalIgnoreCase));

    /// <summary>Counts the stored conversions no row matched, received within the range, and lists the oldest <paramref name="limit"/> of them.</summary>
    public (long Count, List<ReconciledConversion> Listed) Unmatched(DateTimeOffset from, DateTimeOffset to, int limit)
    {
        long count = 0;
        var listed = new List<int>();
        for (var i = 0; i < _count; i++)
        {
            if (!_slots[i].Matched && InRange(i, from, to))
            {
                count++;
                listed.Add(i);
            }
        }

        listed.Sort((a, b) => _slots[a].ReceivedAt != _slots[b].ReceivedAt ? _slots[a].ReceivedAt.CompareTo(_slots[b].ReceivedAt) : _slots[a].Id.CompareTo(_slots[b].Id));
        return (count, [.. listed.Take(limit).Select(Conversion)]);
    }

    /// <summary>The stored amounts per currency, received within the range.</summary>
    public void AddStoredTotals(Dictionary<string, decimal> totals, DateTimeOffset from, DateTimeOffset to)
    {
        for (var i = 0; i < _count; i++)
        {
            if (_slots[i] is { Amount: { } amount, Currency: { } currency } && InRange(i, from, to))
            {
                totals[currency] = totals.GetValueOrDefault(currency) + amount;
            }
        }
    }

    private static bool IsOncePerClick(string eventName) =>
        eventName is PostbackEvent.RegistrationName or PostbackEvent.FirstDepositName;

    private bool IsCandidate(int index, string eventName) =>
        !_slots[index].Matched && string.Equals(_slots[index].Event, eventName, StringComparison.Ordinal);

    private bool InRange(int index, DateTimeOffset from, DateTimeOffset to) =>
        _slots[index].ReceivedAt >= from.UtcTicks && _slots[index].ReceivedAt <= to.UtcTicks;

    private ReconciledConversion Conversion(int index)
    {
        ref readonly var slot = ref _slots[index];
        return new(slot.Id.ToString(), slot.ClickId, slot.Event, slot.Amount, slot.Currency, slot.TransactionId, new DateTimeOffset(slot.ReceivedAt, TimeSpan.Zero));
    }

    /// <summary>One stored conversion of the range.</summary>
    private struct Slot
    {
        public CompactId Id;
        public string ClickId;
        public string Event;
        public string? Currency;
        public string? TransactionId;
        public decimal? Amount;
        public long ReceivedAt;
        public int NextOnClick;
        public int NextOnTransaction;
        public bool Matched;
    }
}
