namespace Chatterfy.Postbacks.Forwarding;

/// <summary>What a dispatcher asks <see cref="Storage.PostbackStore.LeaseOutboxMessagesAsync"/> for.</summary>
public sealed record OutboxLeaseRequest
{
    /// <summary>Gets the new lease's id, unique per call (e.g. a GUID); completions must present it.</summary>
    public required string LeaseId { get; init; }

    /// <summary>Gets the current time: messages due at or before it, and not under a lease that ends after it, are leased.</summary>
    public required DateTimeOffset Now { get; init; }

    /// <summary>Gets how long the lease lasts; the leased messages' <see cref="OutboxMessage.LeaseExpiresAt"/> is <see cref="Now"/> plus this.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>Gets the most messages to lease (1 to 10,000).</summary>
    public required int MaxCount { get; init; }
}
