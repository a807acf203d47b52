using Chatterfy.Postbacks.Ingestion;

namespace Chatterfy.Postbacks.Storage;

/// <summary>
/// One group of <see cref="PostbackLogStore.GetConversionTotalsAsync"/>: how many stored conversions of one kind,
/// attribution, currency, reporting currency, deposit-number bucket and status there are, the exact sum of their amounts and of their reporting amounts.
/// The core turns the groups into <see cref="PostbackStats"/>.
/// </summary>
/// <param name="Kind">The conversions' event kind.</param>
/// <param name="Attribution">The conversions' attribution.</param>
/// <param name="Currency">The conversions' currency, or <see langword="null"/> for those without an amount.</param>
/// <param name="Count">How many conversions.</param>
/// <param name="Amount">The exact sum of their amounts (zero without amounts).</param>
public sealed record ConversionTotal(PostbackEventKind Kind, ConversionAttribution Attribution, string? Currency, long Count, decimal Amount)
{
    /// <summary>
    /// Gets the currency of the conversions' <see cref="ConversionRecord.ReportingAmount"/>, or <see langword="null"/> for
    /// those without one.
    /// </summary>
    public string? ReportingCurrency { get; init; }

    /// <summary>Gets the exact sum of their reporting amounts (zero without them).</summary>
    public decimal ReportingAmount { get; init; }

    /// <summary>
    /// Gets the stats bucket of the conversions' deposit number (<see cref="DepositNumbering.StatsBucket"/>), or
    /// <see langword="null"/> for those without a number.
    /// </summary>
    public int? DepositBucket { get; init; }

    /// <summary>Gets the conversions' current status (<see cref="ConversionRecord.Status"/>).</summary>
    public ConversionStatus Status { get; init; }
}

/// <summary>The filters of <see cref="PostbackLogStore.GetConversionTotalsAsync"/>; each applies when set.</summary>
public sealed record ConversionTotalsQuery
{
    /// <summary>Gets the set whose conversions count, or <see langword="null"/> for all.</summary>
    public string? SetId { get; init; }

    /// <summary>Gets the campaign (<see cref="ConversionRecord.CampaignId"/>) whose conversions count, or <see langword="null"/> for all.</summary>
    public string? CampaignId { get; init; }

    /// <summary>Gets the inclusive start of the receive times that count, or <see langword="null"/>.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Gets the exclusive end of the receive times that count, or <see langword="null"/>.</summary>
    public DateTimeOffset? To { get; init; }
}

/// <summary>The filters of <see cref="PostbackLogStore.CountClicksAsync"/>; each applies when set.</summary>
public sealed record ClickCountQuery
{
    /// <summary>Gets the campaign whose clicks count, or <see langword="null"/> for every click.</summary>
    public string? CampaignId { get; init; }

    /// <summary>Gets the inclusive start of the creation times that count, or <see langword="null"/>.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Gets the exclusive end of the creation times that count, or <see langword="null"/>.</summary>
    public DateTimeOffset? To { get; init; }
}

/// <summary>The filters of <see cref="PostbackLogStore.CountLogEntriesAsync"/>; each applies when set.</summary>
public sealed record LogCountQuery
{
    /// <summary>Gets the outcome of the entries that count.</summary>
    public required PostbackOutcome Outcome { get; init; }

    /// <summary>Gets the set whose entries count, or <see langword="null"/> for all.</summary>
    public string? SetId { get; init; }

    /// <summary>
    /// Gets the campaign scope of the sets whose entries count (<see cref="PostbackSets.PostbackSet.CampaignId"/>, deleted
    /// sets included), or <see langword="null"/> for all.
    /// </summary>
    public string? SetCampaignId { get; init; }

    /// <summary>Gets the inclusive start of the receive times that count, or <see langword="null"/>.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Gets the exclusive end of the receive times that count, or <see langword="null"/>.</summary>
    public DateTimeOffset? To { get; init; }
}
