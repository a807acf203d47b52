using Chatterfy.Postbacks.Storage;

namespace Chatterfy.Postbacks.Dashboard.Pages.Stats;

/// <summary>One UTC day of the daily chart: the funnel's figures of that day.</summary>
/// <param name="Day">The UTC day.</param>
/// <param name="Clicks">Clicks created that day.</param>
/// <param name="Registrations">Credited registrations received that day.</param>
/// <param name="FirstDeposits">Credited first deposits received that day.</param>
/// <param name="Deposits">Credited repeat deposits received that day.</param>
internal sealed record DayFigures(DateOnly Day, long Clicks, long Registrations, long FirstDeposits, long Deposits);

/// <summary>
/// Where the Stats page gets its per-day figures: the seam to <c>PostbackStatsService.GetDailyAsync</c>, which is not on
/// this branch yet; until then the series is unavailable and the page says so.
/// </summary>
internal static class DailySeries
{
    /// <summary>Gets the days of <paramref name="query"/> that have figures, oldest first.</summary>
    /// <param name="statistics">The stats service.</param>
    /// <param name="query">The filters (the same as the totals').</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The days, or <see langword="null"/> when the daily series is unavailable.</returns>
    public static ValueTask<IReadOnlyList<DayFigures>?> GetAsync(PostbackStatsService statistics, PostbackStatsQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<IReadOnlyList<DayFigures>?>(null);
    }
}
