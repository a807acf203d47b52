using Chatterfy.Postbacks.Currencies;

namespace Chatterfy.Postbacks.Storage;

/// <summary>A reporting amount for <see cref="IngestStore.SetReportingAmountsAsync"/> to set on a conversion that has none.</summary>
/// <param name="ConversionId">The conversion's id.</param>
/// <param name="Amount">Its amount in the reporting currency.</param>
public sealed record ReportingAmountUpdate(string ConversionId, ReportingAmount Amount);
