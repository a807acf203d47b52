using Chatterfy.Postbacks.PostbackSets;

namespace Chatterfy.Postbacks.Storage;

/// <summary>
/// The store role of postback sets and their tokens. A set's id, and every token it ever had (current, rotated away or
/// deleted), stay used for good, so a deleted set's history and published URLs never point at another set.
/// </summary>
/// <remarks>See <see cref="StoreRole"/> for what every role promises.</remarks>
public abstract class PostbackSetStore : StoreRole
{
    /// <summary>Adds a new postback set.</summary>
    /// <param name="postbackSet">The set; its id and token must be unused (see the remarks on <see cref="PostbackSetStore"/>).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the set is stored.</returns>
    /// <exception cref="InvalidOperationException">
    /// A set with the same id exists or existed, or the token is or was any set's token (including a deleted set's).
    /// </exception>
    public ValueTask AddAsync(PostbackSet postbackSet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(postbackSet);
        return AddCoreAsync(postbackSet, cancellationToken);
    }

    /// <summary>Gets a set by id, enabled or not.</summary>
    /// <param name="setId">The set's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The set, or <see langword="null"/> when there is none (or it was deleted).</returns>
    public ValueTask<PostbackSet?> GetAsync(string setId, CancellationToken cancellationToken)
    {
        ThrowIfInvalidId(setId);
        return GetCoreAsync(setId, cancellationToken);
    }

    /// <summary>
    /// Gets a set by id whether or not it was deleted: a deleted set's conversions and log entries are kept, and so are its
    /// figures, which depend on its campaign scope (<see cref="PostbackStatsService"/>).
    /// </summary>
    /// <param name="setId">The set's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The set as it was last stored (before its deletion, for a deleted one), or <see langword="null"/> when no set ever had the id.</returns>
    public ValueTask<PostbackSet?> GetIncludingDeletedAsync(string setId, CancellationToken cancellationToken)
    {
        ThrowIfInvalidId(setId);
        return GetIncludingDeletedCoreAsync(setId, cancellationToken);
    }

    /// <summary>Tells whether a set with this id exists or ever existed (a deleted set's id stays used).</summary>
    /// <param name="setId">The set's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when the id is or was a set's.</returns>
    public ValueTask<bool> IsIdUsedAsync(string setId, CancellationToken cancellationToken)
    {
        ThrowIfInvalidId(setId);
        return IsIdUsedCoreAsync(setId, cancellationToken);
    }

    /// <summary>
    /// Finds the set whose current token is <paramref name="token"/>, or whose previous token it is while that token's
    /// grace period (see <see cref="RotateTokenAsync"/>) has not ended at <paramref name="now"/> (it works while
    /// <paramref name="now"/> is before the end). Disabled sets are returned too; the caller decides. Deleted sets are not.
    /// </summary>
    /// <param name="token">The token from the URL.</param>
    /// <param name="now">The current time, for grace periods.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The set, or <see langword="null"/>.</returns>
    public ValueTask<PostbackSet?> FindByTokenAsync(string token, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ThrowIfInvalidId(token);
        return FindByTokenCoreAsync(token, now, cancellationToken);
    }

    /// <summary>Lists all sets that are not deleted, enabled or not, oldest first by <see cref="PostbackSet.CreatedAt"/> then id (ordinal).</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The sets.</returns>
    public ValueTask<IReadOnlyList<PostbackSet>> ListAsync(CancellationToken cancellationToken) => ListCoreAsync(cancellationToken);

    /// <summary>
    /// Replaces a set's name, campaign, settings, enabled flag and attribution window; its id, token, network and creation time are kept from the
    /// stored set (whatever <paramref name="postbackSet"/> carries for them). The previous token's grace period is kept too.
    /// </summary>
    /// <param name="postbackSet">The set with its new values.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The stored set after the update, or <see langword="null"/> when no set has that id (or it was deleted).</returns>
    public ValueTask<PostbackSet?> UpdateAsync(PostbackSet postbackSet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(postbackSet);
        return UpdateCoreAsync(postbackSet, cancellationToken);
    }

