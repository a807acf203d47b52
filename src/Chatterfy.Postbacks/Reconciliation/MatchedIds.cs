using Chatterfy.Postbacks.Storage.InMemory;

namespace Chatterfy.Postbacks.Reconciliation;

/// <summary>
/// The ids of the stored conversions a reconciliation matched, compactly: one sorted array of <see cref="CompactId"/>s
/// (24 bytes each; an id the SDK minted is held as two numbers, without its string), searched by halves, plus the ids of
/// the current batch until <see cref="Commit"/> merges them in place.
/// </summary>
internal sealed class MatchedIds
{
    private readonly HashSet<CompactId> _pending = [];
    private CompactId[] _sorted = new CompactId[1024];
    private int _count;

    public void Add(string id) => _pending.Add(CompactId.From(id));

    public bool Contains(string id)
    {
        var compact = CompactId.From(id);
        return _pending.Contains(compact) || Array.BinarySearch(_sorted, 0, _count, compact) >= 0;
    }

    /// <summary>Merges the ids added since the last commit into the sorted array, from its end, without a second array.</summary>
    public void Commit()
    {
        if (_pending.Count == 0)
        {
            return;
        }

        var added = _pending.ToArray();
        _pending.Clear();
        Array.Sort(added);
        if (_count + added.Length > _sorted.Length)
        {
            Array.Resize(ref _sorted, Math.Max(_sorted.Length * 2, _count + added.Length));
        }

        var write = _count + added.Length - 1;
        var old = _count - 1;
        for (var next = added.Length - 1; next >= 0; write--)
        {
            _sorted[write] = old >= 0 && _sorted[old].CompareTo(added[next]) > 0 ? _sorted[old--] : added[next--];
        }

        _count += added.Length;
    }
}
