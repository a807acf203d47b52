using System.Text.Json;
using Chatterfy.Postbacks.Campaigns;
using Chatterfy.Postbacks.Forwarding;

namespace Chatterfy.Postbacks.Storage;

// Forwarding rules, campaigns and the outbox, under the same lock as everything else.
public sealed partial class InMemoryPostbackStore
{
    private const int MaxOutboxLease = 10_000;

    private readonly Dictionary<string, ForwardingRule> _rules = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Campaign> _campaigns = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OutboxMessage> _outbox = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<OutboxAttempt>> _attempts = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public override ValueTask AddForwardingRuleAsync(ForwardingRule rule, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rule);
        cancellationToken.ThrowIfCancellationRequested();
        var copy = rule with { Settings = rule.Settings.Clone() };
        lock (_lock)
        {
            if (!_rules.TryAdd(copy.Id, copy))
            {
                throw new InvalidOperationException($"A forwarding rule with id '{copy.Id}' exists.");
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public override ValueTask<ForwardingRule?> GetForwardingRuleAsync(string ruleId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ruleId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return new(_rules.GetValueOrDefault(ruleId));
        }
    }

    /// <inheritdoc />
    public override ValueTask<IReadOnlyList<ForwardingRule>> ListForwardingRulesAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        List<ForwardingRule> rules;
        lock (_lock)
        {
            rules = [.. _rules.Values];
        }

        rules.Sort(static (a, b) =>
        {
            var byTime = a.CreatedAt.CompareTo(b.CreatedAt);
            return byTime != 0 ? byTime : string.CompareOrdinal(a.Id, b.Id);
        });
        return new(rules.AsReadOnly());
    }

