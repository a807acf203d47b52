using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.Ingestion;

namespace Chatterfy.Postbacks.Storage;

/// <summary>
/// The words every store writes for the SDK's enumerations, so that a database reads the same whichever store wrote it
/// (and an operator's SQL works on each). The one home of these words: stores map through these members, never through
/// literals of their own.
/// </summary>
public static class StoredWords
{
    private const string Accepted = "accepted";
    private const string Duplicate = "duplicate";
    private const string Unattributed = "unattributed";
    private const string Rejected = "rejected";
    private const string Credited = "credited";
    private const string Custom = "custom";
    private const string Pending = "pending";
    private const string Delivered = "delivered";
    private const string DeadLettered = "dead-lettered";
    private const string Retry = "retry";
    private const string DeadLetter = "dead-letter";
    private const string Changed = "changed";

    /// <summary>Gets the stored word of an outcome: <c>accepted</c>, <c>duplicate</c>, <c>unattributed</c>, <c>rejected</c>, <c>changed</c>.</summary>
    /// <param name="outcome">The outcome.</param>
    /// <returns>The word.</returns>
    public static string Of(PostbackOutcome outcome) => outcome switch
    {
        PostbackOutcome.Accepted => Accepted,
        PostbackOutcome.Duplicate => Duplicate,
        PostbackOutcome.Unattributed => Unattributed,
        PostbackOutcome.Rejected => Rejected,
        PostbackOutcome.Changed => Changed,
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };

    /// <summary>Gets the stored word of an attribution: <c>credited</c>, <c>unattributed</c>.</summary>
    /// <param name="attribution">The attribution.</param>
    /// <returns>The word.</returns>
    public static string Of(ConversionAttribution attribution) => attribution switch
    {
        ConversionAttribution.Credited => Credited,
        ConversionAttribution.Unattributed => Unattributed,
        _ => throw new ArgumentOutOfRangeException(nameof(attribution), attribution, null),
    };

    /// <summary>Gets the stored word of an event kind: <c>registration</c>, <c>first-deposit</c>, <c>deposit</c>, <c>custom</c>.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>The word.</returns>
    public static string Of(PostbackEventKind kind) => kind switch
    {
        PostbackEventKind.Registration => PostbackEvent.RegistrationName,
        PostbackEventKind.FirstDeposit => PostbackEvent.FirstDepositName,
        PostbackEventKind.Deposit => PostbackEvent.DepositName,
        PostbackEventKind.Custom => Custom,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Gets the stored word of an outbox message's status: <c>pending</c>, <c>delivered</c>, <c>dead-lettered</c>.</summary>
    /// <param name="status">The status.</param>
    /// <returns>The word.</returns>
    public static string Of(OutboxMessageStatus status) => status switch
    {
        OutboxMessageStatus.Pending => Pending,
        OutboxMessageStatus.Delivered => Delivered,
        OutboxMessageStatus.DeadLettered => DeadLettered,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>Gets the stored word of an attempt's status: <c>delivered</c>, <c>retry</c>, <c>dead-letter</c>.</summary>
    /// <param name="status">The status.</param>
    /// <returns>The word.</returns>
    public static string Of(DeliveryStatus status) => status switch
    {
        DeliveryStatus.Delivered => Delivered,
        DeliveryStatus.Retry => Retry,
        DeliveryStatus.DeadLetter => DeadLetter,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>Reads a stored outcome word.</summary>
    /// <param name="word">The word.</param>
    /// <returns>The outcome.</returns>
    /// <exception cref="FormatException">The word is not one of <see cref="Of(PostbackOutcome)"/>'s.</exception>
    public static PostbackOutcome ParseOutcome(string word) => word switch
    {
        Accepted => PostbackOutcome.Accepted,
        Duplicate => PostbackOutcome.Duplicate,
        Unattributed => PostbackOutcome.Unattributed,
        Rejected => PostbackOutcome.Rejected,
        Changed => PostbackOutcome.Changed,
        _ => throw Unknown(word, "outcome"),
    };

    /// <summary>Reads a stored attribution word.</summary>
    /// <param name="word">The word.</param>
    /// <returns>The attribution.</returns>
    /// <exception cref="FormatException">The word is not one of <see cref="Of(ConversionAttribution)"/>'s.</exception>
    public static ConversionAttribution ParseAttribution(string word) => word switch
    {
        Credited => ConversionAttribution.Credited,
        Unattributed => ConversionAttribution.Unattributed,
        _ => throw Unknown(word, "attribution"),
    };

    /// <summary>Reads a stored event kind word.</summary>
    /// <param name="word">The word.</param>
    /// <returns>The kind.</returns>
    /// <exception cref="FormatException">The word is not one of <see cref="Of(PostbackEventKind)"/>'s.</exception>
    public static PostbackEventKind ParseEventKind(string word) => word switch
    {
        PostbackEvent.RegistrationName => PostbackEventKind.Registration,
        PostbackEvent.FirstDepositName => PostbackEventKind.FirstDeposit,
        PostbackEvent.DepositName => PostbackEventKind.Deposit,
        Custom => PostbackEventKind.Custom,
        _ => throw Unknown(word, "event kind"),
    };

    /// <summary>Reads a stored outbox status word.</summary>
    /// <param name="word">The word.</param>
    /// <returns>The status.</returns>
    /// <exception cref="FormatException">The word is not one of <see cref="Of(OutboxMessageStatus)"/>'s.</exception>
    public static OutboxMessageStatus ParseOutboxStatus(string word) => word switch
    {
        Pending => OutboxMessageStatus.Pending,
        Delivered => OutboxMessageStatus.Delivered,
        DeadLettered => OutboxMessageStatus.DeadLettered,
        _ => throw Unknown(word, "outbox message status"),
    };

    /// <summary>Reads a stored attempt status word.</summary>
    /// <param name="word">The word.</param>
    /// <returns>The status.</returns>
    /// <exception cref="FormatException">The word is not one of <see cref="Of(DeliveryStatus)"/>'s.</exception>
    public static DeliveryStatus ParseDeliveryStatus(string word) => word switch
    {
        Delivered => DeliveryStatus.Delivered,
        Retry => DeliveryStatus.Retry,
        DeadLetter => DeliveryStatus.DeadLetter,
        _ => throw Unknown(word, "attempt status"),
    };

    private static FormatException Unknown(string word, string what) => new($"'{word}' is not a stored {what} word.");

    /// <summary>Gets the stored word of a conversion status: its wire name (<see cref="ConversionStatusNames.Name"/>).</summary>
    /// <param name="status">The status.</param>
    /// <returns>The word.</returns>
    public static string Of(ConversionStatus status) => ConversionStatusNames.Name(status);

    /// <summary>Reads a stored conversion status word.</summary>
    /// <param name="word">The word.</param>
    /// <returns>The status.</returns>
    /// <exception cref="FormatException">The word is not one of <see cref="Of(ConversionStatus)"/>'s.</exception>
    public static ConversionStatus ParseConversionStatus(string word) =>
        ConversionStatusNames.TryParse(word, out var status) ? status : throw Unknown(word, "conversion status");
}
