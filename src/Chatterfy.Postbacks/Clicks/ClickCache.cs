using System.Collections.Concurrent;
using Chatterfy.Postbacks.Storage;

namespace Chatterfy.Postbacks.Clicks;

/// <summary>
/// What attribution needs of a click, kept in memory so that a postback for a known click does not ask the store: its id,
/// campaign and creation time, which never change. Bounded: two generations of at most <see cref="GenerationSize"/>
/// clicks each; when the newer one fills up, the older one is dropped (a click used again is carried over). A miss asks
/// the store, and a click the store does not know is never remembered, so a click created a moment ago on another instance
/// sharing the database is found. Personal data and the subject are not here: whoever needs them reads the store (the
/// outbox dispatcher always does).
/// </summary>
internal sealed class ClickCache(ClickStore store)
{
    /// <summary>The most clicks one generation holds: with two, at most 100,000 clicks (about 15 MiB).</summary>
    internal const int GenerationSize = 50_000;

    private readonly Lock _turnover = new();
    private ConcurrentDictionary<string, CachedClick> _current = new(StringComparer.Ordinal);
    private ConcurrentDictionary<string, CachedClick> _previous = new(StringComparer.Ordinal);
    private int _currentCount;

    /// <summary>Finds a click by id: from memory, or from the store (and then remembered).</summary>
    /// <returns>The click's campaign and creation time, or <see langword="null"/> when the store does not know it.</returns>
    public async ValueTask<CachedClick?> FindAsync(string clickId, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _current).TryGetValue(clickId, out var cached))
        {
            return cached;
        }

        if (Volatile.Read(ref _previous).TryGetValue(clickId, out cached))
        {
            Remember(cached);
            return cached;
        }

        var click = await store.FindAsync(clickId, cancellationToken).ConfigureAwait(false);
        if (click is null)
        {
            return null;
        }

        cached = CachedClick.Of(click);
        Remember(cached);
        return cached;
    }

    /// <summary>Remembers a click just stored.</summary>
    public void Remember(Click click) => Remember(CachedClick.Of(click));

    private void Remember(CachedClick click)
    {
        if (!Volatile.Read(ref _current).TryAdd(click.Id, click))
        {
            return;
        }

        if (Interlocked.Increment(ref _currentCount) < GenerationSize)
        {
            return;
        }

        lock (_turnover)
        {
            if (Volatile.Read(ref _currentCount) < GenerationSize)
            {
                return;
            }

            Volatile.Write(ref _previous, _current);
            Volatile.Write(ref _current, new ConcurrentDictionary<string, CachedClick>(StringComparer.Ordinal));
            Volatile.Write(ref _currentCount, 0);
        }
    }
}