    /// <inheritdoc />
    public override ValueTask<bool> UpdateForwardingRuleSettingsAsync(string ruleId, JsonElement settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ruleId);
        cancellationToken.ThrowIfCancellationRequested();
        var copy = settings.Clone();
        lock (_lock)
        {
            if (!_rules.TryGetValue(ruleId, out var rule))
            {
                return new(false);
            }

            _rules[ruleId] = rule with { Settings = copy };
            return new(true);
        }
    }

    /// <inheritdoc />
    public override ValueTask<bool> DeleteForwardingRuleAsync(string ruleId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ruleId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return new(_rules.Remove(ruleId));
        }
    }

    /// <inheritdoc />
    public override ValueTask AddCampaignAsync(Campaign campaign, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (!_campaigns.TryAdd(campaign.Id, campaign))
            {
                throw new InvalidOperationException($"A campaign with id '{campaign.Id}' exists.");
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public override ValueTask<Campaign?> GetCampaignAsync(string campaignId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(campaignId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return new(_campaigns.GetValueOrDefault(campaignId));
        }
    }

    /// <inheritdoc />
    public override ValueTask<IReadOnlyList<Campaign>> ListCampaignsAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        List<Campaign> campaigns;
        lock (_lock)
        {
            campaigns = [.. _campaigns.Values];
        }

        campaigns.Sort(static (a, b) => string.CompareOrdinal(a.Id, b.Id));
        return new(campaigns.AsReadOnly());
    }

    /// <inheritdoc />
    public override ValueTask<Campaign?> UpdateCampaignAsync(Campaign campaign, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (!_campaigns.TryGetValue(campaign.Id, out var stored))
            {
                return new((Campaign?)null);
            }

            var updated = stored with { Name = campaign.Name, DestinationTemplate = campaign.DestinationTemplate };
            _campaigns[campaign.Id] = updated;
            return new(updated);
        }
    }

    /// <inheritdoc />
    public override ValueTask<bool> DeleteCampaignAsync(string campaignId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(campaignId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return new(_campaigns.Remove(campaignId));
        }
    }

    /// <inheritdoc />
    public override ValueTask<IReadOnlyList<OutboxMessage>> LeaseOutboxMessagesAsync(OutboxLeaseRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.LeaseId, nameof(request));
        ArgumentOutOfRangeException.ThrowIfLessThan(request.MaxCount, 1, nameof(request));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(request.MaxCount, MaxOutboxLease, nameof(request));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(request.Duration, TimeSpan.Zero, nameof(request));
        ArgumentNullException.ThrowIfNull(request.ExcludedRuleIds, nameof(request));
        cancellationToken.ThrowIfCancellationRequested();
        var now = request.Now;
        var excluded = request.ExcludedRuleIds.ToHashSet(StringComparer.Ordinal);
        lock (_lock)
        {
            var due = _outbox.Values
                .Where(m => m.Status == OutboxMessageStatus.Pending && m.NextAttemptAt <= now && !IsLeased(m, now) && !excluded.Contains(m.RuleId))
                .OrderBy(m => m.NextAttemptAt)
                .ThenBy(m => m.Id, StringComparer.Ordinal)
                .Take(request.MaxCount)
                .ToList();
            for (var i = 0; i < due.Count; i++)
            {
                var leased = due[i] with { LeaseId = request.LeaseId, LeaseExpiresAt = now + request.Duration };
                _outbox[leased.Id] = leased;
                due[i] = leased;
            }

            return new(due.AsReadOnly());
        }
    }

    /// <inheritdoc />
    public override ValueTask<int> CompleteOutboxAttemptsAsync(IReadOnlyList<OutboxCompletion> completions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(completions);
        ValidateCompletions(completions);
        cancellationToken.ThrowIfCancellationRequested();
        var applied = 0;
        lock (_lock)
        {
            foreach (var completion in completions)
            {
                var attempt = completion.Attempt;
                if (!_outbox.TryGetValue(attempt.MessageId, out var message)
                    || message.Status != OutboxMessageStatus.Pending
                    || !string.Equals(message.LeaseId, completion.LeaseId, StringComparison.Ordinal))
                {
                    continue;
                }

                var finished = completion.Status != OutboxMessageStatus.Pending;
                _outbox[message.Id] = message with
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
                if (!_attempts.TryGetValue(message.Id, out var attempts))
                {
                    _attempts[message.Id] = attempts = [];
                }

                attempts.Add(attempt);
                applied++;
            }
        }

        return new(applied);
    }

    /// <inheritdoc />
    public override ValueTask<int> ExtendOutboxLeaseAsync(string leaseId, IReadOnlyCollection<string> messageIds, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        ValidateLeaseMessages(leaseId, messageIds);
        cancellationToken.ThrowIfCancellationRequested();
        return new(UpdateHeld(leaseId, messageIds, m => m with { LeaseExpiresAt = expiresAt }));
    }

    /// <inheritdoc />
    public override ValueTask<int> ReleaseOutboxLeaseAsync(string leaseId, IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken)
    {
        ValidateLeaseMessages(leaseId, messageIds);
        cancellationToken.ThrowIfCancellationRequested();
        return new(UpdateHeld(leaseId, messageIds, m => m with { LeaseId = null, LeaseExpiresAt = null }));
    }

    /// <inheritdoc />
    public override ValueTask<OutboxMessage?> GetOutboxMessageAsync(string messageId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return new(_outbox.GetValueOrDefault(messageId));
        }
    }

    /// <inheritdoc />
    public override ValueTask<IReadOnlyList<OutboxAttempt>> ListOutboxAttemptsAsync(string messageId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            IReadOnlyList<OutboxAttempt> attempts = _attempts.TryGetValue(messageId, out var list)
                ? [.. list.OrderBy(a => a.Number)]
                : [];
            return new(attempts);
        }
    }

    /// <inheritdoc />
    public override ValueTask<IReadOnlyList<OutboxMessage>> ListOutboxMessagesAsync(OutboxQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Limit, MaxLogLimit, nameof(query));
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            IEnumerable<OutboxMessage> newestFirst = _outbox.Values
                .OrderByDescending(m => m.CreatedAt)
                .ThenByDescending(m => m.Id, StringComparer.Ordinal);
            if (query.BeforeId is { } beforeId)
            {
                if (!_outbox.ContainsKey(beforeId))
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

    /// <inheritdoc />
    public override ValueTask<OutboxMessage?> RetryOutboxMessageAsync(string messageId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (!_outbox.TryGetValue(messageId, out var message))
            {
                return new((OutboxMessage?)null);
            }

            var retried = message.Status switch
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
            _outbox[messageId] = retried;
            return new(retried);
        }
    }

    // Applies a change to each listed message that is pending and holds the lease; returns how many it applied to.
    private int UpdateHeld(string leaseId, IReadOnlyCollection<string> messageIds, Func<OutboxMessage, OutboxMessage> change)
    {
        var updated = 0;
        lock (_lock)
        {
            foreach (var id in messageIds.Distinct(StringComparer.Ordinal))
            {
                if (_outbox.TryGetValue(id, out var message)
                    && message.Status == OutboxMessageStatus.Pending
                    && string.Equals(message.LeaseId, leaseId, StringComparison.Ordinal))
                {
                    _outbox[id] = change(message);
                    updated++;
                }
            }
        }

        return updated;
    }

    private static bool IsLeased(OutboxMessage message, DateTimeOffset now) =>
        message.LeaseId is not null && message.LeaseExpiresAt > now;

    private void ThrowIfOutboxMessageExists(OutboxMessage[] messages)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var message in messages)
        {
            if (_outbox.ContainsKey(message.Id) || !ids.Add(message.Id))
            {
                throw new InvalidOperationException($"An outbox message with id '{message.Id}' exists.");
            }
        }
    }

    private void AddOutboxMessages(OutboxMessage[] messages)
    {
        foreach (var message in messages)
        {
            _outbox.Add(message.Id, message);
        }
    }
}
