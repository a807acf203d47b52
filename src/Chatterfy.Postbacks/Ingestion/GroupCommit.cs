using System.Runtime.ExceptionServices;
using Chatterfy.Postbacks.Storage;

namespace Chatterfy.Postbacks.Ingestion;

/// <summary>
/// Gathers concurrent ingestions into <see cref="IngestStore.AppendAsync"/> batches of at most
/// <see cref="IngestStore.PreferredBatchSize"/> records, so a durable store commits many postbacks per transaction (and per
/// flush to disk). No thread of its own: the first caller commits at once, alone; callers that arrive while a commit runs
/// wait in order; when it ends, the oldest of them commits the next batch for itself and those behind it. A caller's task
/// completes only after the commit that holds its record, so a network still hears 200 only for what is committed.
/// </summary>
/// <remarks>
/// With a <see cref="IngestStore.PreferredBatchSize"/> of 1 (the in-memory store) every call goes straight to the store,
/// with no queue and no hand-off. A batch that the store refuses as invalid (<see cref="ArgumentException"/>: nothing was
/// written) is committed again record by record, so one bad record fails alone; a store that cannot write fails every
/// record of the batch with its <see cref="PostbackStoreUnavailableException"/>.
/// </remarks>
internal sealed class GroupCommit(IngestStore store)
{
    private readonly Lock _lock = new();
    private readonly Queue<Waiter> _waiting = new();
    private bool _committing;

    /// <summary>Gets the store the batches are appended to (for the writes that are not batched, such as status changes).</summary>
    public IngestStore Store => store;

    /// <summary>Appends one record, in a batch with whatever arrives while the previous batch commits.</summary>
    /// <returns>What the store did with it.</returns>
    /// <exception cref="PostbackStoreUnavailableException">The store cannot write now; nothing of the record is written.</exception>
    public ValueTask<IngestResult> AppendAsync(IngestRecord record)
    {
        var batchSize = store.PreferredBatchSize;
        if (batchSize <= 1)
        {
            return AppendAloneAsync(record);
        }

        Waiter? waiter = null;
        lock (_lock)
        {
            if (_committing)
            {
                waiter = new Waiter(record, waits: true);
                _waiting.Enqueue(waiter);
            }
            else
            {
                _committing = true;
            }
        }

        return waiter is null ? LeadAsync(new Waiter(record, waits: false), batchSize) : FollowAsync(waiter, batchSize);
    }

    private ValueTask<IngestResult> AppendAloneAsync(IngestRecord record)
    {
        // Once the store is asked to commit, the outcome must not depend on a caller hanging up: no cancellation.
        var appending = store.AppendAsync([record], CancellationToken.None);
        return appending.IsCompletedSuccessfully ? new(appending.Result[0]) : FirstAsync(appending);

        static async ValueTask<IngestResult> FirstAsync(ValueTask<IReadOnlyList<IngestResult>> appending) =>
            (await appending.ConfigureAwait(false))[0];
    }

    private async ValueTask<IngestResult> FollowAsync(Waiter waiter, int batchSize)
    {
        var leads = await waiter.Signal!.Task.ConfigureAwait(false);
        return leads ? await LeadAsync(waiter, batchSize).ConfigureAwait(false) : waiter.GetResult();
    }

    private async ValueTask<IngestResult> LeadAsync(Waiter leader, int batchSize)
    {
        List<Waiter> batch = [leader];
        try
        {
            lock (_lock)
            {
                while (batch.Count < batchSize && _waiting.TryDequeue(out var next))
                {
                    batch.Add(next);
                }
            }

            await CommitAsync(batch).ConfigureAwait(false);
        }
        finally
        {
            Waiter? nextLeader;
            lock (_lock)
            {
                if (!_waiting.TryDequeue(out nextLeader))
                {
                    _committing = false;
                }
            }

            for (var i = 1; i < batch.Count; i++)
            {
                batch[i].Signal!.TrySetResult(false);
            }

            nextLeader?.Signal!.TrySetResult(true);
        }

        return leader.GetResult();
    }

    // Never throws: each waiter gets its result or the failure that concerns it.
    private async Task CommitAsync(List<Waiter> batch)
    {
        var records = new IngestRecord[batch.Count];
        for (var i = 0; i < records.Length; i++)
        {
            records[i] = batch[i].Record;
        }

        try
        {
            var results = await store.AppendAsync(records, CancellationToken.None).ConfigureAwait(false);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Result = results[i];
            }
        }
        catch (ArgumentException) when (batch.Count > 1)
        {
            // An invalid record fails the whole call before anything is written: committed alone, only it fails.
            foreach (var waiter in batch)
            {
                try
                {
                    waiter.Result = (await store.AppendAsync([waiter.Record], CancellationToken.None).ConfigureAwait(false))[0];
                }
                catch (Exception exception)
                {
                    waiter.Failure = ExceptionDispatchInfo.Capture(exception);
                }
            }
        }
        catch (Exception exception)
        {
            var failure = ExceptionDispatchInfo.Capture(exception);
            foreach (var waiter in batch)
            {
                waiter.Failure = failure;
            }
        }
    }

    /// <summary>One caller's record, and what became of it.</summary>
    private sealed class Waiter(IngestRecord record, bool waits)
    {
        public IngestRecord Record { get; } = record;

        /// <summary>Completes with <see langword="true"/> when the caller is to commit the next batch, <see langword="false"/> when its record was committed.</summary>
        public TaskCompletionSource<bool>? Signal { get; } = waits ? new(TaskCreationOptions.RunContinuationsAsynchronously) : null;

        public IngestResult Result { get; set; }

        public ExceptionDispatchInfo? Failure { get; set; }

        public IngestResult GetResult()
        {
            Failure?.Throw();
            return Result;
        }
    }
}