    /// <summary>
    /// Replaces a set's token. The previous token keeps working until <paramref name="previousTokenValidUntil"/>
    /// (exclusive). A set has at most one previous token: rotating again retires the one before at once, whatever its
    /// grace period.
    /// </summary>
    /// <param name="setId">The set's id.</param>
    /// <param name="newToken">The new, unused token (see the remarks on <see cref="PostbackSetStore"/>).</param>
    /// <param name="previousTokenValidUntil">When the previous token stops working; <see langword="null"/> for at once.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The set with its new token, or <see langword="null"/> when no set has that id (or it was deleted).</returns>
    /// <exception cref="InvalidOperationException"><paramref name="newToken"/> is or was a token of any set.</exception>
    public ValueTask<PostbackSet?> RotateTokenAsync(string setId, string newToken, DateTimeOffset? previousTokenValidUntil, CancellationToken cancellationToken)
    {
        ThrowIfInvalidId(setId);
        ThrowIfInvalidId(newToken);
        return RotateTokenCoreAsync(setId, newToken, previousTokenValidUntil, cancellationToken);
    }

    /// <summary>
    /// Deletes a set: it is no longer found by id or token, nor listed. Its conversions and log entries are kept, and its id
    /// and tokens stay used.
    /// </summary>
    /// <param name="setId">The set's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when a set was deleted; <see langword="false"/> when none has that id or it was already deleted.</returns>
    public ValueTask<bool> DeleteAsync(string setId, CancellationToken cancellationToken)
    {
        ThrowIfInvalidId(setId);
        return DeleteCoreAsync(setId, cancellationToken);
    }

    /// <summary>Stores a new set (see <see cref="AddAsync"/>); the argument is checked.</summary>
    /// <param name="postbackSet">The set.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the set is stored.</returns>
    protected abstract ValueTask AddCoreAsync(PostbackSet postbackSet, CancellationToken cancellationToken);

    /// <summary>Reads a set (see <see cref="GetAsync"/>).</summary>
    /// <param name="setId">The set's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The set, or <see langword="null"/>.</returns>
    protected abstract ValueTask<PostbackSet?> GetCoreAsync(string setId, CancellationToken cancellationToken);

    /// <summary>Reads a set, deleted or not (see <see cref="GetIncludingDeletedAsync"/>).</summary>
    /// <param name="setId">The set's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The set, or <see langword="null"/>.</returns>
    protected abstract ValueTask<PostbackSet?> GetIncludingDeletedCoreAsync(string setId, CancellationToken cancellationToken);

    /// <summary>Tells whether an id is or was used (see <see cref="IsIdUsedAsync"/>).</summary>
    /// <param name="setId">The set's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when the id is or was a set's.</returns>
    protected abstract ValueTask<bool> IsIdUsedCoreAsync(string setId, CancellationToken cancellationToken);

    /// <summary>Finds a set by token (see <see cref="FindByTokenAsync"/>).</summary>
    /// <param name="token">The token.</param>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The set, or <see langword="null"/>.</returns>
    protected abstract ValueTask<PostbackSet?> FindByTokenCoreAsync(string token, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Lists the sets (see <see cref="ListAsync"/>).</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The sets.</returns>
    protected abstract ValueTask<IReadOnlyList<PostbackSet>> ListCoreAsync(CancellationToken cancellationToken);

    /// <summary>Updates a set (see <see cref="UpdateAsync"/>).</summary>
    /// <param name="postbackSet">The set with its new values.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The stored set after the update, or <see langword="null"/>.</returns>
    protected abstract ValueTask<PostbackSet?> UpdateCoreAsync(PostbackSet postbackSet, CancellationToken cancellationToken);

    /// <summary>Rotates a set's token (see <see cref="RotateTokenAsync"/>).</summary>
    /// <param name="setId">The set's id.</param>
    /// <param name="newToken">The new token.</param>
    /// <param name="previousTokenValidUntil">When the previous token stops working.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The set with its new token, or <see langword="null"/>.</returns>
    protected abstract ValueTask<PostbackSet?> RotateTokenCoreAsync(string setId, string newToken, DateTimeOffset? previousTokenValidUntil, CancellationToken cancellationToken);

    /// <summary>Deletes a set (see <see cref="DeleteAsync"/>).</summary>
    /// <param name="setId">The set's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when a set was deleted.</returns>
    protected abstract ValueTask<bool> DeleteCoreAsync(string setId, CancellationToken cancellationToken);
}
