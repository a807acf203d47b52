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
    /// <summary>Gets the stored word of an outcome: <c>accepted</c>, <c>duplicate</c>, <c>unattributed</c>, <c>rejected</c>.</summary>
    /// <param name="outcome">The outcome.</param>
    /// <returns>The word.</returns>
    public static string Of(PostbackOutcome outcome) => outcome switch
    {
        PostbackOutcome.Accepted => "accepted",
        PostbackOutcome.Duplicate => "duplicate",
        PostbackOutcome.Unattributed => "unattributed",
        PostbackOutcome.Rejected => "rejected",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };

    /// <summary>Gets the stored word of an attribution: <c>credited</c>, <c>unattributed</c>.</summary>
    /// <param name="attribution">The attribution.</param>
    /// <returns>The word.</returns>
    public static string Of(ConversionAttribution attribution) => attribution switch
    {
        ConversionAttribution.Credited => "credited",
        ConversionAttribution.Unattributed => "unattributed",
        _ => throw new ArgumentOutOfRangeException(nameof(attribution), attribution, null),
    };

    /// <summary>Gets the stored word of an event kind: <c>registration</c>, <c>first-deposit</c>, <c>deposit</c>, <c>custom</c>.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>The word.</returns>
    public static string Of(PostbackEventKind kind) => kind switch
    {
        PostbackEventKind.Registration => "registration",
        PostbackEventKind.FirstDeposit => "first-deposit",
        PostbackEventKind.Deposit => "deposit",
        PostbackEventKind.Custom => "custom",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Gets the stored word of an outbox message's status: <c>pending</c>, <c>delivered</c>, <c>dead-lettered</c>.</summary>
    /// <param name="status">The status.</param>
    /// <returns>The word.</returns>
    public static string Of(OutboxMessageStatus status) => status switch
    {
        OutboxMessageStatus.Pending => "pending",
        OutboxMessageStatus.Delivered => "delivered",
        OutboxMessageStatus.DeadLettered => "dead-lettered",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>Gets the stored word of an attempt's status: <c>delivered</c>, <c>retry</c>, <c>dead-letter</c>.</summary>
    /// <param name="status">The status.</param>
    /// <returns>The word.</returns>
    public static string Of(DeliveryStatus status) => status switch
    {
        DeliveryStatus.Delivered => "delivered",
        DeliveryStatus.Retry => "retry",
        DeliveryStatus.DeadLetter => "dead-letter",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>Reads a stored outcome word.</summary>
    /// <param name="word">The word.</param>
    /// <returns>The outcome.</returns>
    /// <exception cref="FormatException">The word is not one of <see cref="Of(PostbackOutcome)"/>'s.</exception>
    public static PostbackOutcome ParseOutcome(string word) => word switch
    {
        "accepted" => PostbackOutcome.Accepted,
        "duplicate" => PostbackOutcome.Duplicate,
        "unattributed" => PostbackOutcome.Unattributed,
        "rejected" => PostbackOutcome.Rejected,
        _ => throw Unknown(word, "outcome"),
    };

    /// <summary>Reads a stored attribution word.</summary>
    /// <param name="word">The word.</param>
    /// <returns>The attribution.</returns>
    /// <exception cref="FormatException">The word is not one of <see cref="Of(ConversionAttribution)"/>'s.</exception>
    public static ConversionAttribution ParseAttribution(string word) => word switch
    {
        "credited" => ConversionAttribution.Credited,
        "unattributed" => ConversionAttribution.Unattributed,
        _ => throw Unknown(word, "attribution"),
    };

    /// <summary>Reads a stored event kind word.</summary>
    /// <param name="word">The word.</param>
    /// <returns>The kind.</returns>
    /// <exception cref="FormatException">The word is not one of <see cref="Of(PostbackEventKind)"/>'s.</exception>
    public static PostbackEventKind ParseEventKind(string word) => word switch
    {
        "registration" => PostbackEventKind.Registration,
        "first-deposit" => PostbackEventKind.FirstDeposit,
        "deposit" => PostbackEventKind.Deposit,
        "custom" => PostbackEventKind.Custom,
        _ => throw Unknown(word, "event kind"),
    };

    /// <summary>Reads a stored outbox status word.</summary>
    /// <param name="word">The word.</param>
    /// <returns>The status.</returns>
    /// <exception cref="FormatException">The word is not one of <see cref="Of(OutboxMessageStatus)"/>'s.</exception>
    public static OutboxMessageStatus ParseOutboxStatus(string word) => word switch
    {
        "pending" => OutboxMessageStatus.Pending,
        "delivered" => OutboxMessageStatus.Delivered,
        "dead-lettered" => OutboxMessageStatus.DeadLettered,
        _ => throw Unknown(word, "outbox message status"),
    };

    /// <summary>Reads a stored attempt status word.</summary>
    /// <param name="word">The word.</param>
    /// <returns>The status.</returns>
    /// <exception cref="FormatException">The word is not one of <see cref="Of(DeliveryStatus)"/>'s.</exception>
    public static DeliveryStatus ParseDeliveryStatus(string word) => word switch
    {
        "delivered" => DeliveryStatus.Delivered,
        "retry" => DeliveryStatus.Retry,
        "dead-letter" => DeliveryStatus.DeadLetter,
        _ => throw Unknown(word, "attempt status"),
    };

    private static FormatException Unknown(string word, string what) => new($"'{word}' is not a stored {what} word.");
}
