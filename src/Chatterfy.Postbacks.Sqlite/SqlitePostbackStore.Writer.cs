using System.Collections.Concurrent;
using System.Globalization;
using Chatterfy.Postbacks.Storage;
using Microsoft.Data.Sqlite;

namespace Chatterfy.Postbacks.Sqlite;

// The single writer: group commit without a thread of its own; a record that fails is undone alone (see RunBatch).
public sealed partial class SqlitePostbackStore
{
    // SQLITE_CONSTRAINT: the store's one name for the primary result code of a unique or check violation.
    internal const int SqliteConstraint = 19;

    // The health check's probe write: a 64 KiB log row, inserted and deleted in one transaction. Nothing of it stays, but
    // the commit writes some twenty pages to the write-ahead log, as a few postbacks do.
    private static readonly string HealthProbeSql = $"""
        INSERT INTO postback_log (id, received_at, set_id, outcome, warnings, method, path, query_string, body)
        VALUES ('chatterfy:health-probe', 0, '', '{StoredWords.Of(PostbackOutcome.Rejected)}', '[]', 'GET', '', '', printf('%.*c', 65536, 'x'));
        DELETE FROM postback_log WHERE id = 'chatterfy:health-probe';
        """;

    // The writes waiting for the writer, in order; how many records they hold (for WriteQueueCapacity).
    private readonly ConcurrentQueue<SqliteWriteUnit> _queue = new();
    private int _queuedRecords;
    private int _queueFullReported;

    // Held by whoever runs the writer: a caller whose write found it idle, a thread-pool item it handed over to, or disposal.
    private readonly SemaphoreSlim _writerLock = new(1, 1);
    private readonly List<SqliteWriteUnit> _batch = [];

    // Set by disposal, under the writer lock: no transaction begins after it.
    private bool _writerClosed;

    private long _committedTransactions;
    private long _committedWrites;
    private SqliteConnection? _writeConnection;
    private SqliteWriteSession? _writeSession;

    /// <summary>Gets how many write transactions the writer committed (for tests of group commit).</summary>
    internal long CommittedTransactions => Interlocked.Read(ref _committedTransactions);

    /// <summary>Gets how many records the committed transactions held.</summary>
    internal long CommittedWrites => Interlocked.Read(ref _committedWrites);

    /// <summary>Gets or sets a hook the writer calls with the number of records when it has taken a batch, before it begins the transaction (tests only).</summary>
    internal Action<int>? BatchStarting { get; set; }

    /// <summary>Gets or sets a hook the writer calls with its connection before it begins a batch's transaction (tests only).</summary>
    internal Action<SqliteConnection>? PreparingBatch { get; set; }

    /// <summary>Gets or sets a hook called when a write was queued behind a running writer, with the number of records waiting (tests only).</summary>
    internal Action<int>? WriteQueued { get; set; }

    /// <summary>
    /// Runs <paramref name="work"/> in the writer's transaction and completes once that transaction committed. The caller's
    /// token stops the wait, never the write.
    /// </summary>
    /// <typeparam name="T">The result's type.</typeparam>
    /// <param name="work">The write; it runs on the writer's connection, possibly again inside a savepoint.</param>
    /// <param name="cancellationToken">Cancels the wait, not a write already queued.</param>
    /// <returns>The write's result.</returns>
    internal ValueTask<T> WriteAsync<T>(Func<SqliteWriteSession, T> work, CancellationToken cancellationToken) =>
        SubmitAsync(new SingleWrite<T>(work), cancellationToken);

    /// <summary>
    /// Queues a unit of writes for the writer and completes once the transaction that holds it committed. When the writer
    /// is idle, it runs on this thread: the unit, and whatever queued meanwhile, commit before this returns.
    /// </summary>
    /// <typeparam name="T">The result's type.</typeparam>
    /// <param name="unit">The writes.</param>
    /// <param name="cancellationToken">Cancels the wait, not a write already queued.</param>
    /// <returns>The unit's result.</returns>
    internal async ValueTask<T> SubmitAsync<T>(SqliteWriteUnit<T> unit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        Submit(unit);
        if (unit.Task.IsCompleted || !cancellationToken.CanBeCanceled)
        {
            return await unit.Task.ConfigureAwait(false);
        }

        try
        {
            return await unit.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The write goes on; observe its outcome so a failure nobody waits for is not reported as unobserved.
            _ = unit.Task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw;
        }
    }

