namespace Chatterfy.Postbacks.Storage;

/// <summary>The result of <see cref="PostbackStore.AppendConversionAsync(ConversionRecord, PostbackLogEntry, IReadOnlyList{Forwarding.OutboxMessage}, CancellationToken)"/>.</summary>
/// <param name="IsDuplicate"><see langword="true"/> when a conversion with the same idempotency key was already stored.</param>
/// <param name="ConversionId">The new conversion's id, or for a duplicate the original conversion's id.</param>
public readonly record struct ConversionAppendResult(bool IsDuplicate, string ConversionId)
{
    /// <summary>Creates the result for a newly stored conversion.</summary>
    /// <param name="conversionId">The new conversion's id.</param>
    /// <returns>The result.</returns>
    public static ConversionAppendResult Accepted(string conversionId) => new(false, conversionId);

    /// <summary>Creates the result for a retry of a stored conversion.</summary>
    /// <param name="originalConversionId">The original conversion's id.</param>
    /// <returns>The result.</returns>
    public static ConversionAppendResult Duplicate(string originalConversionId) => new(true, originalConversionId);
}
