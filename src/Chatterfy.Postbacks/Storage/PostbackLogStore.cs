namespace Chatterfy.Postbacks.Storage;

/// <summary>
/// The store role of the postback log and the figures the stats are made of. Entries are written by
/// <see cref="IngestStore.AppendAsync"/>; this role reads, counts and purges.
/// </summary>
/// <remarks>
/// See <see cref="StoreRole"/> for what every role promises. The stores count; <see cref="PostbackStatsService"/> decides
/// what the figures mean (which kinds are registrations, what "unattributed" counts, which clicks a set's stats include).
/// </remarks>
public abstract class PostbackLogStore : StoreRole
{
    /// <summary>Gets a postback log entry by id.</summary>
    /// <param name="logEntryId">The entry's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The entry, or <see langword="null"/> (unknown or purged).</returns>
    public ValueTask<PostbackLogEntry?> GetAsync(string logEntryId, CancellationToken cancellationToken)
    {
        ThrowIfInvalidId(logEntryId);
        return GetCoreAsync(logEntryId, cancellationToken);
    }

    /// <summary>
    /// Lists postback log entries matching the query's filters, newest first: by <see cref="PostbackLogEntry.ReceivedAt"/>
    /// descending, then id descending (ordinal). With <see cref="PostbackLogQuery.BeforeId"/>, only entries after that
    /// entry in this order are listed (whether or not it matches the filters); when no entry has that id, none are.
    /// </summary>
    /// <param name="query">Filters and paging.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The entries, at most <see cref="PostbackLogQuery.Limit"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <see cref="PostbackLogQuery.Limit"/> is not from 1 to <see cref="PostbackLogQuery.MaxLimit"/>, or
    /// <see cref="PostbackLogQuery.To"/> is before <see cref="PostbackLogQuery.From"/>.
    /// </exception>
    /// <exception cref="ArgumentException"><see cref="PostbackLogQuery.Code"/> is empty.</exception>
    public ValueTask<IReadOnlyList<PostbackLogEntry>> ListAsync(PostbackLogQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Limit, PostbackLogQuery.MaxLimit, nameof(query));
        if (query.Code is { Length: 0 })
        {
            throw new ArgumentException("The code filter is empty; leave it null to list every code.", nameof(query));
        }

        if (query.From is { } from && query.To is { } to && to < from)
        {
            throw new ArgumentOutOfRangeException(nameof(query), "The end of the receive-time range is before its start.");
        }

