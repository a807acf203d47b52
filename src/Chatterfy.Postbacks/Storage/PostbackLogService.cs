namespace Chatterfy.Postbacks.Storage;

/// <summary>
/// Reads the postback log: every processed request, newest first, with what became of it. Entries are written by
/// ingestion and purged by retention (<see cref="ChatterfyPostbacksOptions.LogRetention"/>); replay them with
/// <see cref="Ingestion.PostbackIngestor.ReplayAsync"/>.
/// </summary>
public sealed class PostbackLogService
{
    private readonly PostbackLogStore _log;

    /// <summary>Initializes a new instance of the <see cref="PostbackLogService"/> class.</summary>
    /// <param name="log">The store's postback log.</param>
    public PostbackLogService(PostbackLogStore log)
    {
        ArgumentNullException.ThrowIfNull(log);
        _log = log;
    }

    /// <summary>Lists the entries matching the query's filters, newest first (see <see cref="PostbackLogStore.ListAsync"/>).</summary>
    /// <param name="query">Filters and paging.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The entries, at most <see cref="PostbackLogQuery.Limit"/>.</returns>
    public ValueTask<IReadOnlyList<PostbackLogEntry>> ListAsync(PostbackLogQuery query, CancellationToken cancellationToken = default) =>
        _log.ListAsync(query, cancellationToken);

    /// <summary>Gets an entry by id.</summary>
    /// <param name="logEntryId">The entry's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The entry, or <see langword="null"/> (unknown or purged).</returns>
    public ValueTask<PostbackLogEntry?> GetAsync(string logEntryId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(logEntryId);
        return _log.GetAsync(logEntryId, cancellationToken);
    }
}
