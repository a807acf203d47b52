namespace Chatterfy.Postbacks.Forwarding;

/// <summary>
/// Wakes the hosted dispatcher when ingestion wrote outbox messages, so a conversion is forwarded at once rather than at
/// the next poll. Signals coalesce: any number of them before the dispatcher waits wake it once.
/// </summary>
internal sealed class OutboxSignal : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    /// <summary>Wakes the dispatcher, or makes its next wait return at once. Never blocks, never allocates.</summary>
    public void Notify()
    {
        if (_semaphore.CurrentCount != 0)
        {
            return;
        }

        try
        {
            _semaphore.Release();
        }
        catch (SemaphoreFullException)
        {
            // Another caller signalled in between: the dispatcher wakes either way.
        }
        catch (ObjectDisposedException)
        {
            // The host is shutting down.
        }
    }

    /// <summary>Waits for a signal or <paramref name="timeout"/> on <paramref name="timeProvider"/>, whichever comes first.</summary>
    /// <returns><see langword="true"/> when signalled.</returns>
    public async Task<bool> WaitAsync(TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var signalled = _semaphore.WaitAsync(stop.Token);
        var delay = Task.Delay(timeout, timeProvider, stop.Token);
        await Task.WhenAny(signalled, delay).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();

        // A semaphore wait that completed before the cancellation took the signal: report it, so none is lost.
        try
        {
            await signalled.ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose() => _semaphore.Dispose();
}
