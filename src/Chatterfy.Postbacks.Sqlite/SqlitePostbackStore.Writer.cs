using Chatterfy.Postbacks.Storage;
using Microsoft.Data.Sqlite;

namespace Chatterfy.Postbacks.Sqlite;

// The single writer: group commit with one savepoint per write.
public sealed partial class SqlitePostbackStore
{
    private const int SqliteConstraint = 19;
    private const string ItemSavepoint = "item";

    private async Task RunWriterAsync()
    {
        var batch = new List<WriteItem>(Math.Min(_options.MaxBatchSize, 1024));
        var reader = _queue.Reader;

        // Completes with false once the queue is completed (disposal) and drained, so queued writes are committed first.
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < _options.MaxBatchSize && reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            if (batch.Count == 0)
            {
                continue;
            }

            RunBatch(batch);
            batch.Clear();
        }
    }

    private void RunBatch(List<WriteItem> batch)
    {
        var started = _timeProvider.GetTimestamp();
        try
        {
            BatchStarting?.Invoke(batch.Count);
            var connection = _writeConnection ??= OpenWriteConnection(enableWal: false);

            // BEGIN IMMEDIATE takes the write lock up front, waiting up to the busy timeout for another process holding it.
            using var transaction = connection.BeginTransaction(deferred: false);
            foreach (var item in batch)
            {
                transaction.Save(ItemSavepoint);
                try
                {
                    item.Execute(transaction);
                    transaction.Release(ItemSavepoint);
                }
                catch (Exception ex) when (IsItemFailure(ex))
                {
                    // Undo this write only; its neighbours in the batch go on.
                    transaction.Rollback(ItemSavepoint);
                    transaction.Release(ItemSavepoint);
                    item.SetFailure(ex is SqliteException constraint
                        ? new InvalidOperationException("The write conflicts with a stored value: " + constraint.Message, constraint)
                        : ex);
                }
            }

            transaction.Commit();
        }
#pragma warning disable CA1031 // The writer must outlive any failure, and every waiting caller gets an answer.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            // The database could not be written (I/O error, disk full, locked too long): nothing of the batch is committed.
            // Start the next batch on a fresh connection.
            Log.BatchFailed(_logger, batch.Count, _timeProvider.GetElapsedTime(started).TotalMilliseconds, ex);
            _writeConnection?.Dispose();
            _writeConnection = null;
            foreach (var item in batch)
            {
                item.Fail(Unavailable($"The SQLite postback store could not commit: {ex.Message}", ex));
            }

            return;
        }

        Interlocked.Increment(ref _committedTransactions);
        Interlocked.Add(ref _committedWrites, batch.Count);
        var elapsed = _timeProvider.GetElapsedTime(started).TotalMilliseconds;
        Log.BatchCommitted(_logger, batch.Count, elapsed);
        foreach (var item in batch)
        {
            item.Complete();
        }
    }

    /// <summary>
    /// A failure that belongs to one write (a duplicate id, a unique constraint, a bad value) rather than to the database:
    /// any exception except a <see cref="SqliteException"/> other than a constraint violation.
    /// </summary>
    private static bool IsItemFailure(Exception exception) =>
        exception is not SqliteException sqlite || sqlite.SqliteErrorCode == SqliteConstraint;

    private static PostbackStoreUnavailableException Unavailable(string message, Exception inner) =>
        new(message, inner) { RetryAfter = RetryAfter };

    /// <summary>A queued write: runs inside the writer's transaction, answered after the commit.</summary>
    private abstract class WriteItem
    {
        /// <summary>Runs the write in the current savepoint.</summary>
        public abstract void Execute(SqliteTransaction transaction);

        /// <summary>Records that this write failed alone (its savepoint was rolled back).</summary>
        public abstract void SetFailure(Exception exception);

        /// <summary>Answers the caller after the commit: the result, or the write's own failure.</summary>
        public abstract void Complete();

        /// <summary>Answers the caller when the whole transaction failed.</summary>
        public abstract void Fail(Exception exception);
    }

    private sealed class WriteItem<T>(Func<SqliteTransaction, T> work) : WriteItem
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;
        private Exception? _failure;

        public Task<T> Task => _completion.Task;

        public override void Execute(SqliteTransaction transaction) => _result = work(transaction);

        public override void SetFailure(Exception exception) => _failure = exception;

        public override void Complete()
        {
            if (_failure is null)
            {
                _completion.TrySetResult(_result!);
            }
            else
            {
                _completion.TrySetException(_failure);
            }
        }

        // A write that failed alone would fail again; keep its own, more useful, error.
        public override void Fail(Exception exception) => _completion.TrySetException(_failure ?? exception);
    }
}
