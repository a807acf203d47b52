using Chatterfy.Postbacks.Storage;

namespace Chatterfy.Postbacks.Ingestion;

/// <summary>
/// Which stored conversion a status postback changes, within its set and click (the one home of the matching rules):
/// <list type="bullet">
/// <item><description>
/// on an event URL, the conversion its postback would be a duplicate of (the same idempotency key, received in its duplicate
/// window: registrations and first deposits by set, event and click; deposits and custom events also by transaction id, or
/// by the hash of their parameters, the status excluded); failing that, a <c>rejected</c> or <c>chargeback</c> with a
/// transaction id matches the click's first deposit or deposit with that transaction id, whatever event it names;
/// </description></item>
/// <item><description>
/// on the status URL (<see cref="Conversion.IsStatusOnly"/>), the one conversion with its transaction id, or without one
/// the click's one pending conversion; none or several match nothing.
/// </description></item>
/// </list>
/// </summary>
internal static class StatusTarget
{
    /// <summary>Finds the conversion a status postback changes among its click's stored conversions.</summary>
    /// <param name="postback">The parsed status postback.</param>
    /// <param name="clickConversions">The click's conversions, oldest first (<see cref="IngestStore.ListConversionsByClickAsync"/>).</param>
    /// <returns>The conversion, or <see langword="null"/>.</returns>
    public static ConversionRecord? Find(Conversion postback, IReadOnlyList<ConversionRecord> clickConversions)
    {
        var inSet = clickConversions.Where(c => string.Equals(c.Conversion.SetId, postback.SetId, StringComparison.Ordinal)).ToList();
        if (postback.IsStatusOnly)
        {
            var candidates = postback.TransactionId is { } transactionId
                ? inSet.Where(c => string.Equals(c.Conversion.TransactionId, transactionId, StringComparison.Ordinal)).ToList()
                : inSet.Where(c => c.Status == ConversionStatus.Pending).ToList();
            return candidates.Count == 1 ? candidates[0] : null;
        }

        // The list is oldest first: the first match is the earliest, as the store's duplicate look-up takes.
        var range = DuplicateWindow.Of(postback.IdempotencyKey, postback.ReceivedAt);
        var byKey = inSet.FirstOrDefault(c => string.Equals(c.Conversion.IdempotencyKey.Value, postback.IdempotencyKey.Value, StringComparison.Ordinal)
            && range.Contains(c.Conversion.ReceivedAt));
        if (byKey is not null)
        {
            return byKey;
        }

        if (postback is { Status: ConversionStatus.Rejected or ConversionStatus.Chargeback, TransactionId: { } txid })
        {
            return inSet.FirstOrDefault(c => c.Conversion.Event.Kind is PostbackEventKind.FirstDeposit or PostbackEventKind.Deposit
                && string.Equals(c.Conversion.TransactionId, txid, StringComparison.Ordinal));
        }

        return null;
    }
}
