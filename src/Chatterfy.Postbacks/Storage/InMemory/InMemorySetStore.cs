using Chatterfy.Postbacks.PostbackSets;

namespace Chatterfy.Postbacks.Storage.InMemory;

/// <summary>The in-memory store's sets and tokens.</summary>
internal sealed class InMemorySetStore(InMemoryDatabase db) : PostbackSetStore
{
    protected override ValueTask AddCoreAsync(PostbackSet postbackSet, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var copy = Copy(postbackSet);
        lock (db.Lock)
        {
            if (db.Sets.ContainsKey(copy.Id))
            {
                throw new InvalidOperationException($"A postback set with id '{copy.Id}' exists or existed.");
            }

            ThrowIfTokenUsed(copy.Token);
            var state = new InMemoryDatabase.SetState(copy);
            db.Sets.Add(copy.Id, state);
            db.SetsByToken.Add(copy.Token, state);
        }

        return ValueTask.CompletedTask;
    }

    protected override ValueTask<PostbackSet?> GetCoreAsync(string setId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (db.Lock)
        {
            return new(FindLive(setId)?.Set);
        }
    }

    protected override ValueTask<PostbackSet?> GetIncludingDeletedCoreAsync(string setId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (db.Lock)
        {
            return new(db.Sets.GetValueOrDefault(setId)?.Set);
        }
    }

    protected override ValueTask<bool> IsIdUsedCoreAsync(string setId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (db.Lock)
        {
            // A deleted set stays in Sets, marked Deleted.
            return new(db.Sets.ContainsKey(setId));
        }
    }

    protected override ValueTask<PostbackSet?> FindByTokenCoreAsync(string token, DateTimeOffset now, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (db.Lock)
        {
            if (!db.SetsByToken.TryGetValue(token, out var state) || state.Deleted)
            {
                return new((PostbackSet?)null);
            }

            if (string.Equals(state.Set.Token, token, StringComparison.Ordinal))
            {
                return new(state.Set);
            }

            var inGrace = string.Equals(state.PreviousToken, token, StringComparison.Ordinal)
                && state.PreviousTokenValidUntil is { } until
                && now < until;
            return new(inGrace ? state.Set : null);
        }
    }

    protected override ValueTask<IReadOnlyList<PostbackSet>> ListCoreAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        List<PostbackSet> sets;
        lock (db.Lock)
        {
            sets = [.. db.Sets.Values.Where(s => !s.Deleted).Select(s => s.Set)];
        }

        sets.Sort(static (a, b) =>
        {
            var byTime = a.CreatedAt.CompareTo(b.CreatedAt);
            return byTime != 0 ? byTime : string.CompareOrdinal(a.Id, b.Id);
        });
        return new(sets.AsReadOnly());
    }

    protected override ValueTask<PostbackSet?> UpdateCoreAsync(PostbackSet postbackSet, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var copy = Copy(postbackSet);
        lock (db.Lock)
        {
            var state = FindLive(copy.Id);
            if (state is null)
            {
                return new((PostbackSet?)null);
            }

            state.Set = state.Set with
            {
                Name = copy.Name,
                CampaignId = copy.CampaignId,
                Settings = copy.Settings,
                Enabled = copy.Enabled,
                AttributionWindowSeconds = copy.AttributionWindowSeconds,
                StatusMap = copy.StatusMap,
            };
            return new(state.Set);
        }
    }

    protected override ValueTask<PostbackSet?> RotateTokenCoreAsync(string setId, string newToken, DateTimeOffset? previousTokenValidUntil, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (db.Lock)
        {
            var state = FindLive(setId);
            if (state is null)
            {
                return new((PostbackSet?)null);
            }

            ThrowIfTokenUsed(newToken);
            state.PreviousToken = state.Set.Token;
            state.PreviousTokenValidUntil = previousTokenValidUntil;
            state.Set = state.Set with { Token = newToken };
            db.SetsByToken.Add(newToken, state);
            return new(state.Set);
        }
    }

    protected override ValueTask<bool> DeleteCoreAsync(string setId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (db.Lock)
        {
            var state = FindLive(setId);
            if (state is null)
            {
                return new(false);
            }

            state.Deleted = true;
            return new(true);
        }
    }

    private static PostbackSet Copy(PostbackSet set) => set with { Settings = set.Settings?.Clone() };

    private InMemoryDatabase.SetState? FindLive(string setId) =>
        db.Sets.TryGetValue(setId, out var state) && !state.Deleted ? state : null;

    private void ThrowIfTokenUsed(string token)
    {
        if (db.SetsByToken.ContainsKey(token))
        {
            throw new InvalidOperationException("The token is or was used by a postback set.");
        }
    }
}
