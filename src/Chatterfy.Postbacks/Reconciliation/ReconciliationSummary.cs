namespace Chatterfy.Postbacks.Reconciliation;

/// <summary>A kept reconciliation without its row lists, as <see cref="ReconciliationService.ListAsync"/> lists it.</summary>
public sealed record ReconciliationSummary
{
    /// <summary>Gets the reconciliation's id.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the set reconciled.</summary>
    public required string SetId { get; init; }

    /// <summary>Gets when the report was uploaded.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets the start of the compared range (inclusive).</summary>
    public required DateTimeOffset From { get; init; }

    /// <summary>Gets the end of the compared range (inclusive).</summary>
    public required DateTimeOffset To { get; init; }

    /// <summary>Gets how many rows of the report were read.</summary>
    public required long Rows { get; init; }

    /// <summary>Gets how many rows matched with the same amount and currency.</summary>
    public required long Matched { get; init; }

    /// <summary>Gets how many rows are missing here.</summary>
    public required long MissingHereCount { get; init; }

    /// <summary>Gets how many stored conversions are missing there.</summary>
    public required long MissingThereCount { get; init; }

    /// <summary>Gets how many rows are mismatches.</summary>
    public required long MismatchCount { get; init; }

    /// <summary>Gets how many rows could not be read.</summary>
    public required long InvalidCount { get; init; }

    /// <summary>Gets the sums of amounts per currency on both sides.</summary>
    public required IReadOnlyList<ReconciliationTotal> Totals { get; init; }

    /// <summary>Summarizes a report.</summary>
    /// <param name="report">The report.</param>
    /// <returns>Its summary.</returns>
    public static ReconciliationSummary Of(ReconciliationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new()
        {
            Id = report.Id,
            SetId = report.SetId,
            CreatedAt = report.CreatedAt,
            From = report.From,
            To = report.To,
            Rows = report.Rows,
            Matched = report.Matched,
            MissingHereCount = report.MissingHereCount,
            MissingThereCount = report.MissingThereCount,
            MismatchCount = report.MismatchCount,
            InvalidCount = report.InvalidCount,
            Totals = report.Totals,
        };
    }
}
