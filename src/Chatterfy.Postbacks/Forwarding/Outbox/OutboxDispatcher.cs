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
/// The SDK runs a hosted dispatcher that calls this in a loop (see <see cref="OutboxDispatcherOptions"/>). Hosts that drive
/// dispatch themselves (a scheduled job, tests) turn it off with <see cref="OutboxDispatcherOptions.Enabled"/> and call
/// <see cref="DispatchOnceAsync"/>. Any number of dispatchers, in one process or many sharing a database, may run at once:
/// a message is leased by one at a time. Get it from the service provider after <c>AddForwarding()</c>.
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

    private readonly PostbackStore _store;
    private readonly ForwardingRuleCache _rules;
    private readonly IForwardingDestinationRegistry _destinations;
    private readonly RetrySchedule _schedule;
    private readonly IOptionsMonitor<ForwardingOptions> _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Counter<long> _attempts;
    private readonly Histogram<double> _duration;

    // Created by AddForwarding: it shares the rule cache that ForwardingRuleService invalidates.
    internal OutboxDispatcher(
        PostbackStore store,
        ForwardingRuleCache rules,
        IForwardingDestinationRegistry destinations,
        RetrySchedule schedule,
        IOptionsMonitor<ForwardingOptions> options,
        TimeProvider timeProvider,
        IMeterFactory? meterFactory,
        ILogger<OutboxDispatcher>? logger)
    {
        _store = store;
        _rules = rules;
        _destinations = destinations;
        _schedule = schedule;
        _options = options;
        _timeProvider = timeProvider;
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
    /// them, grouped by destination and batch key, and records each message's attempt.
    /// </summary>
    /// <param name="cancellationToken">
    /// Stops the pass. Batches already sent are recorded; a batch being sent is not, and its messages are sent again by a
    /// later pass once their lease ends (<see cref="OutboxDispatcherOptions.LeaseDuration"/>).
    /// </param>
    /// <returns>How many messages were completed: delivered, dead-lettered or rescheduled for a retry.</returns>
    /// <exception cref="PostbackStoreUnavailableException">The store cannot lease messages now.</exception>
    public async Task<int> DispatchOnceAsync(CancellationToken cancellationToken = default)
    {
        var pass = await RunPassAsync(cancellationToken).ConfigureAwait(false);
        return pass.Completed;
    }

    /// <summary>One pass, reporting how many messages were leased too (a full batch means more may be due).</summary>
    internal async Task<PassResult> RunPassAsync(CancellationToken cancellationToken)
    {
        var options = _options.CurrentValue;
        var settings = options.Dispatcher;
        var now = _timeProvider.GetUtcNow();
        var leaseId = Guid.NewGuid().ToString("N");
        var leased = await _store.LeaseOutboxMessagesAsync(
            new OutboxLeaseRequest { LeaseId = leaseId, Now = now, Duration = settings.LeaseDuration, MaxCount = settings.BatchSize },
            cancellationToken).ConfigureAwait(false);
        if (leased.Count == 0)
        {
            return new PassResult(0, 0);
        }

        var (groups, unsendable) = await PrepareAsync(leased, cancellationToken).ConfigureAwait(false);
        var completed = 0;
        if (unsendable.Count > 0)
        {
            var completedAt = _timeProvider.GetUtcNow();
            var completions = unsendable.ConvertAll(u => DeadLetter(u.Message, leaseId, completedAt, u.ErrorCode, u.Reason));
            completed += await CompleteAsync(completions, unsendable.ConvertAll(u => u.Message), cancellationToken).ConfigureAwait(false);
        }

        if (groups.Count > 0)
        {
            var leaseEnds = now + settings.LeaseDuration;
            using var slots = new SemaphoreSlim(settings.MaxConcurrentSends, settings.MaxConcurrentSends);
            var sends = new Task<int>[groups.Count];
            for (var i = 0; i < sends.Length; i++)
            {
                sends[i] = SendGroupAsync(groups[i], leaseId, leaseEnds, options.AttemptTimeout, slots, cancellationToken);
            }

            foreach (var sent in await Task.WhenAll(sends).ConfigureAwait(false))
            {
                completed += sent;
            }
        }

        return new PassResult(leased.Count, completed);
    }

    private async Task<(List<Group> Groups, List<Unsendable> Unsendable)> PrepareAsync(IReadOnlyList<OutboxMessage> leased, CancellationToken cancellationToken)
    {
        var snapshot = await _rules.GetAsync().ConfigureAwait(false);
        var reloaded = false;
        var groups = new Dictionary<(string DestinationId, string BatchKey), Group>();
        var unsendable = new List<Unsendable>();
        var clicks = new Dictionary<string, Click?>(StringComparer.Ordinal);
        foreach (var message in leased)
        {
            if (!snapshot.ById.TryGetValue(message.RuleId, out var rule) && !reloaded)
            {
                // A rule created on another instance may be newer than this copy of the rules: read them again, once a pass.
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

            var conversion = await _store.GetConversionAsync(message.ConversionId, cancellationToken).ConfigureAwait(false);
            if (conversion is null)
            {
                unsendable.Add(new(message, DeliveryErrorCodes.ConversionMissing, $"The conversion '{message.ConversionId}' is not in the store; the message was not sent."));
                continue;
            }

            var clickId = conversion.Conversion.ClickId;
            if (!clicks.TryGetValue(clickId, out var click))
            {
                click = await _store.FindClickAsync(clickId, cancellationToken).ConfigureAwait(false);
                clicks[clickId] = click;
            }

            var key = (rule.Rule.DestinationId, profile.BatchKey);
            if (!groups.TryGetValue(key, out var group))
            {
                groups[key] = group = new Group(rule.Rule.DestinationId, profile);
            }

            group.Messages.Add(message);
            group.Batch.Add(new ForwardedConversion
            {
                MessageId = message.Id,
                Conversion = conversion,
                Click = click,
                Attempt = message.AttemptCount + 1,
            });
        }

        return ([.. groups.Values], unsendable);
    }

    private async Task<int> SendGroupAsync(Group group, string leaseId, DateTimeOffset leaseEnds, TimeSpan attemptTimeout, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var completed = 0;
            var size = Math.Max(1, group.Profile.MaxBatchSize);
            for (var start = 0; start < group.Batch.Count; start += size)
            {
                var count = Math.Min(size, group.Batch.Count - start);
                if (_timeProvider.GetUtcNow() + attemptTimeout > leaseEnds)
                {
                    // The call could outlive the lease and race another dispatcher: leave the rest to a later pass.
                    LogLeaseRunningOut(_logger, group.Batch.Count - start, group.DestinationId);
                    break;
                }

                completed += await SendChunkAsync(group, start, count, leaseId, cancellationToken).ConfigureAwait(false);
            }

            return completed;
        }
        finally
        {
            slots.Release();
        }
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
            // Shutting down: record nothing. The lease ends and a later pass sends these messages again.
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
            applied = await _store.CompleteOutboxAttemptsAsync(completions, CancellationToken.None).ConfigureAwait(false);
        }
        catch (PostbackStoreUnavailableException exception)
        {
            LogCompletionFailed(_logger, exception, completions.Count, messages[0].DestinationId);
            return 0;
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
            var status = completion.Status switch
            {
                OutboxMessageStatus.Delivered => "delivered",
                OutboxMessageStatus.Pending => "retry",
                _ => "dead_letter",
            };
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

    [LoggerMessage(EventId = 4101, Level = LogLevel.Debug, Message = "Delivered {Count} message(s) to {DestinationId} in {DurationMs} ms")]
    private static partial void LogDelivered(ILogger logger, int count, string destinationId, double durationMs);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "{Count} message(s) to {DestinationId} failed transiently ({ErrorCode}, HTTP {HttpStatus}); next attempt at {NextAttemptAt} (first message {MessageId})")]
    private static partial void LogWillRetry(ILogger logger, int count, string destinationId, string? errorCode, int? httpStatus, DateTimeOffset? nextAttemptAt, string messageId);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "{Count} message(s) to {DestinationId} dead-lettered: {ErrorCode} (destination code {Code}, subcode {Subcode}, trace {TraceId}); first message {MessageId} of rule {RuleId}: {Reason}")]
    private static partial void LogDeadLettered(ILogger logger, int count, string destinationId, string? errorCode, string? code, string? subcode, string? traceId, string messageId, string ruleId, string? reason);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Error, Message = "Destination {DestinationId} threw while sending {Count} message(s); they will be retried")]
    private static partial void LogDestinationThrew(ILogger logger, Exception exception, string destinationId, int count);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Warning, Message = "The outcomes of {Count} message(s) to {DestinationId} could not be recorded: the store is unavailable. They will be sent again when their lease ends")]
    private static partial void LogCompletionFailed(ILogger logger, Exception exception, int count, string destinationId);

    [LoggerMessage(EventId = 4106, Level = LogLevel.Warning, Message = "{Count} message(s) to {DestinationId} had lost their lease before their outcome was recorded (the pass outlived the lease); another pass owns them")]
    private static partial void LogLeaseLost(ILogger logger, int count, string destinationId);

    [LoggerMessage(EventId = 4107, Level = LogLevel.Warning, Message = "{Count} leased message(s) to {DestinationId} were not sent: less than AttemptTimeout of the lease remains. They are sent after the lease ends; consider a longer Dispatcher:LeaseDuration or a smaller Dispatcher:BatchSize")]
    private static partial void LogLeaseRunningOut(ILogger logger, int count, string destinationId);

    /// <summary>How many messages a pass leased and how many it completed.</summary>
    internal readonly record struct PassResult(int Leased, int Completed);

    private sealed record Unsendable(OutboxMessage Message, string ErrorCode, string Reason);

    private sealed class Group(string destinationId, DestinationProfile profile)
    {
        public string DestinationId { get; } = destinationId;

        public DestinationProfile Profile { get; } = profile;

        public List<OutboxMessage> Messages { get; } = [];

        public List<ForwardedConversion> Batch { get; } = [];
    }
}
