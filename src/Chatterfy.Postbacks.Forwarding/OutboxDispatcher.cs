using System.Diagnostics.Metrics;
using System.Globalization;
using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Chatterfy.Postbacks.Forwarding;

/// <summary>
/// Delivers the outbox: leases due messages, sends them to their destinations in batches, and records one attempt per
/// message. Delivery is at least once: a message whose outcome could not be recorded (a crash, a lost lease) is sent
/// again, and destinations de-duplicate by the conversion id (Meta's <c>event_id</c>).
/// </summary>
/// <remarks>
/// The SDK runs a hosted dispatcher (see <see cref="OutboxDispatcherOptions"/>) that keeps leasing while calls are in
/// flight, one call at a time per destination group, so a slow destination never holds back the others. Hosts that drive
/// dispatch themselves (a scheduled job, tests) turn it off with <see cref="OutboxDispatcherOptions.Enabled"/> and call
/// <see cref="DispatchOnceAsync"/>. Any number of dispatchers, in one process or many sharing a database, may run at once:
/// a message is leased by one at a time, its lease is renewed while it is held, and given back when a dispatcher stops.
/// Get it from the service provider after <c>AddForwarding()</c>.
/// </remarks>
public sealed partial class OutboxDispatcher
{
    /// <summary>The name of the forwarding <see cref="Meter"/>, created through <see cref="IMeterFactory"/>.</summary>
    public const string MeterName = "Chatterfy.Postbacks.Forwarding";

    /// <summary>The counter of recorded attempts, tagged <c>destination</c> and <c>status</c> (<c>delivered</c>, <c>retry</c>, <c>dead_letter</c>).</summary>
    public const string AttemptsCounterName = "chatterfy.postbacks.forwarding.attempts";

    /// <summary>The histogram of the duration of one call to a destination with a batch, in seconds, tagged <c>destination</c>.</summary>
    public const string DurationHistogramName = "chatterfy.postbacks.forwarding.duration";

    private static readonly Lazy<Meter> FallbackMeter = new(() => new Meter(MeterName));

    private readonly OutboxStore _store;
    private readonly IngestStore _conversions;
    private readonly ClickStore _clicks;
    private readonly ForwardingRuleCache _rules;
    private readonly IForwardingDestinationRegistry _destinations;
    private readonly RetrySchedule _schedule;
    private readonly IOptionsMonitor<ForwardingOptions> _options;
    private readonly TimeProvider _timeProvider;
    private readonly OutboxSignal _signal;
    private readonly ILogger _logger;
    private readonly Counter<long> _attempts;
    private readonly Histogram<double> _duration;

