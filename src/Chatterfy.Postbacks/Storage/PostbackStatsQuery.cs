namespace Chatterfy.Postbacks.Storage;

/// <summary>
/// Filters of <see cref="PostbackStatsService.GetAsync"/>. Every figure counts what falls in [<see cref="From"/>,
/// <see cref="To"/>) by receive (or creation) time.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><description><c>Registrations</c>, <c>FirstDeposits</c>, <c>Deposits</c> (repeat deposits only): credited,
/// approved (<see cref="ConversionRecord.Status"/>) conversions of that kind whose set is <see cref="SetId"/> and whose <see cref="ConversionRecord.CampaignId"/> is
/// <see cref="CampaignId"/> (each filter applies when set).</description></item>
/// <item><description><c>RepeatDeposits</c>: credited, approved conversions by deposit number (<see cref="ConversionRecord.DepositNumber"/>)
/// 2, 3, and 4 or more, whatever their event, same filters (<see cref="RepeatDepositCounts"/>).</description></item>
/// <item><description><c>Statuses</c>: credited conversions of any kind by their other status (pending, rejected,
/// chargeback), same filters (<see cref="StatusCounts"/>).</description></item>
/// <item><description><c>Unattributed</c>: stored but uncredited conversions of any kind and status, same filters.</description></item>
/// <item><description><c>Rejected</c>: postback log entries with outcome rejected, of <see cref="SetId"/>; with
/// <see cref="CampaignId"/>, of sets scoped to that campaign.</description></item>
/// <item><description><c>Clicks</c>: clicks created in the range, of <see cref="CampaignId"/>, or when only
/// <see cref="SetId"/> is given and that set is scoped to a campaign, of the set's campaign; otherwise all.</description></item>
/// <item><description><c>Amounts</c>: per currency, the exact sums of credited, approved first deposits and of credited,
/// approved deposits, and of credited first deposits and deposits charged back (<see cref="CurrencyAmounts.Chargebacks"/>),
/// never mixed across currencies; ordered by currency (ordinal); a currency is listed when a credited deposit of any
/// status has it.</description></item>
/// <item><description><c>Reporting</c>: with a reporting currency, the exact sums of the stored reporting amounts of the
/// same credited first deposits and deposits, of those converted into the current reporting currency; conversions
/// without one (no rate yet) or converted into another currency are left out; chargebacks sum the charged-back ones.</description></item>
/// </list>
/// A conversion counts by its receive time and its status now: a later status change restates the range it was received
/// in, not the range of the change.
/// </remarks>
public sealed record PostbackStatsQuery
{
    /// <summary>Gets the set to count, or <see langword="null"/> for all.</summary>
    public string? SetId { get; init; }

    /// <summary>Gets the campaign to count, or <see langword="null"/> for all.</summary>
    public string? CampaignId { get; init; }

    /// <summary>Gets the inclusive start of the range, or <see langword="null"/> for no start.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Gets the exclusive end of the range, or <see langword="null"/> for no end.</summary>
    public DateTimeOffset? To { get; init; }
}
