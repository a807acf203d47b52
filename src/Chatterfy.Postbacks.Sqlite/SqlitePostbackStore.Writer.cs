using System.Globalization;
using Chatterfy.Postbacks.Storage;
using Microsoft.Data.Sqlite;

namespace Chatterfy.Postbacks.Sqlite;

// The single writer: group commit; a write that fails is undone alone (see RunBatch).
public sealed partial class SqlitePostbackStore
{
    private const int SqliteConstraint = 19;

    // The health check's probe write: a 64 KiB log row, inserted and deleted in one transaction. Nothing of it stays, but
    // the commit writes some twenty pages to the write-ahead log, as a few postbacks do.
    private const string HealthProbeSql = """
        INSERT INTO postback_log (id, received_at, set_id, outcome, warnings, method, path, query_string, body)
        VALUES ('chatterfy:health-probe', 0, '', 'rejected', '[]', 'GET', '', '', printf('%.*c', 65536, 'x'));
        DELETE FROM postback_log WHERE id = 'chatterfy:health-probe';
        """;

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

            string? failure;
            try
            {
                failure = RunBatch(batch);
            }
#pragma warning disable CA1031 // Last resort (a throwing logger, say): the writer must not die with callers waiting.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                foreach (var item in batch)
                {
                    item.Fail(Unavailable("The SQLite postback store's writer failed.", ex));
                }

                failure = null;
            }

            batch.Clear();
            if (failure is not null)
            {
                // The writes queued behind a failed transaction waited for it already (up to BusyTimeout when the lock is
                // held); another attempt would make them wait as long again. They fail with it, so every write is answered
                // within about one BusyTimeout, and the next write tries afresh.
                for (var waiting = reader.Count; waiting > 0 && reader.TryRead(out var item); waiting--)
                {
                    item.Fail(Unavailable(failure, inner: null));
                }
            }
        }
    }

    /// <summary>Runs one batch in one transaction and answers its writes.</summary>
    /// <returns><see langword="null"/> when it committed; otherwise why the database could not be written.</returns>
    private string? RunBatch(List<WriteItem> batch)
    {
        var started = _timeProvider.GetTimestamp();
        if (_fileLost is { } lost)
        {
            // Queued before the loss was noticed.
            FailAll(batch, lost, inner: null);
            return lost;
        }

        string? change = null;
        try
        {
            BatchStarting?.Invoke(batch.Count);

            // After a failure the connection was closed: a new one must not open whatever file is at the path now.
            if (_writeConnection is null && _fileIdentity?.IsInPlace(withCompanions: false, out change) == false)
            {
                return OnDatabaseFileLost(batch, change);
            }

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

                // A commit into a file that is no longer at the path is a commit nobody will find: check right before it.
                // Rolled back (by Dispose) when the file changed.
                if (_fileIdentity?.IsInPlace(withCompanions: true, out change) != false)
                {
                    transaction.Commit();
                }
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
            var failure = $"The SQLite postback store could not commit: {ex.Message}";
            Interlocked.Exchange(ref _lastWriteFailedAt, _timeProvider.GetTimestamp());
            _lastWriteFailure = failure;
            _writesFailing = true;
            FailAll(batch, failure, ex);
            if (_batchFailures.ShouldLog(out var failures))
            {
                Log.BatchFailed(_logger, failures, batch.Count, _timeProvider.GetElapsedTime(started).TotalMilliseconds, ex);
            }

            return failure;
        }

        if (change is not null)
        {
            return OnDatabaseFileLost(batch, change);
        }

        Interlocked.Increment(ref _committedTransactions);
        Interlocked.Add(ref _committedWrites, batch.Count);
        foreach (var item in batch)
        {
            item.Complete();
        }

        var elapsed = _timeProvider.GetElapsedTime(started).TotalMilliseconds;
        Log.BatchCommitted(_logger, batch.Count, elapsed);
        if (_writesFailing)
        {
            _writesFailing = false;
            if (_batchFailures.TryEnd(out var failed))
            {
                Log.WritesRecovered(_logger, _dataSource, failed);
            }
        }

        return null;
    }

    /// <summary>
    /// The file at the path is no longer the one the writer has open (deleted, renamed, replaced): refuses every read and
    /// write from now on, moves what the write-ahead log holds into the opened file, saves a copy of it beside the path,
    /// says so in one critical line, and only then answers the batch.
    /// </summary>
    private string OnDatabaseFileLost(List<WriteItem> batch, string change)
    {
        var lost = $"The SQLite postback store's database file '{_dataSource}' was deleted or replaced while open ({change}); nothing more is written or read until the host restarts.";
        _fileLost = lost;

        var rescuePath = RescuePath();
        Exception? rescueFailure = null;
        if (_writeConnection is { } connection)
        {
            try
            {
                // The committed transactions move from the write-ahead log into the opened file, and the log is emptied:
                // a file put at the path is then not mixed with this one's log when it is next opened.
                ExecuteNonQuery(connection, "PRAGMA wal_checkpoint(TRUNCATE)");
                using var copy = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = rescuePath, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString());
                copy.Open();
                connection.BackupDatabase(copy);
            }
            catch (SqliteException ex)
            {
                rescueFailure = ex;
            }
        }
        else
        {
            rescueFailure = new InvalidOperationException("The writer had no connection open to the lost file.");
        }

        CloseWriteConnection();
        ClearReadPool();
        if (rescueFailure is null)
        {
            Log.DatabaseFileLost(_logger, _dataSource, change, rescuePath);
        }
        else
        {
            Log.DatabaseFileLostNotSaved(_logger, _dataSource, change, rescuePath, _fileIdentity?.OpenFile ?? "nowhere (it is gone with this process's handles)", rescueFailure);
        }

        // Answered last: whoever hears 503 can already find the copy and the log line.
        FailAll(batch, lost, inner: null);
        return lost;
    }

    /// <summary>A path beside the database for the copy of a lost file: <c>postbacks.db.rescued-20261203T101112Z</c>.</summary>
    private string RescuePath()
    {
        var stamp = _timeProvider.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var path = $"{_dataSource}.rescued-{stamp}";
        for (var n = 2; File.Exists(path) && n < 100; n++)
        {
            path = string.Create(CultureInfo.InvariantCulture, $"{_dataSource}.rescued-{stamp}-{n}");
        }

        return path;
    }

    private static void FailAll(List<WriteItem> batch, string failure, Exception? inner)
    {
        foreach (var item in batch)
        {
            item.Fail(Unavailable(failure, inner));
        }
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

    private static PostbackStoreUnavailableException Unavailable(string message, Exception? inner) =>
        inner is null ? new(message) { RetryAfter = RetryAfter } : new(message, inner) { RetryAfter = RetryAfter };

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
