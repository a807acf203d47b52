namespace Chatterfy.Postbacks.Storage;

/// <summary>What <see cref="IngestStore.AppendAsync"/> did with one <see cref="IngestRecord"/>.</summary>
/// <param name="ConversionId">
/// The stored conversion's id: the record's own when it was stored, the earlier conversion's for a duplicate;
/// <see langword="null"/> for a record without a conversion, or when <paramref name="Failure"/> is set.
/// </param>
/// <param name="IsDuplicate"><see langword="true"/> when a conversion with the same key was already stored in the record's range.</param>
/// <param name="Failure">
/// Why this record alone was not written (e.g. <see cref="InvalidOperationException"/> for an id already used); nothing of
/// it is stored, and the other records of the batch are not affected. <see langword="null"/> when it was written.
/// </param>
public readonly record struct IngestResult(string? ConversionId, bool IsDuplicate, Exception? Failure)
{
    /// <summary>Creates the result of a record written as given (a new conversion, or a log entry alone).</summary>
    /// <param name="conversionId">The new conversion's id, or <see langword="null"/>.</param>
    /// <returns>The result.</returns>
    public static IngestResult Written(string? conversionId) => new(conversionId, false, null);

    /// <summary>Creates the result of a duplicate.</summary>
    /// <param name="storedConversionId">The stored conversion's id.</param>
    /// <returns>The result.</returns>
    public static IngestResult Duplicate(string storedConversionId) => new(storedConversionId, true, null);

    /// <summary>Creates the result of a record that failed alone.</summary>
    /// <param name="failure">Why.</param>
    /// <returns>The result.</returns>
    public static IngestResult Failed(Exception failure) => new(null, false, failure);

    /// <summary>
    /// Gets the deposit number the store assigned to the record's new conversion (<see cref="ConversionRecord.DepositNumber"/>),
    /// or <see langword="null"/> when it has none, and for duplicates and failures.
    /// </summary>
    public int? DepositNumber { get; init; }
}
