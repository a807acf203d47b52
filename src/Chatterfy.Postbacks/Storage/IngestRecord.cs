using Chatterfy.Postbacks.Forwarding;

namespace Chatterfy.Postbacks.Storage;

/// <summary>
/// One processed postback as <see cref="IngestStore.AppendAsync"/> writes it: its log entry and, for a valid postback, the
/// conversion to store unless a duplicate is stored, with the rows that go with it. The core decides every value here
/// (outcomes, the duplicate window, the messages); the store applies the one primitive described on
/// <see cref="IngestStore.AppendAsync"/>.
/// </summary>
public sealed record IngestRecord
{
    /// <summary>
    /// Gets the log entry, written as given when <see cref="Conversion"/> is <see langword="null"/> (a rejection) or when
    /// the conversion is stored; when the conversion is a duplicate it is written with <see cref="DuplicateOutcome"/> and
    /// the stored conversion's id.
    /// </summary>
    public required PostbackLogEntry LogEntry { get; init; }

    /// <summary>Gets the conversion to store unless a duplicate is stored, or <see langword="null"/> for a request that stores only its log entry.</summary>
    public ConversionRecord? Conversion { get; init; }

    /// <summary>
    /// Gets when a stored conversion with the same <see cref="Ingestion.IdempotencyKey.Value"/> makes this one a duplicate:
    /// when its receive time lies in this range. For a key without a window (<see cref="Ingestion.IdempotencyKey.Window"/> is
    /// <see langword="null"/>) it is always <see cref="ReceivedRange.Always"/>, so a store may hold such key values unique; for
    /// a key with a window it is the window around the conversion's receive time.
    /// </summary>
    /// <value>Defaults to <see cref="ReceivedRange.Always"/>.</value>
    public ReceivedRange DuplicateRange { get; init; }

    /// <summary>Gets the outcome the log entry is written with when the conversion is a duplicate.</summary>
    /// <value>Defaults to <see cref="PostbackOutcome.Duplicate"/>.</value>
    public PostbackOutcome DuplicateOutcome { get; init; } = PostbackOutcome.Duplicate;

    /// <summary>
    /// Gets the outbox messages written with the conversion when it is stored (none for a duplicate), each with a new id,
    /// <see cref="OutboxMessage.ConversionId"/> equal to the conversion's id and status <see cref="OutboxMessageStatus.Pending"/>.
    /// Ingestion hooks contribute them.
    /// </summary>
    /// <value>Defaults to none.</value>
    public IReadOnlyList<OutboxMessage> OutboxMessages { get; init; } = [];

    /// <summary>
    /// Gets a value indicating whether the log entry is written when the conversion is a duplicate. When
    /// <see langword="false"/>, a duplicate writes nothing at all (the result still names the stored conversion): the core
    /// then decides again, e.g. for a status postback that raced the conversion it changes.
    /// </summary>
    /// <value>Defaults to <see langword="true"/>.</value>
    public bool LogsDuplicate { get; init; } = true;
}
