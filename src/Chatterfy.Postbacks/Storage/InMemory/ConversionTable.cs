using System.Collections.ObjectModel;
using System.Runtime.InteropServices;
using Chatterfy.Postbacks.Currencies;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Reconciliation;

namespace Chatterfy.Postbacks.Storage.InMemory;

/// <summary>
/// The stored conversions: one fixed-size slot each, in chunks that never move, with the rarely read fields encoded in a
/// <see cref="ByteArena"/>: no object per conversion. The indexes by idempotency key and by click id hold no strings: they map a hash to the newest
/// slot with it, and each slot links to the previous one with the same hash (the key itself is compared in the byte array).
/// Not thread-safe: the <see cref="InMemoryDatabase"/>'s lock guards it.
/// </summary>
internal sealed class ConversionTable
{
    // 1,024 slots of about 100 bytes: a chunk is allocated once and never copied as the table grows.
    private const int ChunkShift = 10;
    private const int ChunkSize = 1 << ChunkShift;
    private const int None = -1;

    private readonly StringPool _pool;
    private readonly ByteArena _arena = new();
    private readonly Dictionary<CompactId, int> _byId = [];
    private readonly Dictionary<int, int> _newestByKeyHash = [];
    private readonly Dictionary<int, int> _newestByClickHash = [];

    // By slot: only conversions with a reporting amount have one (most slots have none without a reporting currency).
    private readonly Dictionary<int, ReportingAmount> _reporting = [];

    // By slot: the status word and whether the map knew it (only conversions whose postback carried a status), and the
    // status changes (only changed conversions). The history ids, to refuse one used twice.
    private readonly Dictionary<int, (string Word, bool Unknown)> _statusWords = [];
    private readonly Dictionary<int, List<ConversionStatusChange>> _history = [];
    private readonly HashSet<string> _historyIds = new(StringComparer.Ordinal);
    private Slot[][] _chunks = new Slot[4][];
    private int _count;

    public ConversionTable(StringPool pool) => _pool = pool;

    public bool Contains(CompactId id) => _byId.ContainsKey(id);

    /// <summary>
    /// Encodes what the table keeps of a conversion beside its slot; safe to call outside the lock. The caller returns the
    /// buffer once the conversion is added (or not).
    /// </summary>
    public static Encoded Encode(ConversionRecord record)
    {
        var conversion = record.Conversion;
        var key = conversion.IdempotencyKey;
        var writer = new CompactWriter(256);

        // The key first: the duplicate check compares it without reading the rest.
        writer.WriteString(key.Value);
        writer.WriteString(conversion.ClickId);
        writer.WriteVarint(key.Window is { } window ? (ulong)window.Ticks + 1 : 0);
        writer.WriteString(conversion.Event.Kind == PostbackEventKind.Custom ? conversion.Event.Name : null);
        writer.WriteString(conversion.TransactionId);
        writer.WriteAddress(conversion.RemoteAddress);
        writer.WriteVarint((ulong)conversion.Attributes.Count);
        foreach (var (name, value) in conversion.Attributes)
        {
            writer.WriteString(name);
            writer.WriteString(value);
        }

        return writer.Detach();
    }

    /// <summary>
    /// Finds the stored conversion that makes one with this key value and range a duplicate: the same key value, received in
    /// the range, earliest by receive time then id.
    /// </summary>
    /// <returns>Its id, or <see langword="null"/>.</returns>
    public string? FindOriginal(string keyValue, ReceivedRange range)
    {
        if (!_newestByKeyHash.TryGetValue(Hash(keyValue), out var index))
        {
            return null;
        }

        int? best = null;
        for (; index != None; index = At(index).NextByKey)
        {
            ref var slot = ref At(index);
            if (!range.Contains(Time(slot.ReceivedAtTicks)) || !new CompactReader(_arena.Read(slot.Bytes)).StringEquals(keyValue))
            {
                continue;
            }

            if (best is not { } current || IsEarlier(ref slot, ref At(current)))
            {
                best = index;
            }
        }

        return best is { } found ? At(found).Id.ToString() : null;
    }

