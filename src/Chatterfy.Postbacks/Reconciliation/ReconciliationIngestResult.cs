using Chatterfy.Postbacks.Storage;

namespace Chatterfy.Postbacks.Reconciliation;

/// <summary>What ingesting a kept report's "missing here" rows did (<see cref="ReconciliationService.IngestMissingAsync"/>).</summary>
public sealed record ReconciliationIngestResult
{
    /// <summary>Gets the reconciliation whose rows were ingested.</summary>
    public required string ReconciliationId { get; init; }

    /// <summary>Gets whether the new conversions went to the forwarding and reaction rules.</summary>
    public required bool Forwarded { get; init; }

    /// <summary>Gets how many rows became new conversions (accepted or unattributed).</summary>
    public required int Stored { get; init; }

    /// <summary>Gets how many rows were duplicates of stored conversions (ingested before, or a postback came since).</summary>
    public required int Duplicates { get; init; }

    /// <summary>Gets how many rows the set's parser refused.</summary>
    public required int Rejected { get; init; }

    /// <summary>Gets each row's outcome, in the report's order.</summary>
    public required IReadOnlyList<ReconciliationIngestItem> Items { get; init; }
}

/// <summary>The outcome of one ingested row.</summary>
/// <param name="Line">The row's line in the report.</param>
/// <param name="Outcome">The ingestion's outcome.</param>
/// <param name="ConversionId">The stored (or, for a duplicate, the earlier) conversion, or <see langword="null"/> when rejected.</param>
/// <param name="Code">The rejection code, or <see langword="null"/>.</param>
public sealed record ReconciliationIngestItem(long Line, PostbackOutcome Outcome, string? ConversionId, string? Code);
