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
}

/// <summary>Exact sums of credited deposits in one currency.</summary>
/// <param name="Currency">The ISO 4217 currency.</param>
/// <param name="FirstDeposits">The sum of credited first deposits.</param>
/// <param name="Deposits">The sum of credited repeat deposits.</param>
public sealed record CurrencyAmounts(string Currency, decimal FirstDeposits, decimal Deposits);

/// <summary>
/// Exact sums of credited deposits in the reporting currency: the stored, rounded reporting amounts of the conversions
/// converted into <paramref name="Currency"/>. Conversions without a reporting amount (no rate yet) or converted into
/// another currency (the option changed since) are not in them.
/// </summary>
/// <param name="Currency">The reporting currency.</param>
/// <param name="FirstDeposits">The sum of credited first deposits.</param>
/// <param name="Deposits">The sum of credited repeat deposits.</param>
/// <param name="Chargebacks">The sum of charged-back deposits: 0 until conversions have statuses.</param>
public sealed record ReportingAmounts(string Currency, decimal FirstDeposits, decimal Deposits, decimal Chargebacks);