    /// <summary>
    /// Adds a conversion whose id is unused, with what <see cref="Encode"/> wrote of it, numbering it when it is a credited
    /// deposit (<see cref="DepositNumbering"/>).
    /// </summary>
    /// <returns>Its deposit number, or <see langword="null"/>.</returns>
    public int? Add(ConversionRecord record, CompactId id, ReadOnlySpan<byte> encoded)
    {
        var number = record.Attribution == ConversionAttribution.Credited ? NextDepositNumber(record.Conversion.ClickId, record.Conversion.Event.Kind) : null;
        var conversion = record.Conversion;
        if (_count == _chunks.Length << ChunkShift)
        {
            Array.Resize(ref _chunks, _chunks.Length * 2);
        }

        var index = _count;
        _chunks[index >> ChunkShift] ??= new Slot[ChunkSize];
        ref var slot = ref At(index);
        slot.Id = id;
        slot.Bytes = _arena.Write(encoded);
        slot.ReceivedAtTicks = conversion.ReceivedAt.UtcTicks;
        slot.SetId = _pool.Intern(conversion.SetId);
        slot.CampaignId = _pool.Intern(record.CampaignId);
        slot.Currency = _pool.Intern(conversion.Currency);
        slot.Amount = conversion.Amount ?? 0m;
        slot.HasAmount = conversion.Amount is not null;
        slot.Kind = conversion.Event.Kind;
        slot.Attribution = record.Attribution;
        slot.AttributionWindowPassed = record.AttributionWindowPassed;
        slot.DepositNumber = number ?? 0;
        slot.Status = record.Status;
        slot.NextByKey = Link(_newestByKeyHash, Hash(conversion.IdempotencyKey.Value), index);
        slot.NextByClick = Link(_newestByClickHash, Hash(conversion.ClickId), index);
        _byId.Add(id, index);
        if (record.ReportingAmount is { } reporting)
        {
            _reporting.Add(index, reporting);
        }

        if (record.StatusWord is { } word)
        {
            _statusWords.Add(index, (word, record.StatusWordUnknown));
        }

        _count++;
        return number;
    }

    /// <summary>Whether a history entry id is used.</summary>
    public bool ContainsHistoryEntry(string id) => _historyIds.Contains(id);

    /// <summary>
    /// Changes a conversion's status if it is still the change's <see cref="ConversionStatusChange.From"/>, keeping the word
    /// and the history entry (compare-and-set).
    /// </summary>
    /// <returns>Whether it changed.</returns>
    public bool ChangeStatus(CompactId id, ConversionStatusChange change, bool wordUnknown)
    {
        if (!_byId.TryGetValue(id, out var index) || At(index).Status != change.From)
        {
            return false;
        }

        At(index).Status = change.To;
        _statusWords[index] = (change.Word, wordUnknown);
        if (!_history.TryGetValue(index, out var history))
        {
            _history.Add(index, history = []);
        }

        history.Add(change);
        _historyIds.Add(change.Id);
        return true;
    }

    /// <summary>The conversions matching the query, newest first by receive time then id (descending).</summary>
    public List<ConversionRecord> List(ConversionListQuery query, IReadOnlyCollection<string>? subjectClickIds = null)
    {
        long? beforeTicks = null;
        CompactId beforeId = default;
        if (query.BeforeId is { } before)
        {
            beforeId = CompactId.From(before);
            if (!_byId.TryGetValue(beforeId, out var beforeIndex))
            {
                return [];
            }

            beforeTicks = At(beforeIndex).ReceivedAtTicks;
        }

        // The unknown words are few: the remap's read starts from them, not from every conversion.
        var indexes = query.ClickId is { } clickId ? OfClick(clickId)
            : query.StatusWordUnknown is true ? [.. _statusWords.Where(w => w.Value.Unknown).Select(w => w.Key)]
            : [.. Enumerable.Range(0, _count)];
        if (subjectClickIds is not null)
        {
            var ofSubject = subjectClickIds.SelectMany(OfClick).ToHashSet();
            indexes.RemoveAll(index => !ofSubject.Contains(index));
        }

        indexes.RemoveAll(index =>
        {
            ref var slot = ref At(index);
            return (query.SetId is not null && !string.Equals(slot.SetId, query.SetId, StringComparison.Ordinal))
                || (query.Status is { } status && slot.Status != status)
                || (query.StatusWordUnknown is { } unknown && unknown != (_statusWords.TryGetValue(index, out var word) && word.Unknown))
                || (beforeTicks is { } ticks && (slot.ReceivedAtTicks > ticks || (slot.ReceivedAtTicks == ticks && slot.Id.CompareTo(beforeId) >= 0)));
        });
        indexes.Sort((a, b) => a == b ? 0 : IsEarlier(ref At(a), ref At(b)) ? 1 : -1);
        return indexes.Take(query.Limit).Select(Read).ToList();
    }

