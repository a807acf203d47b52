namespace Chatterfy.Postbacks.Ingestion;

/// <summary>
/// The status changes a status postback may make to a stored conversion, the one home of the list: pending → approved or
/// rejected; approved → rejected or chargeback; rejected → approved. Any other (the status it already has included) is
/// ignored with warning <c>status_transition_ignored</c>.
/// </summary>
public static class ConversionStatusTransitions
{
    /// <summary>Gets whether a conversion in <paramref name="from"/> may change to <paramref name="to"/>.</summary>
    /// <param name="from">The stored status.</param>
    /// <param name="to">The postback's status.</param>
    /// <returns><see langword="true"/> for a change in the list.</returns>
    public static bool IsAllowed(ConversionStatus from, ConversionStatus to) => (from, to) switch
    {
        (ConversionStatus.Pending, ConversionStatus.Approved) => true,
        (ConversionStatus.Pending, ConversionStatus.Rejected) => true,
        (ConversionStatus.Approved, ConversionStatus.Rejected) => true,
        (ConversionStatus.Approved, ConversionStatus.Chargeback) => true,
        (ConversionStatus.Rejected, ConversionStatus.Approved) => true,
        _ => false,
    };
}
