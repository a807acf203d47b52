namespace Chatterfy.Postbacks.Forwarding;

/// <summary>What became of one delivery attempt.</summary>
public enum DeliveryStatus
{
    /// <summary>The destination accepted the conversion; the message is done.</summary>
    Delivered,

    /// <summary>A transient failure (network, timeout, 5xx, throttling): try again later, within the retry horizon.</summary>
    Retry,

    /// <summary>A permanent failure (a refused request, an event too old): never retried automatically; replayable by hand.</summary>
    DeadLetter,
}