    /// <summary>The conversions with an amount and no reporting amount whose id is after <paramref name="afterId"/>, by id.</summary>
    public List<ConversionRecord> ListWithoutReportingAmount(string? afterId, int limit)
    {
        var after = afterId is null ? (CompactId?)null : CompactId.From(afterId);
        var indexes = new List<int>();
        for (var index = 0; index < _count; index++)
        {
            ref var slot = ref At(index);
            if (slot.HasAmount && !_reporting.ContainsKey(index) && (after is not { } a || slot.Id.CompareTo(a) > 0))
            {
                indexes.Add(index);
            }
        }

        indexes.Sort((a, b) => At(a).Id.CompareTo(At(b).Id));
        return indexes.Take(limit).Select(Read).ToList();
    }

    /// <summary>Sets the reporting amount of a conversion that has none.</summary>
    /// <returns>Whether it was set.</returns>
    public bool SetReportingAmount(CompactId id, ReportingAmount amount) =>
        _byId.TryGetValue(id, out var index) && _reporting.TryAdd(index, amount);

    public ConversionRecord? Get(CompactId id) => _byId.TryGetValue(id, out var index) ? Read(index) : null;

    /// <summary>The conversions of a click, oldest first by receive time then id.</summary>
    public List<ConversionRecord> ListByClick(string clickId)
    {
        var indexes = OfClick(clickId);
        indexes.Sort((a, b) => a == b ? 0 : IsEarlier(ref At(a), ref At(b)) ? -1 : 1);
        return indexes.ConvertAll(Read);
    }

    /// <summary>
    /// The conversions of a set whose transaction id is one of <paramref name="transactionIds"/> or whose click id is one of
    /// <paramref name="clickIds"/>, each once, oldest first by receive time then id.
    /// </summary>
    public List<ReconciledConversion> ListToMatch(string setId, IReadOnlyCollection<string> transactionIds, IReadOnlyCollection<string> clickIds)
    {
        var indexes = new HashSet<int>();
        foreach (var clickId in clickIds)
        {
            foreach (var index in OfClick(clickId))
            {
                if (string.Equals(At(index).SetId, setId, StringComparison.Ordinal))
                {
                    indexes.Add(index);
                }
            }
        }

        if (transactionIds.Count > 0)
        {
            // No index by transaction id (a link in every slot for a read only reconciliation makes): one pass over the
            // set's slots, reading each one's transaction id in place.
            var wanted = new HashSet<string>(transactionIds, StringComparer.Ordinal);
            for (var index = 0; index < _count; index++)
            {
                ref var slot = ref At(index);
                if (string.Equals(slot.SetId, setId, StringComparison.Ordinal) && TransactionIdOf(ref slot) is { } transactionId && wanted.Contains(transactionId))
                {
                    indexes.Add(index);
                }
            }
        }

        var sorted = indexes.ToList();
        sorted.Sort((a, b) => a == b ? 0 : IsEarlier(ref At(a), ref At(b)) ? -1 : 1);
        return sorted.ConvertAll(ReadToReconcile);
    }