    // Created by AddForwarding: it shares the rule cache that ForwardingRuleService invalidates.
    internal OutboxDispatcher(
        OutboxStore store,
        IngestStore conversions,
        ClickStore clicks,
        ForwardingRuleCache rules,
        IForwardingDestinationRegistry destinations,
        RetrySchedule schedule,
        IOptionsMonitor<ForwardingOptions> options,
        TimeProvider timeProvider,
        OutboxSignal signal,
        IMeterFactory? meterFactory,
        ILogger<OutboxDispatcher>? logger)
    {
        _store = store;
        _conversions = conversions;
        _clicks = clicks;
        _rules = rules;
        _destinations = destinations;
        _schedule = schedule;
        _options = options;
        _timeProvider = timeProvider;
        _signal = signal;
        _logger = logger ?? NullLogger<OutboxDispatcher>.Instance;
        var meter = meterFactory?.Create(new MeterOptions(MeterName)) ?? FallbackMeter.Value;
        _attempts = meter.CreateCounter<long>(AttemptsCounterName, unit: "{attempt}", description: "Outbox delivery attempts recorded, by destination and status.");
        _duration = meter.CreateHistogram(
            DurationHistogramName,
            unit: "s",
            description: "Time one call to a destination with a batch of messages took.",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] });
    }

    /// <summary>
    /// Makes one pass over the outbox: leases up to <see cref="OutboxDispatcherOptions.BatchSize"/> due messages, sends
    /// them, grouped by destination and batch key (at most <see cref="OutboxDispatcherOptions.MaxConcurrentSends"/> groups at
    /// a time, each group's batches one after another), records each message's attempt, and returns when every send of the
    /// pass has ended. The pass renews its lease while it runs.
    /// </summary>
    /// <remarks>
    /// A pass waits for its slowest destination; the hosted dispatcher does not (it keeps leasing while calls are in flight).
    /// Call this from a host that drives dispatch itself, with the hosted dispatcher off.
    /// </remarks>
    /// <param name="cancellationToken">
    /// Stops the pass. Batches already sent are recorded; a batch being sent is not, and every message the pass still holds
    /// is released at once, so the next pass of any dispatcher sends it again.
    /// </param>
    /// <returns>How many messages were completed: delivered, dead-lettered or rescheduled for a retry.</returns>
    /// <exception cref="PostbackStoreUnavailableException">The store cannot lease messages now.</exception>
    public async Task<int> DispatchOnceAsync(CancellationToken cancellationToken = default)
    {
        var settings = _options.CurrentValue.Dispatcher;
        var leaseId = NewLeaseId();
        var leased = await LeaseAsync(leaseId, settings.BatchSize, [], cancellationToken).ConfigureAwait(false);
        if (leased.Count == 0)
        {
            return 0;
        }

        var lease = StartLease(leaseId);
        try
        {
            var (sendable, completed) = await SortAsync(leased, leaseId, cancellationToken).ConfigureAwait(false);
            if (sendable.Count > 0)
            {
                var groups = sendable.GroupBy(s => s.Key).Select(g => (g.Key, g.First().Profile, Messages: g.Select(s => s.Message).ToList())).ToList();
                using var slots = new SemaphoreSlim(settings.MaxConcurrentSends, settings.MaxConcurrentSends);
                var sends = new Task<int>[groups.Count];
                for (var i = 0; i < sends.Length; i++)
                {
                    sends[i] = SendGroupAsync(groups[i].Key.DestinationId, groups[i].Profile, groups[i].Messages, lease, slots, cancellationToken);
                }

                foreach (var sent in await Task.WhenAll(sends).ConfigureAwait(false))
                {
                    completed += sent;
                }
            }

            return completed;
        }
        finally
        {
            // Whatever the pass did not complete (it was stopped, or a store call failed) is given back for the next pass.
            await lease.DisposeAsync().ConfigureAwait(false);
            await ReleaseAsync(leaseId).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Leases due messages under <paramref name="leaseId"/>, leaving out the rules in <paramref name="excludedRuleIds"/>,
    /// and holds them (for renewal, release and retry). A message this process holds already is not returned again.
    /// </summary>
    internal async Task<IReadOnlyList<OutboxMessage>> LeaseAsync(string leaseId, int maxCount, IReadOnlyCollection<string> excludedRuleIds, CancellationToken cancellationToken)
    {
        var leased = await _store.LeaseAsync(
            new OutboxLeaseRequest
            {
                LeaseId = leaseId,
                Now = _timeProvider.GetUtcNow(),
                Duration = _options.CurrentValue.Dispatcher.LeaseDuration,
                MaxCount = maxCount,
                ExcludedRuleIds = excludedRuleIds,
            },
            cancellationToken).ConfigureAwait(false);
        return Hold(leased, leaseId);
    }

    /// <summary>
    /// Sorts leased messages by destination group (destination and batch key) through their rules, and dead-letters at once
    /// those that cannot be sent (rule deleted, destination missing or refusing the rule's settings).
    /// </summary>
    /// <returns>The sendable messages with their group and profile, and how many messages were dead-lettered.</returns>
    internal async Task<(List<Sendable> Sendable, int Completed)> SortAsync(IReadOnlyList<OutboxMessage> leased, string leaseId, CancellationToken cancellationToken)
    {
        var snapshot = await _rules.GetAsync().ConfigureAwait(false);
        var reloaded = false;
        var sendable = new List<Sendable>(leased.Count);
        var unsendable = new List<Unsendable>();
        foreach (var message in leased)
        {
            if (!snapshot.ById.TryGetValue(message.RuleId, out var rule) && !reloaded)
            {
                // A rule created on another instance may be newer than this copy of the rules: read them again, once a lease.
                _rules.Invalidate();
                snapshot = await _rules.GetAsync().ConfigureAwait(false);
                reloaded = true;
                snapshot.ById.TryGetValue(message.RuleId, out rule);
            }

            if (rule is null)
            {
                unsendable.Add(new(message, DeliveryErrorCodes.RuleDeleted, $"The forwarding rule '{message.RuleId}' was deleted; the message was not sent."));
                continue;
            }

            if (rule.Profile is not { } profile)
            {
                unsendable.Add(_destinations.TryGetDestination(rule.Rule.DestinationId, out _)
                    ? new(message, DeliveryErrorCodes.SettingsInvalid, $"The destination '{rule.Rule.DestinationId}' refuses the settings of rule '{rule.Rule.Id}'; fix or re-create the rule, then replay the message.")
                    : new(message, DeliveryErrorCodes.DestinationUnknown, $"The destination '{rule.Rule.DestinationId}' of rule '{rule.Rule.Id}' is not registered in this host; register it, then replay the message."));
                continue;
            }

            sendable.Add(new Sendable(message, new GroupKey(rule.Rule.DestinationId, profile.BatchKey), profile));
        }

        var completed = await DeadLetterAsync(unsendable, leaseId, cancellationToken).ConfigureAwait(false);
        return (sendable, completed);
    }

    /// <summary>The rules whose messages belong to one of <paramref name="groups"/>, by the current rules.</summary>
    internal async Task<IReadOnlyCollection<string>> RulesOfAsync(IReadOnlyCollection<GroupKey> groups)
    {
        if (groups.Count == 0)
        {
            return [];
        }

        var snapshot = await _rules.GetAsync().ConfigureAwait(false);
        return [.. snapshot.ById.Values
            .Where(r => r.Profile is { } profile && groups.Contains(new GroupKey(r.Rule.DestinationId, profile.BatchKey)))
            .Select(r => r.Rule.Id)];
    }

    /// <summary>
    /// Sends one batch of a group's messages (at most the profile's <see cref="DestinationProfile.MaxBatchSize"/>) in one
    /// call and records their attempts. Messages whose lease has lapsed (it could not be renewed) are not sent: another
    /// dispatcher may hold them now. Messages whose conversion is gone are dead-lettered without a call.
    /// </summary>
    /// <returns>How many messages were completed.</returns>
    internal async Task<int> SendBatchAsync(string destinationId, DestinationProfile profile, List<OutboxMessage> messages, HeldLease lease, CancellationToken cancellationToken)
    {
        var now = _timeProvider.GetUtcNow();
        var lapsed = messages.FindAll(m => !lease.Covers(m, now));
        if (lapsed.Count > 0)
        {
            LogLeaseLapsed(_logger, lapsed.Count, destinationId);
            Drop(lapsed);
            messages = messages.FindAll(m => lease.Covers(m, now));
        }

        var group = new Group(destinationId, profile);
        var missing = new List<Unsendable>();
        var clicks = new Dictionary<string, Click?>(StringComparer.Ordinal);
        foreach (var message in messages)
        {
            var conversion = await _conversions.GetConversionAsync(message.ConversionId, cancellationToken).ConfigureAwait(false);
            if (conversion is null)
            {
                missing.Add(new(message, DeliveryErrorCodes.ConversionMissing, $"The conversion '{message.ConversionId}' is not in the store; the message was not sent."));
                continue;
            }

            // A message written by a status change forwards that change, whatever the conversion became since.
            ConversionStatusChange? change = null;
            if (message.HistoryEntryId is { } entryId)
            {
                change = FindChange(conversion, entryId);
                if (change is null)
                {
                    missing.Add(new(message, DeliveryErrorCodes.ConversionMissing, $"The status change '{entryId}' of the conversion '{message.ConversionId}' is not in the store; the message was not sent."));
                    continue;
                }
            }

            var clickId = conversion.Conversion.ClickId;
            if (!clicks.TryGetValue(clickId, out var click))
            {
                click = await _clicks.FindAsync(clickId, cancellationToken).ConfigureAwait(false);
                clicks[clickId] = click;
            }

            group.Messages.Add(message);
            group.Batch.Add(new ForwardedConversion
            {
                MessageId = message.Id,
                Conversion = conversion,
                Click = click,
                Attempt = message.AttemptCount + 1,
                Change = change,
            });
        }

        var completed = await DeadLetterAsync(missing, lease.Id, cancellationToken).ConfigureAwait(false);
        if (group.Messages.Count > 0)
        {
            completed += await SendChunkAsync(group, 0, group.Messages.Count, lease.Id, cancellationToken).ConfigureAwait(false);
        }

        return completed;
    }

    private static ConversionStatusChange? FindChange(ConversionRecord conversion, string entryId)
    {
        foreach (var change in conversion.History)
        {
            if (string.Equals(change.Id, entryId, StringComparison.Ordinal))
            {
                return change;
            }
        }

        return null;
    }

    private async Task<int> SendGroupAsync(string destinationId, DestinationProfile profile, List<OutboxMessage> messages, HeldLease lease, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var completed = 0;
            foreach (var batch in messages.Chunk(Math.Max(1, profile.MaxBatchSize)))
            {
                completed += await SendBatchAsync(destinationId, profile, [.. batch], lease, cancellationToken).ConfigureAwait(false);
            }

            return completed;
        }
        finally
        {
            slots.Release();
        }
    }

    private async Task<int> DeadLetterAsync(List<Unsendable> unsendable, string leaseId, CancellationToken cancellationToken)
    {
        if (unsendable.Count == 0)
        {
            return 0;
        }

        var completedAt = _timeProvider.GetUtcNow();
        var completions = unsendable.ConvertAll(u => DeadLetter(u.Message, leaseId, completedAt, u.ErrorCode, u.Reason));
        return await CompleteAsync(completions, unsendable.ConvertAll(u => u.Message), cancellationToken).ConfigureAwait(false);
    }

    private async Task<int> SendChunkAsync(Group group, int start, int count, string leaseId, CancellationToken cancellationToken)
    {
        var messages = group.Messages.GetRange(start, count);
        var batch = group.Batch.GetRange(start, count);
        var startedAt = _timeProvider.GetUtcNow();
        var started = _timeProvider.GetTimestamp();
        IReadOnlyList<DeliveryOutcome> outcomes;
        try
        {
            var client = _destinations.CreateHttpClient(group.DestinationId);
            outcomes = await group.Profile.SendAsync(batch, client, cancellationToken).ConfigureAwait(false);
            if (outcomes is null || outcomes.Count != count)
            {
                throw new InvalidOperationException(
                    $"The profile of destination '{group.DestinationId}' returned {outcomes?.Count ?? 0} outcomes for {count} messages; it must return one per message.");
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: record nothing. The lease is given back and the next lease of any dispatcher sends them again.
            throw;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // A destination's bug must not stop the dispatcher or lose the messages: retry them on the schedule.
            LogDestinationThrew(_logger, exception, group.DestinationId, count);
            var failure = DeliveryOutcome.Retry(
                DeliveryErrorCodes.DestinationException,
                $"The destination '{group.DestinationId}' threw {exception.GetType().Name}: {exception.Message}") with
            {
                Duration = _timeProvider.GetElapsedTime(started),
            };
            outcomes = [.. Enumerable.Repeat(failure, count)];
        }

        var elapsed = _timeProvider.GetElapsedTime(started);
        _duration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("destination", group.DestinationId));
        var now = _timeProvider.GetUtcNow();
        var completions = new List<OutboxCompletion>(count);
        for (var i = 0; i < count; i++)
        {
            // What a destination answered may echo the rule's secrets: masked here, before anything is stored or logged.
            completions.Add(group.Profile.Secrets.Scrub(Complete(messages[i], leaseId, startedAt, now, outcomes[i])));
        }

        return await CompleteAsync(completions, messages, cancellationToken).ConfigureAwait(false);
    }

    private OutboxCompletion Complete(OutboxMessage message, string leaseId, DateTimeOffset startedAt, DateTimeOffset now, DeliveryOutcome outcome)
    {
        var attempt = new OutboxAttempt
        {
            MessageId = message.Id,
            Number = message.AttemptCount + 1,
            StartedAt = startedAt,
            Duration = outcome.Duration,
            Status = outcome.Status,
            HttpStatusCode = outcome.HttpStatusCode,
            ErrorCode = outcome.ErrorCode,
            Reason = outcome.Reason,
            ResponseExcerpt = outcome.ResponseExcerpt,
            DestinationError = outcome.DestinationError,
        };
        switch (outcome.Status)
        {
            case DeliveryStatus.Delivered:
                return new OutboxCompletion { LeaseId = leaseId, Attempt = attempt, Status = OutboxMessageStatus.Delivered, CompletedAt = now };
            case DeliveryStatus.Retry:
                if (_schedule.NextAttemptAt(message.RetryFrom, attempt.Number, now, outcome.RetryAfter) is { } next)
                {
                    return new OutboxCompletion { LeaseId = leaseId, Attempt = attempt, Status = OutboxMessageStatus.Pending, NextAttemptAt = next, CompletedAt = now };
                }

                var horizon = _options.CurrentValue.Retry.Horizon;
                var reason = string.Create(
                    CultureInfo.InvariantCulture,
                    $"The retry horizon of {horizon} from {message.RetryFrom:O} has passed; the last attempt failed with {outcome.ErrorCode}: {outcome.Reason}");
                return new OutboxCompletion
                {
                    LeaseId = leaseId,
                    Attempt = attempt with { Status = DeliveryStatus.DeadLetter, ErrorCode = DeliveryErrorCodes.RetryHorizonPassed, Reason = reason },
                    Status = OutboxMessageStatus.DeadLettered,
                    CompletedAt = now,
                };
            default:
                return new OutboxCompletion { LeaseId = leaseId, Attempt = attempt, Status = OutboxMessageStatus.DeadLettered, CompletedAt = now };
        }
    }

    private static OutboxCompletion DeadLetter(OutboxMessage message, string leaseId, DateTimeOffset now, string errorCode, string reason) => new()
    {
        LeaseId = leaseId,
        Status = OutboxMessageStatus.DeadLettered,
        CompletedAt = now,
        Attempt = new OutboxAttempt
        {
            MessageId = message.Id,
            Number = message.AttemptCount + 1,
            StartedAt = now,
            Status = DeliveryStatus.DeadLetter,
            ErrorCode = errorCode,
            Reason = reason,
        },
    };

    private async Task<int> CompleteAsync(List<OutboxCompletion> completions, List<OutboxMessage> messages, CancellationToken cancellationToken)
    {
        int applied;
        try
        {
            // Not the caller's token: what was sent must be recorded even when the host is stopping, or it is sent twice.
            applied = await _store.CompleteAsync(completions, CancellationToken.None).ConfigureAwait(false);
        }
        catch (PostbackStoreUnavailableException exception)
        {
            LogCompletionFailed(_logger, exception, completions.Count, messages[0].DestinationId);
            return 0;
        }
        finally
        {
            // Recorded, skipped (the lease was lost) or not recorded: either way this dispatcher no longer holds them, and an
            // unrecorded one is sent again once its lease, no longer renewed, ends.
            Drop(messages);
        }

        Report(completions, messages);
        if (applied < completions.Count)
        {
            LogLeaseLost(_logger, completions.Count - applied, messages[0].DestinationId);
        }

        cancellationToken.ThrowIfCancellationRequested();
        return applied;
    }

    private void Report(List<OutboxCompletion> completions, List<OutboxMessage> messages)
    {
        // One log line per kind of result in the call, not per message: an outage must not flood the logs.
        var lines = new Dictionary<(OutboxMessageStatus, string?, string?, string?), (int Count, int First)>();
        for (var i = 0; i < completions.Count; i++)
        {
            var completion = completions[i];
            var attempt = completion.Attempt;
            var status = StoredWords.Of(attempt.Status);
            _attempts.Add(1, new KeyValuePair<string, object?>("destination", messages[i].DestinationId), new KeyValuePair<string, object?>("status", status));
            var key = (completion.Status, attempt.ErrorCode, attempt.DestinationError?.Code, attempt.DestinationError?.Subcode);
            lines[key] = lines.TryGetValue(key, out var line) ? (line.Count + 1, line.First) : (1, i);
        }

        foreach (var ((status, _, _, _), (count, first)) in lines)
        {
            var completion = completions[first];
            var attempt = completion.Attempt;
            var message = messages[first];
            switch (status)
            {
                case OutboxMessageStatus.Delivered:
                    LogDelivered(_logger, count, message.DestinationId, attempt.Duration.TotalMilliseconds);
                    break;
                case OutboxMessageStatus.Pending:
                    LogWillRetry(_logger, count, message.DestinationId, attempt.ErrorCode, attempt.HttpStatusCode, completion.NextAttemptAt, message.Id);
                    break;
                default:
                    LogDeadLettered(
                        _logger,
                        count,
                        message.DestinationId,
                        attempt.ErrorCode,
                        attempt.DestinationError?.Code,
                        attempt.DestinationError?.Subcode,
                        attempt.DestinationError?.TraceId,
                        message.Id,
                        message.RuleId,
                        attempt.Reason);
                    break;
            }
        }
    }

    [LoggerMessage(EventId = 2201, Level = LogLevel.Debug, Message = "Delivered {Count} message(s) to {DestinationId} in {DurationMs} ms")]
    private static partial void LogDelivered(ILogger logger, int count, string destinationId, double durationMs);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Information, Message = "{Count} message(s) to {DestinationId} failed transiently ({ErrorCode}, HTTP {HttpStatus}); next attempt at {NextAttemptAt} (first message {MessageId})")]
    private static partial void LogWillRetry(ILogger logger, int count, string destinationId, string? errorCode, int? httpStatus, DateTimeOffset? nextAttemptAt, string messageId);

    [LoggerMessage(EventId = 2203, Level = LogLevel.Warning, Message = "{Count} message(s) to {DestinationId} dead-lettered: {ErrorCode} (destination code {Code}, subcode {Subcode}, trace {TraceId}); first message {MessageId} of rule {RuleId}: {Reason}")]
    private static partial void LogDeadLettered(ILogger logger, int count, string destinationId, string? errorCode, string? code, string? subcode, string? traceId, string messageId, string ruleId, string? reason);

    [LoggerMessage(EventId = 2204, Level = LogLevel.Error, Message = "Destination {DestinationId} threw while sending {Count} message(s); they will be retried")]
    private static partial void LogDestinationThrew(ILogger logger, Exception exception, string destinationId, int count);

    [LoggerMessage(EventId = 2205, Level = LogLevel.Warning, Message = "The outcomes of {Count} message(s) to {DestinationId} could not be recorded: the store is unavailable. They will be sent again when their lease ends")]
    private static partial void LogCompletionFailed(ILogger logger, Exception exception, int count, string destinationId);

    [LoggerMessage(EventId = 2206, Level = LogLevel.Warning, Message = "{Count} message(s) to {DestinationId} had lost their lease before their outcome was recorded (the pass outlived the lease); another pass owns them")]
    private static partial void LogLeaseLost(ILogger logger, int count, string destinationId);

    [LoggerMessage(EventId = 2207, Level = LogLevel.Warning, Message = "{Count} leased message(s) to {DestinationId} were not sent: their lease could not be renewed and has ended, so another dispatcher may hold them. Whichever dispatcher leases them next sends them")]
    private static partial void LogLeaseLapsed(ILogger logger, int count, string destinationId);

    /// <summary>The messages of one destination and batch key: they may share a call, and have one call in flight at a time.</summary>
    internal readonly record struct GroupKey(string DestinationId, string BatchKey);

    /// <summary>A leased message that can be sent, with its group and the profile to send it through.</summary>
    internal sealed record Sendable(OutboxMessage Message, GroupKey Key, DestinationProfile Profile);

    private sealed record Unsendable(OutboxMessage Message, string ErrorCode, string Reason);

    private sealed class Group(string destinationId, DestinationProfile profile)
    {
        public string DestinationId { get; } = destinationId;

        public DestinationProfile Profile { get; } = profile;

        public List<OutboxMessage> Messages { get; } = [];

        public List<ForwardedConversion> Batch { get; } = [];
    }
}
