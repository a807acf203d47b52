using System.Collections.Concurrent;

namespace Chatterfy.Postbacks.Caching;

/// <summary>
/// The one in-memory cache of this library's look-ups (sets by token, campaigns' windows): entries keyed by an ordinal
/// string expire at a given time, and past <c>maxEntries</c> the cache starts over rather than grow, so a flood of
/// distinct keys (guessed tokens) only ever evicts it. Thread-safe; each instance caches for itself only.
/// </summary>
/// <typeparam name="TValue">The cached value; <see langword="null"/> is a value too ("not found" is worth remembering).</typeparam>
internal sealed class ExpiringCache<TValue>(int maxEntries)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>Gets the value cached for a key when it has not expired at <paramref name="now"/>.</summary>
    public bool TryGet(string key, DateTimeOffset now, out TValue value)
    {
        if (_entries.TryGetValue(key, out var entry) && entry.ExpiresAt > now)
        {
            value = entry.Value;
            return true;
        }

        value = default!;
        return false;
    }

    /// <summary>Caches a value until <paramref name="expiresAt"/>; a full cache is emptied first.</summary>
    public void Set(string key, TValue value, DateTimeOffset expiresAt)
    {
        if (_entries.Count >= maxEntries)
        {
            _entries.Clear();
        }

        _entries[key] = new Entry(value, expiresAt);
    }

    /// <summary>Forgets a key.</summary>
    public void Remove(string key) => _entries.TryRemove(key, out _);

    /// <summary>Forgets every key whose cached value matches.</summary>
    public void RemoveWhere(Func<TValue, bool> match)
    {
        foreach (var (key, entry) in _entries)
        {
            if (match(entry.Value))
            {
                _entries.TryRemove(key, out _);
            }
        }
    }

    private sealed record Entry(TValue Value, DateTimeOffset ExpiresAt);
}