    /// <summary>
    /// A page of the set's conversions received from <paramref name="fromTicks"/> to <paramref name="toTicks"/> (inclusive),
    /// oldest first by receive time then id, after the cursor when there is one.
    /// </summary>
    public List<ReconciledConversion> ListToReconcile(string setId, long fromTicks, long toTicks, ReconciledConversion? after, int limit)
    {
        var afterTicks = after?.ReceivedAt.UtcTicks ?? long.MinValue;
        var afterId = after is null ? default : CompactId.From(after.ConversionId);
        var indexes = new List<int>();
        for (var index = 0; index < _count; index++)
        {
            ref var slot = ref At(index);
            if (slot.ReceivedAtTicks >= fromTicks && slot.ReceivedAtTicks <= toTicks
                && string.Equals(slot.SetId, setId, StringComparison.Ordinal)
                && (after is null || slot.ReceivedAtTicks > afterTicks || (slot.ReceivedAtTicks == afterTicks && slot.Id.CompareTo(afterId) > 0)))
            {
                indexes.Add(index);
            }
        }

        indexes.Sort((a, b) => a == b ? 0 : IsEarlier(ref At(a), ref At(b)) ? -1 : 1);
        return indexes.Take(limit).Select(ReadToReconcile).ToList();
    }

    /// <summary>
    /// Applies a new click's credit to the conversions that waited for it (late attribution), numbering the credited
    /// deposits in receive-time-then-id order after the click's numbered ones.
    /// </summary>
    public int Credit(string clickId, ConversionCredit credit)
    {
        var credited = 0;
        var campaignId = _pool.Intern(credit.NewCampaignId);
        var indexes = OfClick(clickId);
        indexes.Sort((a, b) => a == b ? 0 : IsEarlier(ref At(a), ref At(b)) ? -1 : 1);
        foreach (var index in indexes)
        {
            ref var slot = ref At(index);
            if (slot.Attribution == ConversionAttribution.Unattributed && !slot.AttributionWindowPassed && ContainsOrdinal(credit.CampaignIds, slot.CampaignId))
            {
                slot.DepositNumber = NextDepositNumber(clickId, slot.Kind) ?? 0;
                slot.Attribution = ConversionAttribution.Credited;
                slot.CampaignId = campaignId;
                credited++;
            }
        }

        return credited;
    }

    /// <summary>Counts and sums the conversions matching the query by kind, attribution, currency, reporting currency, deposit-number bucket and status.</summary>
    public List<ConversionTotal> Totals(ConversionTotalsQuery query)
    {
        long? from = query.From?.UtcTicks, to = query.To?.UtcTicks;
        var groups = new Dictionary<(PostbackEventKind Kind, ConversionAttribution Attribution, string? Currency, string? ReportingCurrency, int? DepositBucket, ConversionStatus Status), (long Count, decimal Amount, decimal ReportingAmount)>();
        for (var index = 0; index < _count; index++)
        {
            ref var slot = ref At(index);
            if (!Matches(ref slot, query, from, to))
            {
                continue;
            }

            var reporting = _reporting.GetValueOrDefault(index);
            ref var group = ref CollectionsMarshal.GetValueRefOrAddDefault(groups, (slot.Kind, slot.Attribution, slot.Currency, reporting?.Currency, BucketOf(ref slot), slot.Status), out _);
            group = (group.Count + 1, group.Amount + slot.Amount, group.ReportingAmount + (reporting?.Amount ?? 0m));
        }

        var totals = new List<ConversionTotal>(groups.Count);
        foreach (var ((kind, attribution, currency, reportingCurrency, bucket, status), (count, amount, reportingAmount)) in groups)
        {
            totals.Add(new ConversionTotal(kind, attribution, currency, count, amount) { ReportingCurrency = reportingCurrency, ReportingAmount = reportingAmount, DepositBucket = bucket, Status = status });
        }

        totals.Sort(static (a, b) =>
        {
            var order = a.Kind.CompareTo(b.Kind);
            order = order != 0 ? order : a.Attribution.CompareTo(b.Attribution);
            order = order != 0 ? order : string.CompareOrdinal(a.Currency, b.Currency);
            order = order != 0 ? order : string.CompareOrdinal(a.ReportingCurrency, b.ReportingCurrency);
            order = order != 0 ? order : Nullable.Compare(a.DepositBucket, b.DepositBucket);
            return order != 0 ? order : a.Status.CompareTo(b.Status);
        });
        return totals;
    }

