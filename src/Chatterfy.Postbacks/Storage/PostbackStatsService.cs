namespace Chatterfy.Postbacks.Storage;

/// <summary>
/// The tracker's stats: counts clicks and conversions and sums deposits per currency (see <see cref="PostbackStatsQuery"/>
/// for what each figure counts), and decides what a set filter may name.
/// </summary>
public sealed class PostbackStatsService
{
    private readonly PostbackStore _store;

    /// <summary>Initializes a new instance of the <see cref="PostbackStatsService"/> class.</summary>
    /// <param name="store">The store.</param>
    public PostbackStatsService(PostbackStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    /// <summary>Counts what <paramref name="query"/> selects.</summary>
    /// <param name="query">The filters.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>
    /// The figures, or <see langword="null"/> when <see cref="PostbackStatsQuery.SetId"/> names a set that never existed.
    /// A deleted set's figures are returned: its conversions and log entries are kept.
    /// </returns>
    public async ValueTask<PostbackStats?> GetAsync(PostbackStatsQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);

        // Without this, an unknown set id would count nothing but every click: a figure for a set that is not there.
        if (query.SetId is { } setId && !await _store.IsSetIdUsedAsync(setId, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return await _store.GetStatsAsync(query, cancellationToken).ConfigureAwait(false);
    }
}
