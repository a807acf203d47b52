using Chatterfy.Postbacks.Storage;
using Microsoft.Data.Sqlite;

namespace Chatterfy.Postbacks.Sqlite;

// The single writer: group commit; a write that fails is undone alone (see RunBatch).
public sealed partial class SqlitePostbackStore
{
    private const int SqliteConstraint = 19;

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

            try
            {
                RunBatch(batch);
            }
#pragma warning disable CA1031 // Last resort (a throwing logger, say): the writer must not die with callers waiting.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                foreach (var item in batch)
                {
                    item.Fail(Unavailable("The SQLite postback store's writer failed.", ex));
                }
            }

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
            var session = _writeSession ??= new WriteSession(connection);
            PreparingBatch?.Invoke(connection);

            // BEGIN IMMEDIATE takes the write lock up front, waiting up to the busy timeout for another process holding it.
            var transaction = connection.BeginTransaction(deferred: false);
            try
            {
                session.Transaction = transaction;

                // Writes almost never fail alone, so the batch first runs without a savepoint per write (two statements
                // and a copy of every page each write touches, saved). If one does fail, the attempt is rolled back whole
                // and the batch runs again, each write in its own savepoint, so that only the failing one is undone.
                if (!TryRunWithoutSavepoints(session, batch))
                {
                    transaction.Rollback();
                    transaction.Dispose();
                    transaction = connection.BeginTransaction(deferred: false);
                    session.Transaction = transaction;
                    RunWithSavepoints(session, batch);
                }

                transaction.Commit();
            }
            finally
            {
                transaction.Dispose();
            }
        }
#pragma warning disable CA1031 // The writer must outlive any failure, and every waiting caller gets an answer.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            // The database could not be written (I/O error, disk full, locked too long): nothing of the batch is committed.
            // Start the next batch on a fresh connection.
            CloseWriteConnection();
            foreach (var item in batch)
            {
                item.Fail(Unavailable($"The SQLite postback store could not commit: {ex.Message}", ex));
            }

            Log.BatchFailed(_logger, batch.Count, _timeProvider.GetElapsedTime(started).TotalMilliseconds, ex);
            return;
        }

        Interlocked.Increment(ref _committedTransactions);
        Interlocked.Add(ref _committedWrites, batch.Count);
        foreach (var item in batch)
        {
            item.Complete();
        }

        var elapsed = _timeProvider.GetElapsedTime(started).TotalMilliseconds;
        Log.BatchCommitted(_logger, batch.Count, elapsed);
    }

    /// <summary>Runs every write of the batch in the transaction; <see langword="false"/> when one failed alone.</summary>
    private static bool TryRunWithoutSavepoints(WriteSession session, List<WriteItem> batch)
    {
        foreach (var item in batch)
        {
            try
            {
                item.Execute(session);
            }
            catch (Exception ex) when (IsItemFailure(ex))
            {
                return false;
            }
        }

        return true;
    }

    private static void RunWithSavepoints(WriteSession session, List<WriteItem> batch)
    {
        foreach (var item in batch)
        {
            session.Command("SAVEPOINT item").ExecuteNonQuery();
            try
            {
                item.Execute(session);
                session.Command("RELEASE item").ExecuteNonQuery();
            }
            catch (Exception ex) when (IsItemFailure(ex))
            {
                // Undo this write only; its neighbours in the batch go on.
                session.Command("ROLLBACK TO item").ExecuteNonQuery();
                session.Command("RELEASE item").ExecuteNonQuery();
                item.SetFailure(ex is SqliteException constraint
                    ? new InvalidOperationException("The write conflicts with a stored value: " + constraint.Message, constraint)
                    : ex);
            }
        }
    }

    private void CloseWriteConnection()
    {
        var session = _writeSession;
        var connection = _writeConnection;
        _writeSession = null;
        _writeConnection = null;
        try
        {
            session?.Dispose();
            connection?.Dispose();
        }
        catch (SqliteException)
        {
            // The connection is being dropped because it failed; closing it may fail the same way.
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
        public abstract void Execute(WriteSession session);

        /// <summary>Records that this write failed alone (its savepoint was rolled back).</summary>
        public abstract void SetFailure(Exception exception);

        /// <summary>Answers the caller after the commit: the result, or the write's own failure.</summary>
        public abstract void Complete();

        /// <summary>Answers the caller when the whole transaction failed.</summary>
        public abstract void Fail(Exception exception);
    }

    private sealed class WriteItem<T>(Func<WriteSession, T> work) : WriteItem
    {
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;
        private Exception? _failure;

        public Task<T> Task => _completion.Task;

        public override void Execute(WriteSession session) => _result = work(session);

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

    /// <summary>
    /// The writer's connection with its prepared statements: each distinct SQL text is prepared once per connection and
    /// reused, which keeps a large batch cheap. Commands it returns belong to it; do not dispose them.
    /// </summary>
    private sealed class WriteSession(SqliteConnection connection) : IDisposable
    {
        private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

        /// <summary>Gets or sets the current batch's transaction.</summary>
        public SqliteTransaction? Transaction { get; set; }

        /// <summary>Gets the command for <paramref name="sql"/>, in the current transaction and without parameters.</summary>
        public SqliteCommand Command(string sql)
        {
            if (!_commands.TryGetValue(sql, out var command))
            {
                command = connection.CreateCommand();
                command.CommandText = sql;
                _commands.Add(sql, command);
            }

            command.Transaction = Transaction;
            command.Parameters.Clear();
            return command;
        }

        public void Dispose()
        {
            foreach (var command in _commands.Values)
            {
                command.Dispose();
            }

            _commands.Clear();
        }
    }
}