    /// <summary>Counts the conversions matching the query by UTC day of receipt, kind, attribution, deposit-number bucket and status, in that order.</summary>
    public List<DailyConversionCount> DailyCounts(ConversionTotalsQuery query)
    {
        long? from = query.From?.UtcTicks, to = query.To?.UtcTicks;
        var groups = new Dictionary<(int Day, PostbackEventKind Kind, ConversionAttribution Attribution, int? DepositBucket, ConversionStatus Status), long>();
        for (var index = 0; index < _count; index++)
        {
            ref var slot = ref At(index);
            if (!Matches(ref slot, query, from, to))
            {
                continue;
            }

            CollectionsMarshal.GetValueRefOrAddDefault(groups, ((int)(slot.ReceivedAtTicks / TimeSpan.TicksPerDay), slot.Kind, slot.Attribution, BucketOf(ref slot), slot.Status), out _)++;
        }

        var counts = new List<DailyConversionCount>(groups.Count);
        foreach (var ((day, kind, attribution, bucket, status), count) in groups)
        {
            counts.Add(new DailyConversionCount(DateOnly.FromDayNumber(day), kind, attribution, count) { DepositBucket = bucket, Status = status });
        }

        counts.Sort(static (a, b) =>
        {
            var order = a.Day.CompareTo(b.Day);
            order = order != 0 ? order : a.Kind.CompareTo(b.Kind);
            order = order != 0 ? order : a.Attribution.CompareTo(b.Attribution);
            order = order != 0 ? order : Nullable.Compare(a.DepositBucket, b.DepositBucket);
            return order != 0 ? order : a.Status.CompareTo(b.Status);
        });
        return counts;
    }

    private static int? BucketOf(ref Slot slot) => DepositNumbering.StatsBucket(slot.DepositNumber > 0 ? slot.DepositNumber : null);

    // The number a newly credited conversion of the click takes, from the numbers its conversions hold.
    private int? NextDepositNumber(string clickId, PostbackEventKind kind)
    {
        if (!DepositNumbering.IsNumbered(kind))
        {
            return null;
        }

        int? highest = null;
        var firstTaken = false;
        foreach (var index in OfClick(clickId))
        {
            var number = At(index).DepositNumber;
            if (number > 0)
            {
                highest = Math.Max(highest ?? 0, number);
                firstTaken |= number == DepositNumbering.First;
            }
        }

        return DepositNumbering.Next(kind, highest, firstTaken);
    }

    private List<int> OfClick(string clickId)
    {
        var indexes = new List<int>();
        if (_newestByClickHash.TryGetValue(Hash(clickId), out var index))
        {
            for (; index != None; index = At(index).NextByClick)
            {
                var reader = new CompactReader(_arena.Read(At(index).Bytes));
                reader.ReadString();
                if (reader.StringEquals(clickId))
                {
                    indexes.Add(index);
                }
            }
        }

        return indexes;
    }

    // The fields before it in the encoding: the key, the click id, the window and the custom event name (see Encode).
    private string? TransactionIdOf(ref Slot slot)
    {
        var reader = new CompactReader(_arena.Read(slot.Bytes));
        reader.SkipString();
        reader.SkipString();
        reader.ReadVarint();
        reader.SkipString();
        return reader.ReadString();
    }

    private ConversionRecord Read(int index)
    {
        ref var slot = ref At(index);
        var reader = new CompactReader(_arena.Read(slot.Bytes));
        var keyValue = reader.ReadString()!;
        var clickId = reader.ReadString()!;
        var window = reader.ReadVarint();
        var customName = reader.ReadString();
        var transactionId = reader.ReadString();
        var remoteAddress = reader.ReadAddress();
        var attributeCount = (int)reader.ReadVarint();
        var attributes = ReadOnlyDictionary<string, string>.Empty;
        if (attributeCount > 0)
        {
            var values = new Dictionary<string, string>(attributeCount, StringComparer.Ordinal);
            for (var i = 0; i < attributeCount; i++)
            {
                values[reader.ReadString()!] = reader.ReadString()!;
            }

            attributes = values.AsReadOnly();
        }

        PostbackEvent conversionEvent;
        if (slot.Kind != PostbackEventKind.Custom)
        {
            conversionEvent = PostbackEvent.FromKind(slot.Kind);
        }
        else if (!PostbackEvent.TryParse(customName, out conversionEvent))
        {
            throw new InvalidOperationException($"The stored event name '{customName}' is not an event name.");
        }

        return new ConversionRecord
        {
            Id = slot.Id.ToString(),
            Attribution = slot.Attribution,
            CampaignId = slot.CampaignId,
            AttributionWindowPassed = slot.AttributionWindowPassed,
            DepositNumber = slot.DepositNumber > 0 ? slot.DepositNumber : null,
            Conversion = new Conversion
            {
                SetId = slot.SetId,
                Event = conversionEvent,
                ClickId = clickId,
                Amount = slot.HasAmount ? slot.Amount : null,
                Currency = slot.Currency,
                TransactionId = transactionId,
                Attributes = attributes,
                ReceivedAt = Time(slot.ReceivedAtTicks),
                RemoteAddress = remoteAddress,
                IdempotencyKey = new IdempotencyKey(keyValue, window == 0 ? null : TimeSpan.FromTicks((long)(window - 1))),
            },
            ReportingAmount = _reporting.GetValueOrDefault(index),
            Status = slot.Status,
            StatusWord = _statusWords.TryGetValue(index, out var statusWord) ? statusWord.Word : null,
            StatusWordUnknown = statusWord.Unknown,
            History = _history.TryGetValue(index, out var history) ? history.ToArray() : [],
        };
    }

