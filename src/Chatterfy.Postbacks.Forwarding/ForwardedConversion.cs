using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Storage;

namespace Chatterfy.Postbacks.Forwarding;

/// <summary>
/// One outbox message handed to a destination: the stored conversion, its click, which attempt this is, and what the
/// message forwards — the conversion as it was stored, or one change of its status (<see cref="Change"/>). Render
/// <see cref="Status"/> and <see cref="StatusAt"/>, not <see cref="ConversionRecord.Status"/>: the conversion may have
/// changed again between the message's writing and its sending.
/// </summary>
public sealed record ForwardedConversion
{
    /// <summary>Gets the outbox message's id, stable across attempts.</summary>
    public required string MessageId { get; init; }

    /// <summary>Gets the stored conversion, as it is when the message is sent (its <see cref="ConversionRecord.History"/> included).</summary>
    public required ConversionRecord Conversion { get; init; }

    /// <summary>Gets the conversion's click, or <see langword="null"/> when it is unknown (an unattributed conversion) or purged.</summary>
    public Click? Click { get; init; }

    /// <summary>Gets the number of this attempt, starting at 1.</summary>
    public int Attempt { get; init; } = 1;

    /// <summary>
    /// Gets the status change this message forwards (the history entry its outbox message records,
    /// <see cref="OutboxMessage.HistoryEntryId"/>), or <see langword="null"/> when it forwards the conversion as it was stored.
    /// </summary>
    public ConversionStatusChange? Change { get; init; }

    /// <summary>
    /// Gets the status this message forwards: the change's new status, or the status the conversion was stored with (before
    /// any later change).
    /// </summary>
    public ConversionStatus Status => Change?.To ?? (Conversion.History.Count > 0 ? Conversion.History[0].From : Conversion.Status);

    /// <summary>Gets when <see cref="Status"/> took effect (UTC): when the change's postback was received, or when the conversion was.</summary>
    public DateTimeOffset StatusAt => Change?.At ?? Conversion.Conversion.ReceivedAt;
}
