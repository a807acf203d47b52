namespace Chatterfy.Postbacks.Forwarding;

/// <summary>Where an outbox message stands.</summary>
public enum OutboxMessageStatus
{
    /// <summary>Waiting to be sent, or to be sent again after a failed attempt, at <see cref="OutboxMessage.NextAttemptAt"/>.</summary>
    Pending,

    /// <summary>The destination accepted it; nothing more happens.</summary>
    Delivered,

    /// <summary>It failed for good (a permanent error, or the retry horizon passed); replayable by hand.</summary>
    DeadLettered,
}
