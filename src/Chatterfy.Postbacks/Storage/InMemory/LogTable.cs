using Chatterfy.Postbacks.Ingestion;

namespace Chatterfy.Postbacks.Storage.InMemory;

/// <summary>
/// The postback log, newest first: one small slot per entry in a sorted set, with the request and the codes in one byte
/// array. Not thread-safe: the <see cref="InMemoryDatabase"/>'s lock guards it.
/// </summary>
internal sealed class LogTable(StringPool pool)
{
    private readonly SortedSet<Slot> _newestFirst = new(NewestFirst.Instance);
    private readonly Dictionary<CompactId, long> _ticksById = [];

    public bool Contains(CompactId id) => _ticksById.ContainsKey(id);

    /// <summary>Encodes what the table keeps of an entry in its byte array; safe to call outside the lock.</summary>
    public static byte[] Encode(PostbackLogEntry entry)
    {
        var request = entry.Request;
        var writer = new CompactWriter(512);
        writer.WriteString(entry.Code);
        writer.WriteVarint((ulong)entry.Warnings.Count);
        foreach (var warning in entry.Warnings)
        {
            writer.WriteString(warning);
        }

        writer.WriteString(request.Method);
        writer.WriteString(request.Path);
        writer.WriteString(request.EventSegment);
        writer.WriteString(request.QueryString);
        writer.WriteString(request.Body);
        writer.WriteString(request.ContentType);
        writer.WriteAddress(request.RemoteAddress);
        return writer.ToArrayAndReturn();
    }

    /// <summary>Adds an entry whose id is unused, with the outcome and conversion id it is stored with.</summary>
    public void Add(PostbackLogEntry entry, CompactId id, byte[] blob, PostbackOutcome outcome, string? conversionId)
    {
        var slot = new Slot
        {
            Ticks = entry.ReceivedAt.UtcTicks,
            Id = id,
            SetId = pool.Intern(entry.SetId),
            Outcome = outcome,
            ConversionId = conversionId is null ? default : CompactId.From(conversionId),
            HasConversionId = conversionId is not null,
            Blob = blob,
        };
        _newestFirst.Add(slot);
        _ticksById.Add(id, slot.Ticks);
    }

    public PostbackLogEntry? Get(CompactId id) =>
        _ticksById.TryGetValue(id, out var ticks) && _newestFirst.TryGetValue(new Slot { Ticks = ticks, Id = id }, out var slot) ? Read(slot) : null;

    public List<PostbackLogEntry> List(PostbackLogQuery query)
    {
        var page = new List<PostbackLogEntry>(Math.Min(query.Limit, 64));
        IEnumerable<Slot> candidates = _newestFirst;
        if (query.BeforeId is not null)
        {
            var cursorId = CompactId.From(query.BeforeId);
            if (!_ticksById.TryGetValue(cursorId, out var ticks))
            {
                return page;
            }

            // The view starts at the cursor itself (inclusive); skip it.
            candidates = _newestFirst.GetViewBetween(new Slot { Ticks = ticks, Id = cursorId }, _newestFirst.Max).Skip(1);
        }

        foreach (var slot in candidates)
        {
            if ((query.SetId is null || string.Equals(slot.SetId, query.SetId, StringComparison.Ordinal))
                && (query.Outcome is null || slot.Outcome == query.Outcome))
            {
                page.Add(Read(slot));
                if (page.Count == query.Limit)
                {
                    break;
                }
            }
        }

        return page;
    }

    public int Purge(DateTimeOffset receivedBefore)
    {
        var cutoff = receivedBefore.UtcTicks;

        // Oldest first, so the walk stops at the first entry that stays.
        var purged = new List<Slot>();
        foreach (var slot in _newestFirst.Reverse())
        {
            if (slot.Ticks >= cutoff)
            {
                break;
            }

            purged.Add(slot);
        }

        foreach (var slot in purged)
        {
            _newestFirst.Remove(slot);
            _ticksById.Remove(slot.Id);
        }

        return purged.Count;
    }

    /// <summary>Counts the entries matching the query; <paramref name="campaignOfSet"/> gives a set's campaign scope, deleted sets included.</summary>
    public long Count(LogCountQuery query, Func<string, string?> campaignOfSet)
    {
        long? from = query.From?.UtcTicks, to = query.To?.UtcTicks;
        long count = 0;
        foreach (var slot in _newestFirst)
        {
            if (slot.Outcome == query.Outcome
                && (from is not { } f || slot.Ticks >= f)
                && (to is not { } t || slot.Ticks < t)
                && (query.SetId is null || string.Equals(slot.SetId, query.SetId, StringComparison.Ordinal))
                && (query.SetCampaignId is null || string.Equals(campaignOfSet(slot.SetId), query.SetCampaignId, StringComparison.Ordinal)))
            {
                count++;
            }
        }

        return count;
    }

    private static PostbackLogEntry Read(Slot slot)
    {
        var reader = new CompactReader(slot.Blob);
        var code = reader.ReadString();
        var warnings = new string[(int)reader.ReadVarint()];
        for (var i = 0; i < warnings.Length; i++)
        {
            warnings[i] = reader.ReadString()!;
        }

        return new PostbackLogEntry
        {
            Id = slot.Id.ToString(),
            ReceivedAt = new DateTimeOffset(slot.Ticks, TimeSpan.Zero),
            SetId = slot.SetId,
            Outcome = slot.Outcome,
            Code = code,
            Warnings = warnings,
            ConversionId = slot.HasConversionId ? slot.ConversionId.ToString() : null,
            Request = new PostbackRequest
            {
                Method = reader.ReadString()!,
                Path = reader.ReadString()!,
                EventSegment = reader.ReadString(),
                QueryString = reader.ReadString()!,
                Body = reader.ReadString(),
                ContentType = reader.ReadString(),
                RemoteAddress = reader.ReadAddress(),
            },
        };
    }

    /// <summary>One entry: what lists and counts filter on, in place; the request and the codes in <see cref="Blob"/>.</summary>
    private struct Slot
    {
        public long Ticks;
        public CompactId Id;
        public string SetId;
        public PostbackOutcome Outcome;
        public CompactId ConversionId;
        public bool HasConversionId;
        public byte[] Blob;
    }

    /// <summary>Newest first: receive time descending, then id descending (ordinal). Ids are unique, so the order is total.</summary>
    private sealed class NewestFirst : IComparer<Slot>
    {
        public static NewestFirst Instance { get; } = new();

        public int Compare(Slot x, Slot y)
        {
            var byTime = y.Ticks.CompareTo(x.Ticks);
            return byTime != 0 ? byTime : y.Id.CompareTo(x.Id);
        }
    }
}
