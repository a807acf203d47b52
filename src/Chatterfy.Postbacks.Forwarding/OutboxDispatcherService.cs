using Chatterfy.Postbacks.Diagnostics;
using Chatterfy.Postbacks.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Chatterfy.Postbacks.Forwarding;

/// <summary>
/// The hosted dispatcher. Destinations are independent: each destination group (one destination and batch key) has at
/// most one call in flight, and while calls are in flight the dispatcher goes on leasing due messages of the other groups
/// (those of a busy group stay in the store) whenever fewer than <see cref="OutboxDispatcherOptions.MaxConcurrentSends"/>
/// calls are in flight. It waits for ingestion's signal, a call ending, or the poll interval, whichever comes first.
/// Everything it holds is leased under one lease id, renewed every third of the lease and given back when the host stops
/// (calls in flight are cancelled and record nothing). Never stops on a failure: a lease that fails is logged and tried
/// again after one poll interval. Does nothing when <see cref="OutboxDispatcherOptions.Enabled"/> is off.
/// </summary>
internal sealed partial class OutboxDispatcherService(
    OutboxDispatcher dispatcher,
    OutboxSignal signal,
    IOptionsMonitor<ForwardingOptions> options,
    TimeProvider timeProvider,
    ILogger<OutboxDispatcherService>? logger = null) : BackgroundService
{
    private readonly OutboxDispatcher _dispatcher = dispatcher;
    private readonly OutboxSignal _signal = signal;
    private readonly IOptionsMonitor<ForwardingOptions> _options = options;
    private readonly TimeProvider _timeProvider = timeProvider;
    private readonly ILogger _logger = logger ?? NullLogger<OutboxDispatcherService>.Instance;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.CurrentValue.Dispatcher.Enabled)
        {
            LogDisabled(_logger);
            return;
        }

        // Never run on the thread that starts the host.
        await Task.Yield();
        var run = new Run(this, OutboxDispatcher.NewLeaseId(), stoppingToken);
        await run.ExecuteAsync().ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 2211, Level = LogLevel.Information, Message = "The outbox dispatcher is disabled (Postbacks:Forwarding:Dispatcher:Enabled); outbox messages are sent only by DispatchOnceAsync")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(EventId = 2212, Level = LogLevel.Warning, Message = "The outbox dispatcher could not reach the store ({Failures} failed attempt(s) since the last report): {Reason}. It tries again every poll interval")]
    private static partial void LogStoreUnavailable(ILogger logger, long failures, string reason);

    [LoggerMessage(EventId = 2213, Level = LogLevel.Error, Message = "An outbox dispatch pass failed; the dispatcher will try again after the poll interval")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2214, Level = LogLevel.Warning, Message = "{Count} message(s) to {DestinationId} were not sent: the store could not be reached to read them. They are given back, or sent again when their lease ends")]
    private static partial void LogBatchStoreUnavailable(ILogger logger, Exception exception, int count, string destinationId);

    [LoggerMessage(EventId = 2215, Level = LogLevel.Error, Message = "Sending {Count} message(s) to {DestinationId} failed; they are given back, or sent again when their lease ends")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int count, string destinationId);

    [LoggerMessage(EventId = 2216, Level = LogLevel.Information, Message = "The outbox dispatcher reaches the store again after {Failures} failed attempt(s)")]
    private static partial void LogStoreBack(ILogger logger, long failures);

    /// <summary>One run of the hosted dispatcher, from start to stop: its lease, its groups and its calls in flight.</summary>
    private sealed class Run(OutboxDispatcherService service, string leaseId, CancellationToken stopping)
    {
        // Only the run's own loop touches the groups; calls in flight report back through the signal.
        private readonly Dictionary<OutboxDispatcher.GroupKey, Group> _groups = [];
        private readonly Queue<Group> _ready = new();
        private readonly List<Task> _calls = [];

        // The store is asked every poll interval: an outage is logged once per interval with a count, and its end once.
        private readonly LogThrottle _storeOutage = new(service._timeProvider);

        public async Task ExecuteAsync()
        {
            var lease = service._dispatcher.StartLease(leaseId);
            try
            {
                await LoopAsync(lease).ConfigureAwait(false);
            }
            finally
            {
                // Stopping: calls in flight observe the token and record nothing; then everything held is given back.
                await Task.WhenAll(_calls).ConfigureAwait(false);
                await lease.DisposeAsync().ConfigureAwait(false);
                await service._dispatcher.ReleaseAsync(leaseId).ConfigureAwait(false);
            }
        }

        private async Task LoopAsync(OutboxDispatcher.HeldLease lease)
        {
            var dispatcher = service._dispatcher;
            while (!stopping.IsCancellationRequested)
            {
                var settings = service._options.CurrentValue.Dispatcher;
                Reap();
                StartCalls(lease, settings.MaxConcurrentSends);
                var full = false;
                var failed = false;
                if (_calls.Count < settings.MaxConcurrentSends)
                {
                    try
                    {
                        // Every group this run has is busy: their messages stay in the store until their call ends.
                        var busy = await dispatcher.RulesOfAsync(_groups.Keys).ConfigureAwait(false);
                        var leased = await dispatcher.LeaseAsync(leaseId, settings.BatchSize, busy, stopping).ConfigureAwait(false);
                        if (_storeOutage.TryEnd(out var failures))
                        {
                            LogStoreBack(service._logger, failures);
                        }

                        if (leased.Count > 0)
                        {
                            await EnqueueAsync(leased).ConfigureAwait(false);
                            StartCalls(lease, settings.MaxConcurrentSends);
                            full = leased.Count >= settings.BatchSize;
                        }
                    }
                    catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                    {
                        return;
                    }
                    catch (PostbackStoreUnavailableException exception)
                    {
                        if (_storeOutage.ShouldLog(out var failures))
                        {
                            LogStoreUnavailable(service._logger, failures, exception.Message);
                        }

                        failed = true;
                    }
                    catch (Exception exception) when (exception is not OutOfMemoryException)
                    {
                        LogPassFailed(service._logger, exception);
                        failed = true;
                    }
                }

                if (full)
                {
                    // A full lease means more may be due.
                    continue;
                }

                try
                {
                    if (failed)
                    {
                        // Back off one interval: signals would only hammer a store that is down.
                        await Task.Delay(settings.PollInterval, service._timeProvider, stopping).ConfigureAwait(false);
                    }
                    else
                    {
                        await service._signal.WaitAsync(settings.PollInterval, service._timeProvider, stopping).ConfigureAwait(false);
                    }
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }

        // Sorts leased messages into their groups (dead-lettering those that cannot be sent); gives them back if that fails.
        private async Task EnqueueAsync(IReadOnlyList<OutboxMessage> leased)
        {
            List<OutboxDispatcher.Sendable> sendable;
            try
            {
                (sendable, _) = await service._dispatcher.SortAsync(leased, leaseId, stopping).ConfigureAwait(false);
            }
            catch
            {
                await service._dispatcher.ReleaseAsync(leaseId, leased).ConfigureAwait(false);
                throw;
            }

            foreach (var item in sendable)
            {
                if (!_groups.TryGetValue(item.Key, out var group))
                {
                    _groups[item.Key] = group = new Group(item.Key, item.Profile);
                }

                group.Queue.Enqueue(item.Message);
                MarkReady(group);
            }
        }

        // Starts the next batch of the groups waiting for a call, in turn, while calls are allowed.
        private void StartCalls(OutboxDispatcher.HeldLease lease, int maxCalls)
        {
            while (_calls.Count < maxCalls && _ready.TryDequeue(out var group))
            {
                group.Ready = false;
                var batch = new List<OutboxMessage>();
                var size = Math.Max(1, group.Profile.MaxBatchSize);
                while (batch.Count < size && group.Queue.TryDequeue(out var message))
                {
                    batch.Add(message);
                }

                group.Call = Task.Run(() => CallAsync(group, batch, lease), CancellationToken.None);
                _calls.Add(group.Call);
            }
        }

        private async Task CallAsync(Group group, List<OutboxMessage> batch, OutboxDispatcher.HeldLease lease)
        {
            try
            {
                await service._dispatcher.SendBatchAsync(group.Key.DestinationId, group.Profile, batch, lease, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                // Stopping: the run gives the batch back.
            }
            catch (PostbackStoreUnavailableException exception)
            {
                LogBatchStoreUnavailable(service._logger, exception, batch.Count, group.Key.DestinationId);
                await service._dispatcher.ReleaseAsync(leaseId, batch).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                LogBatchFailed(service._logger, exception, batch.Count, group.Key.DestinationId);
                await service._dispatcher.ReleaseAsync(leaseId, batch).ConfigureAwait(false);
            }
            finally
            {
                // Wake the loop: the group may send its next batch, and its rules may be leased again.
                service._signal.Notify();
            }
        }

        // Forgets ended calls: a group with more to send waits for its turn, one with nothing left goes (its rules are leased again).
        private void Reap()
        {
            foreach (var group in _groups.Values.ToList())
            {
                if (group.Call is { IsCompleted: true } call)
                {
                    _calls.Remove(call);
                    group.Call = null;
                    MarkReady(group);
                }

                if (group.Call is null && group.Queue.Count == 0)
                {
                    _groups.Remove(group.Key);
                }
            }
        }

        private void MarkReady(Group group)
        {
            if (group.Call is null && !group.Ready && group.Queue.Count > 0)
            {
                group.Ready = true;
                _ready.Enqueue(group);
            }
        }
    }

    /// <summary>The held messages of one destination group waiting for their call, and the group's call in flight.</summary>
    private sealed class Group(OutboxDispatcher.GroupKey key, DestinationProfile profile)
    {
        public OutboxDispatcher.GroupKey Key { get; } = key;

        public DestinationProfile Profile { get; } = profile;

        public Queue<OutboxMessage> Queue { get; } = new();

        public Task? Call { get; set; }

        /// <summary>Gets or sets a value indicating whether the group waits in line for a call.</summary>
        public bool Ready { get; set; }
    }
}
