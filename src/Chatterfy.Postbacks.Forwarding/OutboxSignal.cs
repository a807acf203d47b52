namespace Chatterfy.Postbacks.Forwarding;

/// <summary>
/// Wakes the hosted dispatcher when ingestion wrote outbox messages, so a conversion is forwarded at once rather than at
/// the next poll. Signals coalesce: any number of them before the dispatcher waits wake it once.
/// </summary>
/// <remarks>
/// A completed <see cref="TaskCompletionSource"/> is the pending signal; the dispatcher takes it by swapping in a fresh
/// one. A signal that arrives while the dispatcher is between taking a signal and leasing is not lost: the messages it
/// announces were committed before it, so the lease that follows sees them.
/// </remarks>
internal sealed class OutboxSignal : IDisposable
{
    private TaskCompletionSource _pending = NewSource();

    /// <summary>Wakes the dispatcher, or makes its next wait return at once. Never blocks, never allocates.</summary>
    public void Notify() => Volatile.Read(ref _pending).TrySetResult();

    /// <summary>Waits for a signal or <paramref name="timeout"/> on <paramref name="timeProvider"/>, whichever comes first.</summary>
    /// <returns><see langword="true"/> when signalled.</returns>
    /// <remarks>
    /// Nothing is thrown inside a wait that times out: the dispatcher waits once per poll interval for as long as the host
    /// runs, and an exception each time would show as a steady rate in the runtime's exception counters.
    /// </remarks>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (the host stops).</exception>
    public async Task<bool> WaitAsync(TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var pending = Volatile.Read(ref _pending);
        if (!pending.Task.IsCompleted)
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var delay = Task.Delay(timeout, timeProvider, stop.Token);
            await Task.WhenAny(pending.Task, delay).ConfigureAwait(false);
            await stop.CancelAsync().ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (!pending.Task.IsCompleted)
            {
                return false;
            }
        }

        Interlocked.CompareExchange(ref _pending, NewSource(), pending);
        return true;
    }

    /// <summary>Nothing to release; kept so the container's disposal of the signal stays valid.</summary>
    public void Dispose()
    {
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
