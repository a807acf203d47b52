namespace Chatterfy.Postbacks.Storage;

/// <summary>Filters and paging for <see cref="PostbackLogStore.ListAsync"/>; entries come newest first.</summary>
public sealed record PostbackLogQuery
{
    /// <summary>The largest page: 1,000 entries.</summary>
    public const int MaxLimit = 1000;

    /// <summary>The page size when none is asked for: 50 entries.</summary>
    public const int DefaultLimit = 50;

    /// <summary>Gets the set to list, or <see langword="null"/> for all.</summary>
    public string? SetId { get; init; }

    /// <summary>Gets the outcome to list, or <see langword="null"/> for all.</summary>
    public PostbackOutcome? Outcome { get; init; }

    /// <summary>
    /// Gets the rejection code to list (<see cref="PostbackLogEntry.Code"/>, exact and case-sensitive, e.g.
    /// <c>click_id_missing</c> or <c>macro_not_substituted</c>), or <see langword="null"/> for all.
    /// </summary>
    public string? Code { get; init; }

    /// <summary>
    /// Gets the inclusive start of the receive times to list (<see cref="PostbackLogEntry.ReceivedAt"/>), or
    /// <see langword="null"/> for no start. The range is half-open, as <see cref="PostbackStatsQuery"/>'s: [From, To).
    /// </summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>
    /// Gets the exclusive end of the receive times to list (<see cref="PostbackLogEntry.ReceivedAt"/>), or
    /// <see langword="null"/> for no end; not before <see cref="From"/>.
    /// </summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Gets the page size.</summary>
    /// <value>Defaults to 50; from 1 to 1000.</value>
    public int Limit { get; init; } = DefaultLimit;

    /// <summary>
    /// Gets the paging cursor: only entries strictly older than the entry with this id are listed (ties in receive time
    /// broken by id), or <see langword="null"/> for the newest.
    /// </summary>
    public string? BeforeId { get; init; }
}
