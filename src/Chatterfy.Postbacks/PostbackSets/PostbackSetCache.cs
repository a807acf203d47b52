using Chatterfy.Postbacks.Caching;
using Chatterfy.Postbacks.Storage;
using Microsoft.Extensions.Options;

namespace Chatterfy.Postbacks.PostbackSets;

/// <summary>
/// Caches token lookups in memory: known tokens for <see cref="ChatterfyPostbacksOptions.SetCacheDuration"/> and
/// unknown ones for <see cref="ChatterfyPostbacksOptions.UnknownTokenCacheDuration"/>, so the hot path and brute-force
/// guessing do not reach the database on every request. <see cref="PostbackSetService"/> invalidates this instance's
/// entries at once when it changes a set; other instances see the change when their entries expire.
/// </summary>
internal sealed class PostbackSetCache(PostbackSetStore store, IOptionsMonitor<ChatterfyPostbacksOptions> options, TimeProvider timeProvider)
{
    // Enough for every real set many times over; a flood of random tokens only ever evicts the cache, never grows it unbounded.
    private readonly ExpiringCache<PostbackSet?> _byToken = new(maxEntries: 100_000);

    public async ValueTask<PostbackSet?> FindByTokenAsync(string token, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        if (_byToken.TryGet(token, now, out var cached))
        {
            return cached;
        }

        var set = await store.FindByTokenAsync(token, now, cancellationToken).ConfigureAwait(false);
        var current = options.CurrentValue;
        var lifetime = set is null ? current.UnknownTokenCacheDuration : current.SetCacheDuration;

        // A rotated-away token in its grace period is not cached: the store knows when the grace ends, the cache does not.
        var inGracePeriod = set is not null && !string.Equals(set.Token, token, StringComparison.Ordinal);
        if (lifetime > TimeSpan.Zero && !inGracePeriod)
        {
            _byToken.Set(token, set, now + lifetime);
        }

        return set;
    }

    /// <summary>Forgets every cached lookup of the set and of the given tokens (a new set's token may be cached as unknown).</summary>
    public void Invalidate(string? setId, params ReadOnlySpan<string?> tokens)
    {
        foreach (var token in tokens)
        {
            if (token is not null)
            {
                _byToken.Remove(token);
            }
        }

        if (setId is not null)
        {
            _byToken.RemoveWhere(set => set is not null && string.Equals(set.Id, setId, StringComparison.Ordinal));
        }
    }
}
