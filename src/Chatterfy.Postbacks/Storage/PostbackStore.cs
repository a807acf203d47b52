using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.PostbackSets;

namespace Chatterfy.Postbacks.Storage;

/// <summary>
/// The storage abstraction: the one place that guarantees idempotency (a unique key), atomicity (a conversion and its
/// log entry in one transaction) and durability (a completed append is committed). Each store package derives from it
/// and must pass the shared conformance suite.
/// </summary>
/// <remarks>
/// Members are safe to call concurrently. Cancellation may abandon a read; a write that has begun committing may still
/// commit, which is safe because every write is idempotent or de-duplicated.
/// </remarks>
public abstract class PostbackStore
{
    /// <summary>Adds a new postback set.</summary>
    /// <param name="postbackSet">The set; its id and token must be unused.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the set is stored.</returns>
    /// <exception cref="InvalidOperationException">A set with the same id or token exists.</exception>
    public abstract ValueTask AddSetAsync(PostbackSet postbackSet, CancellationToken cancellationToken);

    /// <summary>Gets a set by id, enabled or not.</summary>
    /// <param name="setId">The set's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The set, or <see langword="null"/> when there is none (or it was deleted).</returns>
    public abstract ValueTask<PostbackSet?> GetSetAsync(string setId, CancellationToken cancellationToken);

    /// <summary>
    /// Finds the set whose current token is <paramref name="token"/>, or whose previous token it is while that token's
    /// grace period (see <see cref="RotateTokenAsync"/>) has not ended at <paramref name="now"/>. Disabled sets are returned
    /// too; the caller decides.
    /// </summary>
    /// <param name="token">The token from the URL.</param>
    /// <param name="now">The current time, for grace periods.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The set, or <see langword="null"/>.</returns>
    public abstract ValueTask<PostbackSet?> FindSetByTokenAsync(string token, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Lists all sets, oldest first.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The sets.</returns>
    public abstract ValueTask<IReadOnlyList<PostbackSet>> ListSetsAsync(CancellationToken cancellationToken);

    /// <summary>Replaces a set's name, campaign, settings and enabled flag; its id, token and creation time are kept.</summary>
    /// <param name="postbackSet">The set with its new values.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The stored set after the update, or <see langword="null"/> when no set has that id.</returns>
    public abstract ValueTask<PostbackSet?> UpdateSetAsync(PostbackSet postbackSet, CancellationToken cancellationToken);

    /// <summary>Replaces a set's token. The previous token keeps working until <paramref name="previousTokenValidUntil"/>.</summary>
    /// <param name="setId">The set's id.</param>
    /// <param name="newToken">The new, unused token.</param>
    /// <param name="previousTokenValidUntil">When the previous token stops working; <see langword="null"/> for at once.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The set with its new token, or <see langword="null"/> when no set has that id.</returns>
    public abstract ValueTask<PostbackSet?> RotateTokenAsync(string setId, string newToken, DateTimeOffset? previousTokenValidUntil, CancellationToken cancellationToken);

    /// <summary>Deletes a set: it is no longer found by id or token. Its conversions and log entries are kept.</summary>
    /// <param name="setId">The set's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when a set was deleted.</returns>
    public abstract ValueTask<bool> DeleteSetAsync(string setId, CancellationToken cancellationToken);

    /// <summary>Adds a click.</summary>
    /// <param name="click">The click; its id must be unused.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the click is stored.</returns>
    /// <exception cref="InvalidOperationException">A click with the same id exists.</exception>
    public abstract ValueTask AddClickAsync(Click click, CancellationToken cancellationToken);

    /// <summary>Finds a click by id (case-sensitive).</summary>
    /// <param name="clickId">The click id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The click, or <see langword="null"/>.</returns>
    public abstract ValueTask<Click?> FindClickAsync(string clickId, CancellationToken cancellationToken);

    /// <summary>
    /// Appends a conversion unless one with the same idempotency key is stored (for a windowed key: one whose first
    /// occurrence was received less than the window before this one), and writes <paramref name="logEntry"/> in the same
    /// transaction with its <see cref="PostbackLogEntry.Outcome"/> and <see cref="PostbackLogEntry.ConversionId"/> set
    /// to what happened. Race-free: of any number of concurrent identical appends, exactly one is accepted.
    /// </summary>
    /// <param name="conversion">The conversion with its new id.</param>
    /// <param name="logEntry">The request's log entry; outcome and conversion id are overwritten by the store.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Whether it was accepted or a duplicate, and the conversion id (the original's for a duplicate).</returns>
    public abstract ValueTask<ConversionAppendResult> AppendConversionAsync(ConversionRecord conversion, PostbackLogEntry logEntry, CancellationToken cancellationToken);

    /// <summary>Gets a conversion by id.</summary>
    /// <param name="conversionId">The conversion's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The conversion, or <see langword="null"/>.</returns>
    public abstract ValueTask<ConversionRecord?> GetConversionAsync(string conversionId, CancellationToken cancellationToken);

    /// <summary>Lists the conversions reported for a click id, oldest first.</summary>
    /// <param name="clickId">The click id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The conversions.</returns>
    public abstract ValueTask<IReadOnlyList<ConversionRecord>> ListConversionsByClickAsync(string clickId, CancellationToken cancellationToken);

    /// <summary>Appends a postback log entry that has no conversion (a rejected request).</summary>
    /// <param name="logEntry">The entry.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the entry is stored.</returns>
    public abstract ValueTask AppendLogAsync(PostbackLogEntry logEntry, CancellationToken cancellationToken);

    /// <summary>Lists postback log entries, newest first.</summary>
    /// <param name="query">Filters and paging.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The entries, at most <see cref="PostbackLogQuery.Limit"/>.</returns>
    public abstract ValueTask<IReadOnlyList<PostbackLogEntry>> ListLogAsync(PostbackLogQuery query, CancellationToken cancellationToken);
}
