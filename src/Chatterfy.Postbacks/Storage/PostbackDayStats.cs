namespace Chatterfy.Postbacks.Storage;

/// <summary>
/// One UTC day of <see cref="PostbackStatsService.GetDailyAsync"/>: the funnel's figures of that day, counted as
/// <see cref="PostbackStatsService.GetAsync"/> counts them (see <see cref="PostbackStatsQuery"/>), so that the days of a
/// range add up to its <see cref="PostbackStats"/>.
/// </summary>
public sealed record PostbackDayStats
{
    /// <summary>Gets the UTC day.</summary>
    public required DateOnly Day { get; init; }

    /// <summary>Gets the number of clicks created that day.</summary>
    public long Clicks { get; init; }

    /// <summary>Gets the number of credited registrations received that day.</summary>
    public long Registrations { get; init; }

    /// <summary>Gets the number of credited first deposits received that day.</summary>
    public long FirstDeposits { get; init; }

    /// <summary>Gets the number of credited repeat deposits received that day.</summary>
    public long Deposits { get; init; }

    /// <summary>Gets the numbers of credited repeat deposits received that day by deposit number (see <see cref="PostbackStats.RepeatDeposits"/>).</summary>
    public RepeatDepositCounts RepeatDeposits { get; init; } = RepeatDepositCounts.None;

    /// <summary>Gets the numbers of credited conversions received that day that are not approved (see <see cref="PostbackStats.Statuses"/>).</summary>
    public StatusCounts Statuses { get; init; } = StatusCounts.None;
}
