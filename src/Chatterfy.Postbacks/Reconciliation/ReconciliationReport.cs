namespace Chatterfy.Postbacks.Reconciliation;

/// <summary>The outcome of comparing a network's conversion report with the set's stored conversions.</summary>
public sealed record ReconciliationReport
{
    /// <summary>Gets the set reconciled.</summary>
    public required string SetId { get; init; }

    /// <summary>Gets the start of the compared range (inclusive).</summary>
    public required DateTimeOffset From { get; init; }

    /// <summary>Gets the end of the compared range (inclusive).</summary>
    public required DateTimeOffset To { get; init; }

    /// <summary>Gets how many rows of the report were read (not counting the header).</summary>
    public required long Rows { get; init; }

    /// <summary>Gets how many rows matched a stored conversion with the same amount and currency.</summary>
    public required long Matched { get; init; }

    /// <summary>Gets the rows the network has and no stored conversion matches: no postback came.</summary>
    public required IReadOnlyList<ReconciliationRow> MissingHere { get; init; }

    /// <summary>Gets the stored conversions received within <see cref="From"/>–<see cref="To"/> that no row matches.</summary>
    public required IReadOnlyList<ReconciledConversion> MissingThere { get; init; }

    /// <summary>Gets the rows that matched a stored conversion with another amount or currency.</summary>
    public required IReadOnlyList<ReconciliationMismatch> Mismatches { get; init; }

    /// <summary>Gets the rows that could not be read (a bad event, amount or time), with the reason.</summary>
    public required IReadOnlyList<ReconciliationRowError> Invalid { get; init; }

    /// <summary>Gets the sums of amounts per currency on both sides, ordered by currency.</summary>
    public required IReadOnlyList<ReconciliationTotal> Totals { get; init; }

    /// <summary>Gets the reconciliation's id, under which it is kept (<see cref="ReconciliationService.GetAsync"/>).</summary>
    public required string Id { get; init; }

    /// <summary>Gets when the report was uploaded.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets how many rows are missing here; <see cref="MissingHere"/> lists the first <see cref="ReconciliationService.MaxListedRows"/>.</summary>
    public required long MissingHereCount { get; init; }

    /// <summary>Gets how many stored conversions are missing there; <see cref="MissingThere"/> lists the first <see cref="ReconciliationService.MaxListedRows"/>.</summary>
    public required long MissingThereCount { get; init; }

    /// <summary>Gets how many rows are mismatches; <see cref="Mismatches"/> lists the first <see cref="ReconciliationService.MaxListedRows"/>.</summary>
    public required long MismatchCount { get; init; }

    /// <summary>Gets how many rows could not be read; <see cref="Invalid"/> lists the first <see cref="ReconciliationService.MaxInvalidRows"/>.</summary>
    public required long InvalidCount { get; init; }
}

/// <summary>A stored conversion as the reconciliation reports it.</summary>
/// <param name="ConversionId">The conversion's id.</param>
/// <param name="ClickId">The click id.</param>
/// <param name="Event">The event's name.</param>
/// <param name="Amount">The amount, or <see langword="null"/>.</param>
/// <param name="Currency">The currency, or <see langword="null"/>.</param>
/// <param name="TransactionId">The transaction id, or <see langword="null"/>.</param>
/// <param name="ReceivedAt">When it was received.</param>
public sealed record ReconciledConversion(string ConversionId, string ClickId, string Event, decimal? Amount, string? Currency, string? TransactionId, DateTimeOffset ReceivedAt);

/// <summary>A row matched to a stored conversion whose amount or currency differs.</summary>
/// <param name="Row">The network's row.</param>
/// <param name="Conversion">The stored conversion.</param>
public sealed record ReconciliationMismatch(ReconciliationRow Row, ReconciledConversion Conversion);

/// <summary>A row that could not be read.</summary>
/// <param name="Line">The row's line in the file.</param>
/// <param name="Message">Why.</param>
public sealed record ReconciliationRowError(long Line, string Message);

/// <summary>The sums of one currency: the network's rows and the stored conversions, within the range.</summary>
/// <param name="Currency">The currency code.</param>
/// <param name="Network">The sum of the report's amounts.</param>
/// <param name="Here">The sum of the stored conversions' amounts.</param>
public sealed record ReconciliationTotal(string Currency, decimal Network, decimal Here);
