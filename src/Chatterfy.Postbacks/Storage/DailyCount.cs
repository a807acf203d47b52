using Chatterfy.Postbacks.Ingestion;

namespace Chatterfy.Postbacks.Storage;

/// <summary>
/// One group of <see cref="PostbackLogStore.GetDailyConversionCountsAsync"/>: how many stored conversions of one kind,
/// attribution, deposit-number bucket and status were received on one UTC day. The core turns the groups into <see cref="PostbackDayStats"/>.
/// </summary>
/// <param name="Day">The UTC day of the conversions' receive time.</param>
/// <param name="Kind">The conversions' event kind.</param>
/// <param name="Attribution">The conversions' attribution.</param>
/// <param name="Count">How many conversions.</param>
public sealed record DailyConversionCount(DateOnly Day, PostbackEventKind Kind, ConversionAttribution Attribution, long Count)
{
    /// <summary>
    /// Gets the stats bucket of the conversions' deposit number (<see cref="DepositNumbering.StatsBucket"/>), or
    /// <see langword="null"/> for those without a number.
    /// </summary>
    public int? DepositBucket { get; init; }

    /// <summary>Gets the conversions' current status (<see cref="ConversionRecord.Status"/>).</summary>
    public ConversionStatus Status { get; init; }
}

/// <summary>One day of <see cref="PostbackLogStore.CountClicksByDayAsync"/>: how many clicks were created on one UTC day.</summary>
/// <param name="Day">The UTC day of the clicks' creation time.</param>
/// <param name="Count">How many clicks.</param>
public sealed record DailyClickCount(DateOnly Day, long Count);