    // Only what reconciliation matches on: the click id and transaction id are decoded, nothing else of the bytes.
    private ReconciledConversion ReadToReconcile(int index)
    {
        ref var slot = ref At(index);
        var reader = new CompactReader(_arena.Read(slot.Bytes));
        reader.SkipString();
        var clickId = reader.ReadString()!;
        reader.ReadVarint();
        var customName = reader.ReadString();
        var transactionId = reader.ReadString();
        var eventName = slot.Kind != PostbackEventKind.Custom ? PostbackEvent.FromKind(slot.Kind).Name : customName!;
        return new ReconciledConversion(slot.Id.ToString(), clickId, eventName, slot.HasAmount ? slot.Amount : null, slot.Currency, transactionId, Time(slot.ReceivedAtTicks));
    }

    // The filter of Totals and DailyCounts: the receive range [from, to), the set and the campaign.
    private static bool Matches(ref Slot slot, ConversionTotalsQuery query, long? from, long? to) =>
        (from is not { } f || slot.ReceivedAtTicks >= f)
        && (to is not { } t || slot.ReceivedAtTicks < t)
        && (query.SetId is null || string.Equals(slot.SetId, query.SetId, StringComparison.Ordinal))
        && (query.CampaignId is null || string.Equals(slot.CampaignId, query.CampaignId, StringComparison.Ordinal));

    private ref Slot At(int index) => ref _chunks[index >> ChunkShift][index & (ChunkSize - 1)];

    private static int Link(Dictionary<int, int> newest, int hash, int index)
    {
        ref var head = ref CollectionsMarshal.GetValueRefOrAddDefault(newest, hash, out var existed);
        var previous = existed ? head : None;
        head = index;
        return previous;
    }

    private static int Hash(string value) => string.GetHashCode(value, StringComparison.Ordinal);

    private static DateTimeOffset Time(long utcTicks) => new(utcTicks, TimeSpan.Zero);

    private static bool IsEarlier(ref Slot a, ref Slot b)
    {
        var byTime = a.ReceivedAtTicks.CompareTo(b.ReceivedAtTicks);
        return byTime < 0 || (byTime == 0 && a.Id.CompareTo(b.Id) < 0);
    }

    private static bool ContainsOrdinal(IReadOnlyList<string?> values, string? value)
    {
        foreach (var candidate in values)
        {
            if (string.Equals(candidate, value, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// One conversion: what filters and stats read, in place; the rest encoded at <see cref="Bytes"/>. The strings are
    /// pooled (a set id, campaign or currency is one string however many conversions name it).
    /// </summary>
    private struct Slot
    {
        public CompactId Id;
        public ByteArena.Address Bytes;
        public long ReceivedAtTicks;
        public decimal Amount;
        public string SetId;
        public string? CampaignId;
        public string? Currency;
        public int NextByKey;
        public int NextByClick;
        public int DepositNumber;
        public PostbackEventKind Kind;
        public ConversionAttribution Attribution;
        public ConversionStatus Status;
        public bool HasAmount;
        public bool AttributionWindowPassed;
    }
}
