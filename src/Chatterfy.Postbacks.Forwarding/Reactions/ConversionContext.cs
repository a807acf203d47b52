using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Storage;

namespace Chatterfy.Postbacks.Forwarding.Reactions;

/// <summary>What an <see cref="IConversionHandler"/> receives for one delivery.</summary>
public sealed record ConversionContext
{
    /// <summary>Gets the delivery's id: the outbox message's id, the same on every attempt, after a restart and after a replay. De-duplicate on it.</summary>
    public required string DeliveryId { get; init; }

    /// <summary>Gets the stored conversion, as it is when the delivery is made (it may have changed since the delivery was written: react to <see cref="Status"/>).</summary>
    public required ConversionRecord Conversion { get; init; }

    /// <summary>
    /// Gets the status change this delivery is for (a rule with <c>statuses</c> delivers each change into them; a rule
    /// without delivers a held conversion's first approval), or <see langword="null"/> when it is for the conversion as it
    /// was stored.
    /// </summary>
    public ConversionStatusChange? Change { get; init; }

    /// <summary>Gets the status this delivery is for: <see cref="Change"/>'s new status, or the status the conversion was stored with.</summary>
    /// <value>Defaults to <see cref="ConversionStatus.Approved"/>.</value>
    public ConversionStatus Status { get; init; } = ConversionStatus.Approved;

    /// <summary>Gets when <see cref="Status"/> took effect (UTC): when the change's postback was received, or <see cref="OccurredAt"/>.</summary>
    public DateTimeOffset StatusAt { get; init; }

    /// <summary>Gets the conversion's click, or <see langword="null"/> when it is no longer stored.</summary>
    public Click? Click { get; init; }

    /// <summary>Gets the attempt's number, from 1.</summary>
    public int Attempt { get; init; } = 1;

    /// <summary>Gets the click's subject (the chat user, such as <c>tg:123456789</c>), or <see langword="null"/>.</summary>
    public string? SubjectId => Click?.SubjectId;

    /// <summary>Gets the conversion's event.</summary>
    public PostbackEvent Event => Conversion.Conversion.Event;

    /// <summary>Gets the deposit's number among its click's deposits (1 for the first deposit), or <see langword="null"/> for other events.</summary>
    public int? DepositNumber => Conversion.DepositNumber;

    /// <summary>Gets when the conversion occurred (was received), UTC.</summary>
    public DateTimeOffset OccurredAt => Conversion.Conversion.ReceivedAt;
}