        return ListCoreAsync(query, cancellationToken);
    }

    /// <summary>Deletes postback log entries received before <paramref name="receivedBefore"/> (retention).</summary>
    /// <param name="receivedBefore">The cut-off; entries received exactly then are kept.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>How many entries were deleted.</returns>
    public ValueTask<int> PurgeAsync(DateTimeOffset receivedBefore, CancellationToken cancellationToken) =>
        PurgeCoreAsync(receivedBefore, cancellationToken);

    /// <summary>
    /// Groups the stored conversions matching the filters by event kind, attribution, currency, reporting currency and
    /// deposit-number bucket (<see cref="DepositNumbering.StatsBucket"/>): each group's count and exact amount sums,
    /// ordered by kind, attribution, currency, reporting currency (ordinal, none first), then bucket (none first). Groups
    /// with no conversion are left out.
    /// </summary>
    /// <param name="query">The filters.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The groups.</returns>
    public ValueTask<IReadOnlyList<ConversionTotal>> GetConversionTotalsAsync(ConversionTotalsQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return GetConversionTotalsCoreAsync(query, cancellationToken);
    }

    /// <summary>Counts the clicks matching the filters.</summary>
    /// <param name="query">The filters.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>How many clicks.</returns>
    public ValueTask<long> CountClicksAsync(ClickCountQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return CountClicksCoreAsync(query, cancellationToken);
    }

    /// <summary>
    /// Groups the stored conversions matching the filters by the UTC day of their receive time, event kind, attribution and
    /// deposit-number bucket (<see cref="DepositNumbering.StatsBucket"/>): each group's count, ordered by day, kind,
    /// attribution, then bucket (none first). Groups with no conversion are left out. A
    /// range that starts or ends within a day counts only that day's conversions inside the range. Counted exactly as
    /// <see cref="GetConversionTotalsAsync"/> counts: the days' counts of a kind, attribution and bucket add up to its total.
    /// </summary>
    /// <param name="query">The filters.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The groups.</returns>
    public ValueTask<IReadOnlyList<DailyConversionCount>> GetDailyConversionCountsAsync(ConversionTotalsQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return GetDailyConversionCountsCoreAsync(query, cancellationToken);
    }

    /// <summary>
    /// Counts the clicks matching the filters per UTC day of their creation time, oldest day first; days without a click
    /// are left out. The days add up to <see cref="CountClicksAsync"/>.
    /// </summary>
    /// <param name="query">The filters.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The days.</returns>
    public ValueTask<IReadOnlyList<DailyClickCount>> CountClicksByDayAsync(ClickCountQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return CountClicksByDayCoreAsync(query, cancellationToken);
    }

    /// <summary>Counts the postback log entries matching the filters.</summary>
    /// <param name="query">The filters.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>How many entries.</returns>
    public ValueTask<long> CountLogEntriesAsync(LogCountQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return CountLogEntriesCoreAsync(query, cancellationToken);
    }

    /// <summary>Reads an entry (see <see cref="GetAsync"/>).</summary>
    /// <param name="logEntryId">The entry's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The entry, or <see langword="null"/>.</returns>
    protected abstract ValueTask<PostbackLogEntry?> GetCoreAsync(string logEntryId, CancellationToken cancellationToken);

    /// <summary>Lists entries (see <see cref="ListAsync"/>); the limit is checked.</summary>
    /// <param name="query">Filters and paging.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The entries.</returns>
    protected abstract ValueTask<IReadOnlyList<PostbackLogEntry>> ListCoreAsync(PostbackLogQuery query, CancellationToken cancellationToken);

    /// <summary>Purges entries (see <see cref="PurgeAsync"/>).</summary>
    /// <param name="receivedBefore">The cut-off.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>How many entries were deleted.</returns>
    protected abstract ValueTask<int> PurgeCoreAsync(DateTimeOffset receivedBefore, CancellationToken cancellationToken);

    /// <summary>Groups conversions (see <see cref="GetConversionTotalsAsync"/>).</summary>
    /// <param name="query">The filters.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The groups.</returns>
    protected abstract ValueTask<IReadOnlyList<ConversionTotal>> GetConversionTotalsCoreAsync(ConversionTotalsQuery query, CancellationToken cancellationToken);

    /// <summary>Counts clicks (see <see cref="CountClicksAsync"/>).</summary>
    /// <param name="query">The filters.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>How many clicks.</returns>
    protected abstract ValueTask<long> CountClicksCoreAsync(ClickCountQuery query, CancellationToken cancellationToken);

    /// <summary>Groups conversions per day (see <see cref="GetDailyConversionCountsAsync"/>).</summary>
    /// <param name="query">The filters.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The groups.</returns>
    protected abstract ValueTask<IReadOnlyList<DailyConversionCount>> GetDailyConversionCountsCoreAsync(ConversionTotalsQuery query, CancellationToken cancellationToken);

    /// <summary>Counts clicks per day (see <see cref="CountClicksByDayAsync"/>).</summary>
    /// <param name="query">The filters.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The days.</returns>
    protected abstract ValueTask<IReadOnlyList<DailyClickCount>> CountClicksByDayCoreAsync(ClickCountQuery query, CancellationToken cancellationToken);

    /// <summary>Counts entries (see <see cref="CountLogEntriesAsync"/>).</summary>
    /// <param name="query">The filters.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>How many entries.</returns>
    protected abstract ValueTask<long> CountLogEntriesCoreAsync(LogCountQuery query, CancellationToken cancellationToken);
}