    private void Submit(SqliteWriteUnit unit)
    {
        ThrowIfFileLost();
        if (_disposing)
        {
            throw new PostbackStoreUnavailableException("The SQLite postback store is shutting down.") { RetryAfter = RetryAfter };
        }

        // A unit larger than the capacity is taken when nothing waits, so that a batch is never refused for its size alone.
        var waiting = Interlocked.Add(ref _queuedRecords, unit.Count);
        if (waiting > unit.Count && waiting > _options.WriteQueueCapacity)
        {
            Interlocked.Add(ref _queuedRecords, -unit.Count);
            if (Interlocked.Exchange(ref _queueFullReported, 1) == 0)
            {
                SqliteLog.QueueFull(_logger, _options.WriteQueueCapacity);
            }

            throw new PostbackStoreUnavailableException(
                $"The SQLite postback store's write queue is full ({_options.WriteQueueCapacity} writes waiting).")
            {
                RetryAfter = RetryAfter,
            };
        }

        if (_queueFullReported != 0)
        {
            Volatile.Write(ref _queueFullReported, 0);
        }

        _queue.Enqueue(unit);
        if (_writerLock.Wait(0))
        {
            RunWriter(unit);
        }
        else
        {
            WriteQueued?.Invoke(Volatile.Read(ref _queuedRecords));
        }
    }

    /// <summary>
    /// Runs the writer until <paramref name="own"/> is answered (or, without one, until the queue is empty), then lets go of
    /// it; a write queued meanwhile is handed to the thread pool, so the caller is not held for others' writes.
    /// </summary>
    private void RunWriter(SqliteWriteUnit? own)
    {
        try
        {
            if (_writerClosed)
            {
                FailQueued("The SQLite postback store is shutting down.");
                return;
            }

            while (own is null || !own.IsAnswered)
            {
                if (!TakeBatch())
                {
                    break;
                }

                RunTakenBatch();
            }
        }
        finally
        {
            ReleaseWriter();
        }
    }

    private void ReleaseWriter()
    {
        _writerLock.Release();

        // A write queued after the last batch was taken found the writer busy and left it to whoever holds it.
        if (!_queue.IsEmpty && _writerLock.Wait(0))
        {
            ThreadPool.UnsafeQueueUserWorkItem(static store => store.RunWriter(null), this, preferLocal: false);
        }
    }

    /// <summary>Commits everything queued; disposal calls it holding the writer, and closes the writer after it.</summary>
    private void DrainQueue()
    {
        while (TakeBatch())
        {
            RunTakenBatch();
        }

        _writerClosed = true;
    }

    /// <summary>Takes whole queued units into <see cref="_batch"/>, up to the batch size (at least one unit).</summary>
    /// <returns><see langword="false"/> when nothing was queued.</returns>
    private bool TakeBatch()
    {
        var records = 0;
        while (_queue.TryPeek(out var next) && (records == 0 || records + next.Count <= _options.MaxBatchSize))
        {
            _queue.TryDequeue(out _);
            Interlocked.Add(ref _queuedRecords, -next.Count);
            records += next.Count;
            _batch.Add(next);
        }

        return _batch.Count > 0;
    }

    private void RunTakenBatch()
    {
        string? failure;
        try
        {
            failure = RunBatch(_batch);
        }
#pragma warning disable CA1031 // Last resort (a throwing logger, say): every waiting caller gets an answer.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            foreach (var unit in _batch)
            {
                unit.Fail(Unavailable("The SQLite postback store's writer failed.", ex));
            }

            failure = null;
        }

