using Chatterfy.Postbacks.Forwarding;

namespace Chatterfy.Postbacks.Storage;

/// <summary>
/// A status change as <see cref="IngestStore.ChangeStatusAsync"/> writes it: the change (a compare-and-set of the
/// conversion's status from <see cref="ConversionStatusChange.From"/> to <see cref="ConversionStatusChange.To"/>), the
/// postback's log entry and the outbox messages the change forwards. The core decides every value; the store applies it
/// only if the conversion's status is still the expected one.
/// </summary>
public sealed record StatusChangeRecord
{
    /// <summary>Gets the change, kept as a history entry of its conversion.</summary>
    public required ConversionStatusChange Change { get; init; }

    /// <summary>
    /// Gets a value indicating whether the change's word was not in the set's status map (kept as
    /// <see cref="ConversionRecord.StatusWordUnknown"/> with the word).
    /// </summary>
    public bool WordUnknown { get; init; }

    /// <summary>
    /// Gets the log entry, with outcome <see cref="PostbackOutcome.Changed"/> and <see cref="PostbackLogEntry.ConversionId"/>
    /// the changed conversion's id; its id is <see cref="ConversionStatusChange.LogEntryId"/>.
    /// </summary>
    public required PostbackLogEntry LogEntry { get; init; }

    /// <summary>
    /// Gets the outbox messages written with the change, each new, pending and of the changed conversion.
    /// </summary>
    /// <value>Defaults to none.</value>
    public IReadOnlyList<OutboxMessage> OutboxMessages { get; init; } = [];
}
