using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Storage;

namespace Chatterfy.Postbacks.Ingestion;

// A conversion's status change, as status postbacks and the remap write it.
public sealed partial class PostbackIngestor
{
    /// <summary>
    /// One compare-and-set of a conversion's status: the history entry (at the log entry's time, pointing at it), the log
    /// entry, the roll-ups and the outbox messages the hooks ask for, in one store transaction. Shared by status postbacks
    /// and the remap.
    /// </summary>
    /// <returns><see langword="false"/> when another change reached the conversion first (nothing was written).</returns>
    private async ValueTask<bool> TryChangeStatusAsync(
        PostbackSet set, ConversionRecord target, ConversionStatus status, string word, bool wordUnknown, PostbackLogEntry logEntry, bool forward, CancellationToken cancellationToken)
    {
        var change = new ConversionStatusChange
        {
            Id = StoreIds.New(_timeProvider),
            ConversionId = target.Id,
            At = logEntry.ReceivedAt,
            From = target.Status,
            To = status,
            Word = word,
            LogEntryId = logEntry.Id,
        };
        var changed = target with { Status = status, StatusWord = word, StatusWordUnknown = wordUnknown, History = [.. target.History, change] };

        // Every change is offered to the hooks; a forwarding rule's filter decides whether this entry into the status is
        // sent (ForwardingRuleFilter.MatchesStatus: without statuses, only the first approval).
        var contributed = forward
            ? await ContributeAsync(set, changed, cancellationToken).ConfigureAwait(false)
            : new Contribution([], null);
        var applied = await _appends.Store.ChangeStatusAsync(
            new StatusChangeRecord
            {
                Change = change,
                WordUnknown = wordUnknown,
                LogEntry = logEntry,
                OutboxMessages = ChangeMessages(contributed, changed, change),
            },
            CancellationToken.None).ConfigureAwait(false);
        if (!applied)
        {
            return false;
        }

        OnStored(changed, contributed);
        LogStored(_logger, set.Id, target.Conversion.Event.Name, PostbackOutcome.Changed, target.Id);
        return true;
    }

    // The conversion has its number already: the core checks each message's deposit-number range itself.
    private static OutboxMessage[] ChangeMessages(Contribution contributed, ConversionRecord changed, ConversionStatusChange change) =>
        [.. contributed.Messages
            .Where(m => m.DepositNumberCondition is not { } range || range.Contains(changed.DepositNumber))
            .Select(m => m with { HistoryEntryId = change.Id, DepositNumberCondition = null })];
}
