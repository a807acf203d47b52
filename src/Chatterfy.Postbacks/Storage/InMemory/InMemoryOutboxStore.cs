using Chatterfy.Postbacks.Forwarding;

namespace Chatterfy.Postbacks.Storage.InMemory;

/// <summary>The in-memory store's outbox: leases, attempts and their outcomes, under the database's lock.</summary>
internal sealed class InMemoryOutboxStore(InMemoryDatabase db) : OutboxStore
{
    protected override ValueTask<IReadOnlyList<OutboxMessage>> LeaseCoreAsync(OutboxLeaseRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var now = request.Now;
        var excluded = request.ExcludedRuleIds.ToHashSet(StringComparer.Ordinal);
        lock (db.Lock)
        {
            var due = db.Outbox.Values
                .Where(m => m.Status == OutboxMessageStatus.Pending && m.NextAttemptAt <= now && !IsLeased(m, now) && !excluded.Contains(m.RuleId))
                .OrderBy(m => m.NextAttemptAt)
                .ThenBy(m => m.Id, StringComparer.Ordinal)
                .Take(request.MaxCount)
                .ToList();
            for (var i = 0; i < due.Count; i++)
            {
                var leased = due[i] with { LeaseId = request.LeaseId, LeaseExpiresAt = now + request.Duration };
                db.Outbox[leased.Id] = leased;
                due[i] = leased;
            }

            return new(due.AsReadOnly());
        }
    }

    protected override ValueTask<int> CompleteCoreAsync(IReadOnlyList<OutboxCompletion> completions, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var applied = 0;
        lock (db.Lock)
        {
            foreach (var completion in completions)
            {
                var attempt = completion.Attempt;
                if (!db.Outbox.TryGetValue(attempt.MessageId, out var message)
                    || message.Status != OutboxMessageStatus.Pending
                    || !string.Equals(message.LeaseId, completion.LeaseId, StringComparison.Ordinal))
                {
                    continue;
                }

                var finished = completion.Status != OutboxMessageStatus.Pending;
                db.Outbox[message.Id] = message with
                {
                    Status = completion.Status,
                    AttemptCount = attempt.Number,
                    LastErrorCode = attempt.ErrorCode,
                    LastError = attempt.Reason,
                    NextAttemptAt = finished ? message.NextAttemptAt : completion.NextAttemptAt!.Value,
                    CompletedAt = finished ? completion.CompletedAt : null,
                    LeaseId = null,
                    LeaseExpiresAt = null,
                };
                if (!db.Attempts.TryGetValue(message.Id, out var attempts))
                {
                    db.Attempts[message.Id] = attempts = [];
                }

                attempts.Add(attempt);
                applied++;
            }
        }

        return new(applied);
    }

    protected override ValueTask<int> ExtendLeaseCoreAsync(string leaseId, IReadOnlyCollection<string> messageIds, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new(UpdateHeld(leaseId, messageIds, m => m with { LeaseExpiresAt = expiresAt }));
    }

    protected override ValueTask<int> ReleaseLeaseCoreAsync(string leaseId, IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new(UpdateHeld(leaseId, messageIds, m => m with { LeaseId = null, LeaseExpiresAt = null }));
    }

    protected override ValueTask<OutboxMessage?> GetCoreAsync(string messageId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (db.Lock)
        {
            return new(db.Outbox.GetValueOrDefault(messageId));
        }
    }

    protected override ValueTask<IReadOnlyList<OutboxAttempt>> ListAttemptsCoreAsync(string messageId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (db.Lock)
        {
            IReadOnlyList<OutboxAttempt> attempts = db.Attempts.TryGetValue(messageId, out var list)
                ? [.. list.OrderBy(a => a.Number)]
                : [];
            return new(attempts);
        }
    }

    protected override ValueTask<IReadOnlyList<OutboxMessage>> ListCoreAsync(OutboxQuery query, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (db.Lock)
        {
            IEnumerable<OutboxMessage> newestFirst = db.Outbox.Values
                .OrderByDescending(m => m.CreatedAt)
                .ThenByDescending(m => m.Id, StringComparer.Ordinal);
            if (query.BeforeId is { } beforeId)
            {
                if (!db.Outbox.ContainsKey(beforeId))
                {
                    return new([]);
                }

                newestFirst = newestFirst.SkipWhile(m => !string.Equals(m.Id, beforeId, StringComparison.Ordinal)).Skip(1);
            }

            IReadOnlyList<OutboxMessage> page = [.. newestFirst
                .Where(m => (query.Status is not { } status || m.Status == status)
                    && (query.ConversionId is null || string.Equals(m.ConversionId, query.ConversionId, StringComparison.Ordinal))
                    && (query.RuleId is null || string.Equals(m.RuleId, query.RuleId, StringComparison.Ordinal)))
                .Take(query.Limit)];
            return new(page);
        }
    }

    protected override ValueTask<OutboxMessage?> RescheduleCoreAsync(string messageId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (db.Lock)
        {
            if (!db.Outbox.TryGetValue(messageId, out var message))
            {
                return new((OutboxMessage?)null);
            }

            var rescheduled = message.Status switch
            {
                OutboxMessageStatus.DeadLettered => message with
                {
                    Status = OutboxMessageStatus.Pending,
                    NextAttemptAt = now,
                    RetryFrom = now,
                    CompletedAt = null,
                    LeaseId = null,
                    LeaseExpiresAt = null,
                },
                OutboxMessageStatus.Pending when !IsLeased(message, now) => message with { NextAttemptAt = now },
                _ => message,
            };
            db.Outbox[messageId] = rescheduled;
            return new(rescheduled);
        }
    }

    private static bool IsLeased(OutboxMessage message, DateTimeOffset now) =>
        message.LeaseId is not null && message.LeaseExpiresAt > now;

    // Applies a change to each listed message that is pending and holds the lease; returns how many it applied to.
    private int UpdateHeld(string leaseId, IReadOnlyCollection<string> messageIds, Func<OutboxMessage, OutboxMessage> change)
    {
        var updated = 0;
        lock (db.Lock)
        {
            foreach (var id in messageIds.Distinct(StringComparer.Ordinal))
            {
                if (db.Outbox.TryGetValue(id, out var message)
                    && message.Status == OutboxMessageStatus.Pending
                    && string.Equals(message.LeaseId, leaseId, StringComparison.Ordinal))
                {
                    db.Outbox[id] = change(message);
                    updated++;
                }
            }
        }

        return updated;
    }
}
