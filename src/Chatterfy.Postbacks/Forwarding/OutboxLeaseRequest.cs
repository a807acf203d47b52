namespace Chatterfy.Postbacks.Forwarding;

/// <summary>What a dispatcher asks <see cref="Storage.OutboxStore.LeaseAsync"/> for.</summary>
public sealed record OutboxLeaseRequest
{
    /// <summary>The most messages one lease may take: 10,000.</summary>
    public const int MaxCountLimit = 10_000;

    /// <summary>
    /// Gets the lease's id, which completions, renewals and releases present. It names the holder, not the call: a
    /// dispatcher may lease several times under one id (the hosted dispatcher uses one id while it runs); ids of different
    /// dispatchers differ (e.g. a GUID each).
    /// </summary>
    public required string LeaseId { get; init; }

    /// <summary>Gets the current time: messages due at or before it, and not under a lease that ends after it, are leased.</summary>
    public required DateTimeOffset Now { get; init; }

    /// <summary>Gets how long the lease lasts; the leased messages' <see cref="OutboxMessage.LeaseExpiresAt"/> is <see cref="Now"/> plus this.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>Gets the most messages to lease (1 to 10,000).</summary>
    public required int MaxCount { get; init; }

    /// <summary>
    /// Gets the rules whose messages are not leased by this call, however early they are due: the dispatcher leaves the
    /// messages of a destination that is busy in the store, so they never stand in the way of other destinations' messages.
    /// </summary>
    /// <value>Defaults to none.</value>
    public IReadOnlyCollection<string> ExcludedRuleIds { get; init; } = [];
}
