using System.Collections.Concurrent;
using Chatterfy.Postbacks.Storage;
using Microsoft.Extensions.Logging;

namespace Chatterfy.Postbacks.Forwarding;

// The leases this process holds: which messages it holds under which lease id, their renewal every third of
// LeaseDuration, their release when a pass or the hosted dispatcher stops, and retry by hand, which must know them.
public sealed partial class OutboxDispatcher
{
    // Every message this process holds (leased and not yet completed or released), by id, with its lease id.
    private readonly ConcurrentDictionary<string, string> _held = new(StringComparer.Ordinal);

    /// <summary>
    /// Schedules an outbox message for delivery now, as the tracker API's <c>POST /outbox/{id}/retry</c> does, and wakes
    /// this instance's hosted dispatcher. A dead letter is replayed with a new retry horizon; a pending message is made due
    /// now; a delivered one is left as it is.
    /// </summary>
    /// <remarks>
    /// <para>
    /// A pending message under a live lease is being sent, or was held by a dispatcher that stopped without giving it back
    /// (a crash). Retry never takes a message from a send in progress: a message this process holds is left as it is, and
    /// so is one whose lease was renewed within the last half of <see cref="OutboxDispatcherOptions.LeaseDuration"/> (a
    /// holder renews every third of it, so another instance that is sending it keeps it). A lease that nobody has renewed
    /// for longer than that is cleared, and the message is due at once.
    /// </para>
    /// <para>
    /// The attempt starts at once when this instance runs the hosted dispatcher (unless the message's destination has a
    /// call in flight, which it then follows), and within <see cref="OutboxDispatcherOptions.PollInterval"/> on any other
    /// instance. Instances sharing a database should use the same <see cref="OutboxDispatcherOptions.LeaseDuration"/>.
    /// </para>
    /// </remarks>
    /// <param name="messageId">The message's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The message after the call (check its status), or <see langword="null"/> when none has that id.</returns>
    /// <exception cref="PostbackStoreUnavailableException">The store cannot be reached now.</exception>
    public async Task<OutboxMessage?> RetryAsync(string messageId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        var message = await _store.GetAsync(messageId, cancellationToken).ConfigureAwait(false);
        if (message is null)
        {
            return null;
        }

        var now = _timeProvider.GetUtcNow();
        if (message is { Status: OutboxMessageStatus.Pending, LeaseId: { } leaseId, LeaseExpiresAt: { } expiresAt }
            && expiresAt > now
            && !_held.ContainsKey(messageId)
            && expiresAt - now < _options.CurrentValue.Dispatcher.LeaseDuration / 2)
        {
            // Nobody renews this lease: its holder stopped without giving it back.
            if (await _store.ReleaseLeaseAsync(leaseId, [messageId], cancellationToken).ConfigureAwait(false) > 0)
            {
                LogRetryClearedLease(_logger, messageId, leaseId, expiresAt);
            }
        }

        var retried = await _store.RescheduleAsync(messageId, now, cancellationToken).ConfigureAwait(false);
        if (retried is { Status: OutboxMessageStatus.Pending })
        {
            _signal.Notify();
        }

        return retried;
    }

    /// <summary>A new lease id: one per pass, or one per run of the hosted dispatcher.</summary>
    internal static string NewLeaseId() => Guid.NewGuid().ToString("N");

    /// <summary>Starts renewing, every third of <see cref="OutboxDispatcherOptions.LeaseDuration"/>, what this process holds under <paramref name="leaseId"/>.</summary>
    internal HeldLease StartLease(string leaseId) => new(this, leaseId);

