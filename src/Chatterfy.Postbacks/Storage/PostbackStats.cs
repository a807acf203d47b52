using Chatterfy.Postbacks.Ingestion;

namespace Chatterfy.Postbacks.Storage;

/// <summary>The figures of <see cref="PostbackStatsService.GetAsync"/>; see <see cref="PostbackStatsQuery"/> for definitions.</summary>
public sealed record PostbackStats
{
    /// <summary>Gets the number of clicks created.</summary>
    public long Clicks { get; init; }

    /// <summary>Gets the number of credited registrations.</summary>
    public long Registrations { get; init; }

    /// <summary>Gets the number of credited first deposits.</summary>
    public long FirstDeposits { get; init; }

    /// <summary>Gets the number of credited repeat deposits.</summary>
    public long Deposits { get; init; }

    /// <summary>Gets the number of stored but uncredited conversions.</summary>
    public long Unattributed { get; init; }

    /// <summary>Gets the number of rejected postbacks.</summary>
    public long Rejected { get; init; }

    /// <summary>Gets the sums of credited deposits per currency.</summary>
    public IReadOnlyList<CurrencyAmounts> Amounts { get; init; } = [];

    /// <summary>
    /// Gets the sums in the reporting currency (<see cref="ChatterfyPostbacksOptions.ReportingCurrency"/>), or
    /// <see langword="null"/> without one.
    /// </summary>
    public ReportingAmounts? Reporting { get; init; }

    /// <summary>
    /// Gets the numbers of credited repeat deposits by deposit number (<see cref="ConversionRecord.DepositNumber"/>) 2, 3
    /// and 4 or more.
    /// </summary>
    public RepeatDepositCounts RepeatDeposits { get; init; } = RepeatDepositCounts.None;

    /// <summary>
    /// Gets the numbers of credited conversions that are not approved, by their current status (every other figure counts
    /// approved conversions only; an uncredited conversion counts in <see cref="Unattributed"/> whatever its status).
    /// </summary>
    public StatusCounts Statuses { get; init; } = StatusCounts.None;
}

/// <summary>
/// Credited conversions counted by their current status (<see cref="ConversionRecord.Status"/>), other than approved: a
/// conversion counts by its receive time and its status now, so a later status change restates the range it was received in.
/// </summary>
/// <param name="Pending">How many are pending.</param>
/// <param name="Rejected">How many are rejected.</param>
/// <param name="Chargeback">How many are charged back.</param>
public sealed record StatusCounts(long Pending, long Rejected, long Chargeback)
{
    /// <summary>Gets counts of zero.</summary>
    public static StatusCounts None { get; } = new(0, 0, 0);

    /// <summary>Adds <paramref name="count"/> conversions of a status; approved adds nothing.</summary>
    /// <param name="status">The status.</param>
    /// <param name="count">How many conversions.</param>
    /// <returns>The counts with them.</returns>
    internal StatusCounts Add(ConversionStatus status, long count) => status switch
    {
        ConversionStatus.Pending => this with { Pending = Pending + count },
        ConversionStatus.Rejected => this with { Rejected = Rejected + count },
        ConversionStatus.Chargeback => this with { Chargeback = Chargeback + count },
        _ => this,
    };
}

/// <summary>Exact sums of credited deposits in one currency.</summary>
/// <param name="Currency">The ISO 4217 currency.</param>
/// <param name="FirstDeposits">The sum of credited, approved first deposits.</param>
/// <param name="Deposits">The sum of credited, approved repeat deposits.</param>
public sealed record CurrencyAmounts(string Currency, decimal FirstDeposits, decimal Deposits)
{
    /// <summary>Gets the sum of credited first deposits and deposits that are charged back (<see cref="ConversionStatus.Chargeback"/>).</summary>
    public decimal Chargebacks { get; init; }
}

/// <summary>
/// Exact sums of credited deposits in the reporting currency: the stored, rounded reporting amounts of the conversions
/// converted into <paramref name="Currency"/>. Conversions without a reporting amount (no rate yet) or converted into
/// another currency (the option changed since) are not in them.
/// </summary>
/// <param name="Currency">The reporting currency.</param>
/// <param name="FirstDeposits">The sum of credited, approved first deposits.</param>
/// <param name="Deposits">The sum of credited, approved repeat deposits.</param>
/// <param name="Chargebacks">The sum of credited first deposits and deposits that are charged back.</param>
public sealed record ReportingAmounts(string Currency, decimal FirstDeposits, decimal Deposits, decimal Chargebacks);

/// <summary>
/// Credited deposits counted by their deposit number (<see cref="ConversionRecord.DepositNumber"/>): the second, the third,
/// and the fourth or later of their click (<see cref="DepositNumbering.StatsBucket"/>). A number counts whatever the
/// conversion's event: a first deposit that took 2 (its click's first deposit had come through another set) counts as a
/// second deposit.
/// </summary>
/// <param name="Second">How many credited deposits have number 2.</param>
/// <param name="Third">How many have number 3.</param>
/// <param name="FourthOrLater">How many have number 4 or more (<see cref="DepositNumbering.GroupedFrom"/>).</param>
public sealed record RepeatDepositCounts(long Second, long Third, long FourthOrLater)
{
    /// <summary>Gets counts of zero.</summary>
    public static RepeatDepositCounts None { get; } = new(0, 0, 0);

    /// <summary>Adds <paramref name="count"/> conversions of a deposit-number bucket; a bucket below 2 (or none) adds nothing.</summary>
    /// <param name="bucket">The bucket (<see cref="DepositNumbering.StatsBucket"/>).</param>
    /// <param name="count">How many conversions.</param>
    /// <returns>The counts with them.</returns>
    internal RepeatDepositCounts Add(int? bucket, long count) => bucket switch
    {
        DepositNumbering.First + 1 => this with { Second = Second + count },
        DepositNumbering.First + 2 => this with { Third = Third + count },
        DepositNumbering.GroupedFrom => this with { FourthOrLater = FourthOrLater + count },
        _ => this,
    };
}
