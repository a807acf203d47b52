using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Storage;

namespace Chatterfy.Postbacks.Forwarding.Reactions;

/// <summary>What an <see cref="IConversionHandler"/> receives for one delivery.</summary>
public sealed record ConversionContext
{
    /// <summary>Gets the delivery's id: the outbox message's id, the same on every attempt, after a restart and after a replay. De-duplicate on it.</summary>
    public required string DeliveryId { get; init; }

    /// <summary>Gets the stored conversion.</summary>
    public required ConversionRecord Conversion { get; init; }

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