    /// <summary>
    /// Gives back <paramref name="messages"/>, or every message this process still holds under <paramref name="leaseId"/>,
    /// so any dispatcher may lease them at once. Never throws: a release that fails leaves the lease to end by itself.
    /// </summary>
    internal async Task ReleaseAsync(string leaseId, IEnumerable<OutboxMessage>? messages = null)
    {
        var held = messages is null
            ? HeldUnder(leaseId)
            : [.. messages.Select(m => m.Id).Where(id => _held.TryGetValue(id, out var holder) && string.Equals(holder, leaseId, StringComparison.Ordinal))];
        if (held.Length == 0)
        {
            return;
        }

        try
        {
            // Not the caller's token: this runs when the caller is stopping.
            await _store.ReleaseLeaseAsync(leaseId, held, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            LogReleaseFailed(_logger, exception, held.Length);
        }
        finally
        {
            foreach (var id in held)
            {
                _held.TryRemove(new KeyValuePair<string, string>(id, leaseId));
            }
        }
    }

    /// <summary>Stops holding <paramref name="messages"/>: they were completed, or their lease was lost or left to end.</summary>
    internal void Drop(IEnumerable<OutboxMessage> messages)
    {
        foreach (var message in messages)
        {
            _held.TryRemove(message.Id, out _);
        }
    }

    // Holds the leased messages this process does not hold already (one re-leased after its lease lapsed is in flight).
    private List<OutboxMessage> Hold(IReadOnlyList<OutboxMessage> leased, string leaseId)
    {
        var held = new List<OutboxMessage>(leased.Count);
        foreach (var message in leased)
        {
            if (_held.TryAdd(message.Id, leaseId))
            {
                held.Add(message);
            }
        }

        return held;
    }

    private string[] HeldUnder(string leaseId) =>
        [.. _held.Where(h => string.Equals(h.Value, leaseId, StringComparison.Ordinal)).Select(h => h.Key)];

    [LoggerMessage(EventId = 2208, Level = LogLevel.Warning, Message = "The lease of {Count} outbox message(s) could not be renewed; it is tried again a third of Dispatcher:LeaseDuration later. Should the lease end first, another dispatcher may send them again")]
    private static partial void LogRenewalFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(EventId = 2209, Level = LogLevel.Warning, Message = "The lease of {Count} outbox message(s) could not be given back; they are sent again when it ends")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(EventId = 2210, Level = LogLevel.Information, Message = "Retrying outbox message {MessageId} cleared lease {LeaseId} (to end at {LeaseExpiresAt}), which no send renews")]
    private static partial void LogRetryClearedLease(ILogger logger, string messageId, string leaseId, DateTimeOffset leaseExpiresAt);

    /// <summary>
    /// One lease id this process holds messages under, renewed every third of <see cref="OutboxDispatcherOptions.LeaseDuration"/>
    /// until disposed of. Disposing of it stops the renewal; it does not release the messages (see <see cref="ReleaseAsync"/>).
    /// </summary>
    internal sealed class HeldLease : IAsyncDisposable
    {
        private readonly OutboxDispatcher _dispatcher;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _renewal;
        private long _renewedUntilTicks;

        public HeldLease(OutboxDispatcher dispatcher, string id)
        {
            _dispatcher = dispatcher;
            Id = id;
            _renewal = RenewAsync(_stop.Token);
        }

        /// <summary>Gets the lease id.</summary>
        public string Id { get; }

        /// <summary>Whether the lease of <paramref name="message"/>, as leased or last renewed, still lives at <paramref name="now"/>.</summary>
        public bool Covers(OutboxMessage message, DateTimeOffset now)
        {
            var renewedUntil = Interlocked.Read(ref _renewedUntilTicks);
            return (message.LeaseExpiresAt?.UtcTicks ?? 0) > now.UtcTicks || renewedUntil > now.UtcTicks;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            await _renewal.ConfigureAwait(false);
            _stop.Dispose();
        }

        private async Task RenewAsync(CancellationToken stop)
        {
            var dispatcher = _dispatcher;

            // A periodic timer ticks on schedule however long a renewal takes, and a tick missed while renewing is not lost.
            using var timer = new PeriodicTimer(dispatcher._options.CurrentValue.Dispatcher.LeaseDuration / 3, dispatcher._timeProvider);
            try
            {
                while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
                {
                    timer.Period = dispatcher._options.CurrentValue.Dispatcher.LeaseDuration / 3;
                    var held = dispatcher.HeldUnder(Id);
                    if (held.Length == 0)
                    {
                        continue;
                    }

                    var now = dispatcher._timeProvider.GetUtcNow();
                    var expiresAt = now + dispatcher._options.CurrentValue.Dispatcher.LeaseDuration;
                    try
                    {
                        await dispatcher._store.ExtendLeaseAsync(Id, held, expiresAt, stop).ConfigureAwait(false);
                        Interlocked.Exchange(ref _renewedUntilTicks, expiresAt.UtcTicks);
                    }
                    catch (Exception exception) when (exception is not OutOfMemoryException)
                    {
                        if (stop.IsCancellationRequested)
                        {
                            return;
                        }

                        LogRenewalFailed(dispatcher._logger, exception, held.Length);
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Stopped.
            }
        }
    }
}