        _batch.Clear();
        if (failure is not null)
        {
            // The writes queued behind a failed transaction waited for it already (up to BusyTimeout when the lock is
            // held); another attempt would make them wait as long again. They fail with it, so every write is answered
            // within about one BusyTimeout, and the next write tries afresh.
            FailQueued(failure);
        }
    }

    private void FailQueued(string failure)
    {
        for (var waiting = _queue.Count; waiting > 0 && _queue.TryDequeue(out var unit); waiting--)
        {
            Interlocked.Add(ref _queuedRecords, -unit.Count);
            unit.Fail(Unavailable(failure, inner: null));
        }
    }

    /// <summary>Runs one batch in one transaction and answers its units.</summary>
    /// <returns><see langword="null"/> when it committed; otherwise why the database could not be written.</returns>
    private string? RunBatch(List<SqliteWriteUnit> batch)
    {
        var started = _timeProvider.GetTimestamp();
        if (_fileLost is { } lost)
        {
            // Queued before the loss was noticed.
            FailAll(batch, lost, inner: null);
            return lost;
        }

        var records = 0;
        foreach (var unit in batch)
        {
            records += unit.Count;
        }

        string? change = null;
        try
        {
            BatchStarting?.Invoke(records);

            // After a failure the connection was closed: a new one must not open whatever file is at the path now.
            if (_writeConnection is null && _fileIdentity?.IsInPlace(withCompanions: false, out change) == false)
            {
                return OnDatabaseFileLost(batch, change);
            }

            var connection = _writeConnection ??= OpenWriteConnection(enableWal: false);
            var session = _writeSession ??= new SqliteWriteSession(connection);
            PreparingBatch?.Invoke(connection);

            // BEGIN IMMEDIATE takes the write lock up front, waiting up to the busy timeout for another process holding it.
            var transaction = connection.BeginTransaction(deferred: false);
            try
            {
                session.Transaction = transaction;
                session.Rollups.Clear();

                // Records almost never fail alone, so the batch first runs without a savepoint per record (two statements
                // and a copy of every page each record touches, saved). If one does fail, the attempt is rolled back whole
                // and the batch runs again, each record in its own savepoint, so that only the failing one is undone.
                if (!TryRunWithoutSavepoints(session, batch))
                {
                    transaction.Rollback();
                    transaction.Dispose();
                    transaction = connection.BeginTransaction(deferred: false);
                    session.Transaction = transaction;
                    session.Rollups.Clear();
                    RunWithSavepoints(session, batch);
                }

                // The roll-ups of what the batch wrote, each key once.
                session.Rollups.Apply(session);

                // A commit into a file that is no longer at the path is a commit nobody will find: check right before it.
                // Rolled back (by Dispose) when the file changed.
                if (_fileIdentity?.IsInPlace(withCompanions: true, out change) != false)
                {
                    transaction.Commit();
                }
            }
            finally
            {
                session.Transaction = null;
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
                SqliteLog.BatchFailed(_logger, failures, records, _timeProvider.GetElapsedTime(started).TotalMilliseconds, ex);
            }

            return failure;
        }

        if (change is not null)
        {
            return OnDatabaseFileLost(batch, change);
        }

        Interlocked.Increment(ref _committedTransactions);
        Interlocked.Add(ref _committedWrites, records);
        foreach (var unit in batch)
        {
            unit.Complete();
        }

        var elapsed = _timeProvider.GetElapsedTime(started).TotalMilliseconds;
        SqliteLog.BatchCommitted(_logger, records, elapsed);

        if (_writesFailing)
        {
            _writesFailing = false;
            if (_batchFailures.TryEnd(out var failed))
            {
                SqliteLog.WritesRecovered(_logger, _dataSource, failed);
            }
        }

        return null;
    }

    /// <summary>
    /// The file at the path is no longer the one the writer has open (deleted, renamed, replaced): refuses every read and
    /// write from now on, moves what the write-ahead log holds into the opened file, saves a copy of it beside the path,
    /// says so in one critical line, and only then answers the batch.
    /// </summary>
    private string OnDatabaseFileLost(List<SqliteWriteUnit> batch, string change)
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
            SqliteLog.DatabaseFileLost(_logger, _dataSource, change, rescuePath);
        }
        else
        {
            SqliteLog.DatabaseFileLostNotSaved(_logger, _dataSource, change, rescuePath, _fileIdentity?.OpenFile ?? "nowhere (it is gone with this process's handles)", rescueFailure);
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

    private static void FailAll(List<SqliteWriteUnit> batch, string failure, Exception? inner)
    {
        foreach (var unit in batch)
        {
            unit.Fail(Unavailable(failure, inner));
        }
    }

    /// <summary>Runs every record of the batch in the transaction; <see langword="false"/> when one failed alone.</summary>
    private static bool TryRunWithoutSavepoints(SqliteWriteSession session, List<SqliteWriteUnit> batch)
    {
        foreach (var unit in batch)
        {
            for (var i = 0; i < unit.Count; i++)
            {
                try
                {
                    unit.Execute(session, i);
                }
                catch (Exception ex) when (IsItemFailure(ex))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static void RunWithSavepoints(SqliteWriteSession session, List<SqliteWriteUnit> batch)
    {
        foreach (var unit in batch)
        {
            for (var i = 0; i < unit.Count; i++)
            {
                session.Statement("SAVEPOINT item").Execute();
                try
                {
                    unit.Execute(session, i);
                    session.Statement("RELEASE item").Execute();
                }
                catch (Exception ex) when (IsItemFailure(ex))
                {
                    // Undo this record only; its neighbours in the batch go on.
                    session.Statement("ROLLBACK TO item").Execute();
                    session.Statement("RELEASE item").Execute();
                    unit.SetFailure(i, ex is SqliteException constraint
                        ? new InvalidOperationException("The write conflicts with a stored value: " + constraint.Message, constraint)
                        : ex);
                }
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
    /// A failure that belongs to one record (a duplicate id, a unique constraint, a bad value) rather than to the database:
    /// any exception except a <see cref="SqliteException"/> other than a constraint violation.
    /// </summary>
    private static bool IsItemFailure(Exception exception) =>
        exception is not SqliteException sqlite || sqlite.SqliteErrorCode == SqliteConstraint;

    private static PostbackStoreUnavailableException Unavailable(string message, Exception? inner) =>
        inner is null ? new(message) { RetryAfter = RetryAfter } : new(message, inner) { RetryAfter = RetryAfter };

    /// <summary>One write of one value: runs once in the transaction, answered after the commit.</summary>
    private sealed class SingleWrite<T>(Func<SqliteWriteSession, T> work) : SqliteWriteUnit<T>(1)
    {
        private T? _result;
        private Exception? _failure;

        public override void Execute(SqliteWriteSession session, int index) => _result = work(session);

        public override void SetFailure(int index, Exception exception) => _failure = exception;

        public override void Complete()
        {
            if (_failure is null)
            {
                TrySetResult(_result!);
            }
            else
            {
                TrySetException(_failure);
            }
        }

        // A write that failed alone would fail again; keep its own, more useful, error.
        public override void Fail(Exception exception) => TrySetException(_failure ?? exception);
    }
}
