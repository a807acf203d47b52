using Chatterfy.Postbacks.Ingestion;

namespace Chatterfy.Postbacks.Storage.InMemory;

/// <summary>
/// The postback log: one small slot per entry in sorted chunks of slots (oldest first by receive time, then id), with the
/// request and the codes encoded in a <see cref="ByteArena"/>: no object per entry. Entries arrive almost in order, so an
/// entry is nearly always appended to the last chunk; one that arrives out of order (a replay keeps its original time) is
/// inserted into its chunk, which is split at that point when full. Purging removes the oldest chunks whole. Not
/// thread-safe: the <see cref="InMemoryDatabase"/>'s lock guards it.
/// </summary>
internal sealed class LogTable(StringPool pool)
{
    private const int ChunkCapacity = 512;

    private readonly List<Chunk> _chunks = [];
    private readonly Dictionary<CompactId, long> _ticksById = [];
    private readonly ByteArena _arena = new();

    public bool Contains(CompactId id) => _ticksById.ContainsKey(id);

    /// <summary>Encodes what the table keeps of an entry beside its slot; safe to call outside the lock.</summary>
    public static Encoded Encode(PostbackLogEntry entry)
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
        return writer.Detach();
    }

    /// <summary>Adds an entry whose id is unused, with the outcome, conversion id and deposit number it is stored with.</summary>
    public void Add(PostbackLogEntry entry, CompactId id, ReadOnlySpan<byte> encoded, PostbackOutcome outcome, string? conversionId, int? depositNumber = null)
    {
        var slot = new Slot
        {
            Ticks = entry.ReceivedAt.UtcTicks,
            Id = id,
            SetId = pool.Intern(entry.SetId),
            Code = pool.Intern(entry.Code),
            Outcome = outcome,
            ConversionId = conversionId is null ? default : CompactId.From(conversionId),
            HasConversionId = conversionId is not null,
            DepositNumber = depositNumber ?? 0,
            Bytes = _arena.Write(encoded),
        };
        Insert(slot);
        _ticksById.Add(id, slot.Ticks);
    }

    public PostbackLogEntry? Get(CompactId id) =>
        _ticksById.TryGetValue(id, out var ticks) && Locate(ticks, id) is { } at ? Read(_chunks[at.Chunk].Slots[at.Index]) : null;

    /// <summary>The entries matching the query, newest first.</summary>
    public List<PostbackLogEntry> List(PostbackLogQuery query)
    {
        var page = new List<PostbackLogEntry>(Math.Min(query.Limit, 64));
        (int Chunk, int Index) start;
        if (query.BeforeId is null)
        {
            start = (_chunks.Count - 1, _chunks.Count == 0 ? -1 : _chunks[^1].Count - 1);
        }
        else
        {
            var cursorId = CompactId.From(query.BeforeId);
            if (!_ticksById.TryGetValue(cursorId, out var ticks) || Locate(ticks, cursorId) is not { } cursor)
            {
                return page;
            }

            // The entry just older than the cursor.
            start = (cursor.Chunk, cursor.Index - 1);
        }

        long? from = query.From?.UtcTicks, to = query.To?.UtcTicks;
        for (var c = start.Chunk; c >= 0; c--)
        {
            var chunk = _chunks[c];
            for (var i = c == start.Chunk ? start.Index : chunk.Count - 1; i >= 0; i--)
            {
                ref var slot = ref chunk.Slots[i];
                if (from is { } f && slot.Ticks < f)
                {
                    // Newest first: every entry from here on is older still.
                    return page;
                }

                if ((to is not { } t || slot.Ticks < t)
                    && (query.SetId is null || string.Equals(slot.SetId, query.SetId, StringComparison.Ordinal))
                    && (query.Outcome is null || slot.Outcome == query.Outcome)
                    && (query.Code is null || string.Equals(slot.Code, query.Code, StringComparison.Ordinal)))
                {
                    page.Add(Read(slot));
                    if (page.Count == query.Limit)
                    {
                        return page;
                    }
                }
            }
        }

        return page;
    }

    public int Purge(DateTimeOffset receivedBefore)
    {
        var cutoff = receivedBefore.UtcTicks;
        var purged = 0;
        var whole = 0;
        while (whole < _chunks.Count && _chunks[whole].Slots[_chunks[whole].Count - 1].Ticks < cutoff)
        {
            purged += Forget(_chunks[whole], _chunks[whole].Count);
            whole++;
        }

        _chunks.RemoveRange(0, whole);
        if (_chunks.Count > 0)
        {
            // The oldest chunk left has some entries to keep: drop the ones before them.
            var first = _chunks[0];
            var older = 0;
            while (first.Slots[older].Ticks < cutoff)
            {
                older++;
            }

            purged += Forget(first, older);
            Array.Copy(first.Slots, older, first.Slots, 0, first.Count - older);
            Array.Clear(first.Slots, first.Count - older, older);
            first.Count -= older;
        }

        return purged;
    }

    /// <summary>Counts the entries matching the query; <paramref name="campaignOfSet"/> gives a set's campaign scope, deleted sets included.</summary>
    public long Count(LogCountQuery query, Func<string, string?> campaignOfSet)
    {
        long? from = query.From?.UtcTicks, to = query.To?.UtcTicks;
        long count = 0;
        foreach (var chunk in _chunks)
        {
            for (var i = 0; i < chunk.Count; i++)
            {
                ref var slot = ref chunk.Slots[i];
                if (slot.Outcome == query.Outcome
                    && (from is not { } f || slot.Ticks >= f)
                    && (to is not { } t || slot.Ticks < t)
                    && (query.SetId is null || string.Equals(slot.SetId, query.SetId, StringComparison.Ordinal))
                    && (query.SetCampaignId is null || string.Equals(campaignOfSet(slot.SetId), query.SetCampaignId, StringComparison.Ordinal)))
                {
                    count++;
                }
            }
        }

        return count;
    }

    private static int Compare(long ticks, CompactId id, ref Slot slot)
    {
        var byTime = ticks.CompareTo(slot.Ticks);
        return byTime != 0 ? byTime : id.CompareTo(slot.Id);
    }

    private void Insert(Slot slot)
    {
        if (_chunks.Count == 0 || Compare(slot.Ticks, slot.Id, ref Last(_chunks[^1])) > 0)
        {
            // In order, as nearly every entry is.
            if (_chunks.Count == 0 || _chunks[^1].Count == ChunkCapacity)
            {
                _chunks.Add(new Chunk());
            }

            var last = _chunks[^1];
            last.Slots[last.Count++] = slot;
            return;
        }

        var c = FirstChunkEndingAfter(slot.Ticks, slot.Id);
        var chunk = _chunks[c];
        var index = Position(chunk, slot.Ticks, slot.Id);
        if (chunk.Count == ChunkCapacity)
        {
            // Split where the entry goes: the slots after it move to a new chunk, and it joins the end of this one.
            var tail = new Chunk { Count = chunk.Count - index };
            Array.Copy(chunk.Slots, index, tail.Slots, 0, tail.Count);
            Array.Clear(chunk.Slots, index, tail.Count);
            chunk.Count = index;
            _chunks.Insert(c + 1, tail);
        }
        else
        {
            Array.Copy(chunk.Slots, index, chunk.Slots, index + 1, chunk.Count - index);
        }

        chunk.Slots[index] = slot;
        chunk.Count++;
    }

    /// <summary>Where the entry with this receive time and id is, if it is stored.</summary>
    private (int Chunk, int Index)? Locate(long ticks, CompactId id)
    {
        if (_chunks.Count == 0 || Compare(ticks, id, ref Last(_chunks[^1])) > 0)
        {
            return null;
        }

        var c = FirstChunkEndingAfter(ticks, id, inclusive: true);
        var index = Position(_chunks[c], ticks, id);
        return index < _chunks[c].Count && Compare(ticks, id, ref _chunks[c].Slots[index]) == 0 ? (c, index) : null;
    }

    /// <summary>The first chunk whose last slot comes after (or, inclusive, is) the given one; there is one.</summary>
    private int FirstChunkEndingAfter(long ticks, CompactId id, bool inclusive = false)
    {
        int low = 0, high = _chunks.Count - 1;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            var comparison = Compare(ticks, id, ref Last(_chunks[middle]));
            if (comparison < 0 || (inclusive && comparison == 0))
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return low;
    }

    /// <summary>The index of the first slot of the chunk that is not before the given one.</summary>
    private static int Position(Chunk chunk, long ticks, CompactId id)
    {
        int low = 0, high = chunk.Count;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (Compare(ticks, id, ref chunk.Slots[middle]) > 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    private static ref Slot Last(Chunk chunk) => ref chunk.Slots[chunk.Count - 1];

    private int Forget(Chunk chunk, int count)
    {
        for (var i = 0; i < count; i++)
        {
            _arena.Release(chunk.Slots[i].Bytes);
            _ticksById.Remove(chunk.Slots[i].Id);
        }

        return count;
    }

    private PostbackLogEntry Read(in Slot slot)
    {
        var reader = new CompactReader(_arena.Read(slot.Bytes));
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
            DepositNumber = slot.DepositNumber > 0 ? slot.DepositNumber : null,
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

    /// <summary>Up to <see cref="ChunkCapacity"/> slots, sorted oldest first.</summary>
    private sealed class Chunk
    {
        public Slot[] Slots { get; } = new Slot[ChunkCapacity];

        public int Count { get; set; }
    }

    /// <summary>One entry: what lists and counts filter on, in place (the rejection code pooled); the request and the codes encoded at <see cref="Bytes"/>.</summary>
    private struct Slot
    {
        public long Ticks;
        public CompactId Id;
        public string SetId;
        public string? Code;
        public PostbackOutcome Outcome;
        public CompactId ConversionId;
        public bool HasConversionId;
        public int DepositNumber;
        public ByteArena.Address Bytes;
    }
}
