using System.Globalization;
using Chatterfy.Postbacks.Diagnostics;
using Chatterfy.Postbacks.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Chatterfy.Postbacks.Sqlite;

/// <summary>
/// The SQLite store: one database file that provides every store role of the SDK (<see cref="Storage"/>), the embedded
/// default for a single instance. Durable (an acknowledged write is committed to a write-ahead log synced to disk),
/// race-free (every write goes through one writer) and fast under load (group commit: concurrent writes share one
/// transaction and one sync).
/// </summary>
/// <remarks>
/// <para>
/// The schema is created or migrated on first use, or by <see cref="InitializeAsync"/> (the DI registration does it when
/// the host starts, so a bad path fails the start).
/// </para>
/// <para>
/// Writes (sets, clicks, batches of postbacks, purges, outbox leases and completions) go through a single writer that owns
/// one connection. There is no writer thread: a write that finds the writer idle runs it on its own thread, taking along
/// the writes that queued meanwhile, up to <see cref="SqlitePostbackStoreOptions.MaxBatchSize"/> records per transaction
/// (again with a savepoint per record if one fails, so that a failing record, a duplicate id say, is undone and answered
/// alone). It commits, and only then answers them. A write whose caller gives up waiting (its token is cancelled after it
/// was queued) still commits. When <see cref="SqlitePostbackStoreOptions.WriteQueueCapacity"/> records are waiting, or the
/// database cannot be written (I/O error, disk full, locked longer than <see cref="SqlitePostbackStoreOptions.BusyTimeout"/>),
/// writes fail with <see cref="PostbackStoreUnavailableException"/> and nothing of them is committed; the writes queued
/// behind a failed transaction fail with it, so none waits longer than about one busy timeout.
/// </para>
/// <para>
/// Before each commit the writer checks that the file at the path is still the one it opened. When the file was deleted,
/// renamed or replaced, the commit is rolled back, what was committed is saved beside the path, a critical line is logged,
/// and every read and write fails as unavailable until the store is created again (the host restarts).
/// </para>
/// <para>Reads use their own pooled connections and see every completed write.</para>
/// <para>
/// Dispose the store (the DI container does) to stop accepting writes, commit the queued ones and close the file.
/// </para>
/// </remarks>
public sealed partial class SqlitePostbackStore : IAsyncDisposable, IDisposable
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    // How long a failed transaction alone decides the health check; after that a probe does (see CheckHealthAsync).
    private static readonly TimeSpan FreshWriteFailure = TimeSpan.FromSeconds(5);

    private readonly SqlitePostbackStoreOptions _options;
    private readonly string _dataSource;
    private readonly string _readConnectionString;
    private readonly string _writeConnectionString;
    private readonly string _createConnectionString;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _lifecycleLock = new(1, 1);
    private readonly LogThrottle _batchFailures;
    private readonly LogThrottle _readFailures;

    private volatile bool _initialized;
    private volatile bool _disposing;
    private volatile bool _disposed;
    private SqliteFileIdentity? _fileIdentity;

    // Set once the file at the path is no longer the one opened: why, for every refused read and write.
    private volatile string? _fileLost;

    // Whether the writer's last transaction failed; the latest failure of any transaction, and when (a timestamp).
    private volatile bool _writesFailing;
    private volatile string? _lastWriteFailure;
    private long _lastWriteFailedAt;

    /// <summary>Initializes a new instance of the <see cref="SqlitePostbackStore"/> class. Nothing is opened until first use.</summary>
    /// <param name="options">The options; they are copied, so later changes have no effect.</param>
    /// <param name="timeProvider">Measures transaction durations for the logs; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="logger">The logger, or <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentException">The options are invalid (the message names each problem).</exception>
    public SqlitePostbackStore(SqlitePostbackStoreOptions options, TimeProvider? timeProvider = null, ILogger<SqlitePostbackStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = SqlitePostbackStoreOptionsValidator.GetFailures(options);
        if (failures.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", failures), nameof(options));
        }

        _options = options.Clone();
        _dataSource = Path.GetFullPath(_options.DataSource!);
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _batchFailures = new LogThrottle(_timeProvider);
        _readFailures = new LogThrottle(_timeProvider);

        // Microsoft.Data.Sqlite retries a busy database for DefaultTimeout (whole seconds); busy_timeout (below) is SQLite's own wait.
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = _dataSource,
            Mode = SqliteOpenMode.ReadWrite,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(_options.BusyTimeout.TotalSeconds)),
        };
        _readConnectionString = builder.ToString();
        builder.Pooling = false;
        builder.ForeignKeys = true;

        // Only the first open may create the file: a writer reopening after a failure must not put a new, empty database
        // where the old one went missing.
        _writeConnectionString = builder.ToString();
        builder.Mode = SqliteOpenMode.ReadWriteCreate;
        _createConnectionString = builder.ToString();

        Sets = new SqliteSetStore(this);
        Campaigns = new SqliteCampaignStore(this);
        Clicks = new SqliteClickStore(this);
        Ingest = new SqliteIngestStore(this);
        Log = new SqliteLogStore(this);
        Outbox = new SqliteOutboxStore(this);
        ForwardingRules = new SqliteForwardingRuleStore(this);
        Reconciliations = new SqliteReconciliationStore(this);
        Storage = new PostbackStorage(Sets, Campaigns, Clicks, Ingest, Log, Outbox, ForwardingRules, Reconciliations);
    }

    /// <summary>Gets every role of this store together, as the SDK's services use them.</summary>
    public PostbackStorage Storage { get; }

    /// <summary>Gets the postback sets and their tokens.</summary>
    public PostbackSetStore Sets { get; }

    /// <summary>Gets the campaigns.</summary>
    public CampaignStore Campaigns { get; }

    /// <summary>Gets the clicks.</summary>
    public ClickStore Clicks { get; }

    /// <summary>Gets the batched append of processed postbacks (<see cref="IngestStore.PreferredBatchSize"/> is <see cref="SqlitePostbackStoreOptions.MaxBatchSize"/>) and the reads of conversions.</summary>
    public IngestStore Ingest { get; }

    /// <summary>Gets the postback log and the stats figures.</summary>
    public PostbackLogStore Log { get; }

    /// <summary>Gets the forwarding outbox.</summary>
    public OutboxStore Outbox { get; }

    /// <summary>Gets the forwarding rules.</summary>
    public ForwardingRuleStore ForwardingRules { get; }

    /// <summary>Gets the reconciliation layouts and kept reports.</summary>
    public ReconciliationStore Reconciliations { get; }

    /// <summary>Gets the largest number of records one transaction holds.</summary>
    internal int MaxBatchSize => _options.MaxBatchSize;

    /// <summary>
    /// Opens the database (creating it when <see cref="SqlitePostbackStoreOptions.CreateIfMissing"/> allows), enables the
    /// write-ahead log and applies the schema migrations it lacks. Called on first use; call it at startup to fail early.
    /// Concurrent calls migrate once; after a failure a later call tries again.
    /// </summary>
    /// <param name="cancellationToken">Cancels waiting for a concurrent initialization.</param>
    /// <returns>A task that completes when the store is ready.</returns>
    /// <exception cref="PostbackStoreUnavailableException">The database cannot be opened or written.</exception>
    /// <exception cref="InvalidOperationException">
    /// The database was created by a newer version of this package, or there is none and
    /// <see cref="SqlitePostbackStoreOptions.CreateIfMissing"/> is off.
    /// </exception>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    public Task InitializeAsync(CancellationToken cancellationToken = default) =>
        _initialized ? Task.CompletedTask : InitializeCoreAsync(cancellationToken);

    /// <summary>
    /// Checks that the store can serve requests: the database can be read, the file at the path is the one the store
    /// opened, and writes succeed. The check fails while a transaction of the writer failed (a full disk, a lock held by
    /// another process) less than five seconds ago, whatever committed since: a disk with room for some small transactions
    /// and not for others fails postbacks too. When the last transaction failed longer ago, or the file at the path looks
    /// changed, the check asks the writer to commit a probe the size of a few postbacks (a 64 KiB row written and deleted
    /// in one transaction: nothing stays) and fails unless it commits, so the check recovers without traffic.
    /// <see cref="Ingest"/>'s <see cref="IngestStore.CheckHealthAsync"/> is this check.
    /// </summary>
    /// <param name="cancellationToken">Cancels the operation (not a probe already queued).</param>
    /// <returns>A task that completes when the store answered.</returns>
    /// <exception cref="PostbackStoreUnavailableException">The store cannot read or cannot write; the message says why.</exception>
    public async ValueTask CheckHealthAsync(CancellationToken cancellationToken = default)
    {
        await ReadAsync(static (connection, _) => ExecuteScalar(connection, "SELECT count(*) FROM sqlite_schema"), cancellationToken).ConfigureAwait(false);

        // Reads say nothing of writes. A failed transaction is the best evidence while it is fresh; after that, or when the
        // file looks changed, a probe decides: small enough to be cheap, large enough that a disk with room for a page or
        // two in the write-ahead log is not taken for a working one.
        if (_lastWriteFailure is { } failure && _timeProvider.GetElapsedTime(Interlocked.Read(ref _lastWriteFailedAt)) < FreshWriteFailure)
        {
            throw new PostbackStoreUnavailableException(failure) { RetryAfter = RetryAfter };
        }

        if (_writesFailing || _fileIdentity?.IsInPlace(withCompanions: false, out _) == false)
        {
            await WriteAsync(static session => session.Command(HealthProbeSql).ExecuteNonQuery(), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops accepting writes, commits the queued ones, checkpoints the write-ahead log and closes the database.</summary>
    /// <returns>A task that completes when the store is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        // A second caller waits for the first to finish.
        await _lifecycleLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposing)
            {
                return;
            }

            _disposing = true;

            // Waits for a write under way, then commits what is still queued: nothing is queued after this.
            await _writerLock.WaitAsync().ConfigureAwait(false);
            try
            {
                DrainQueue();
                if (_writeConnection is { } connection)
                {
                    Checkpoint(connection);
                    CloseWriteConnection();
                }
            }
            finally
            {
                // A write that got past the shutdown check as disposal began is answered as unavailable, not left queued.
                ReleaseWriter();
            }

            ClearReadPool();

            // Last: closing it earlier would release SQLite's locks on the file (see SqliteFileIdentity).
            _fileIdentity?.Dispose();
            _disposed = true;
            if (_initialized)
            {
                SqliteLog.Stopped(_logger, _dataSource);
            }
        }
        finally
        {
            _lifecycleLock.Release();
        }
    }

    /// <summary>
    /// Like <see cref="DisposeAsync"/>, blocking until the queued writes are committed. Prefer <see cref="DisposeAsync"/>;
    /// this exists so a container disposed synchronously can still close the store.
    /// </summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Runs <paramref name="read"/> on a pooled read connection; database errors become <see cref="PostbackStoreUnavailableException"/>.</summary>
    /// <typeparam name="T">The result's type.</typeparam>
    /// <param name="read">The read; it may throw <see cref="OperationCanceledException"/> with the token it is given.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The read's result.</returns>
    internal async ValueTask<T> ReadAsync<T>(Func<SqliteConnection, CancellationToken, T> read, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        ObjectDisposedException.ThrowIf(_disposed, this);
        ThrowIfFileLost();
        try
        {
            using var connection = new SqliteConnection(_readConnectionString);
            connection.Open();
            return read(connection, cancellationToken);
        }
        catch (SqliteException ex)
        {
            if (_readFailures.ShouldLog(out var failures))
            {
                SqliteLog.ReadFailed(_logger, _dataSource, failures, ex);
            }

            throw new PostbackStoreUnavailableException($"The SQLite postback store could not be read: {ex.Message}", ex) { RetryAfter = RetryAfter };
        }
    }

    /// <summary>A command on <paramref name="connection"/>, for reads; the caller disposes it.</summary>
    /// <param name="connection">The connection.</param>
    /// <param name="sql">The statement.</param>
    /// <returns>The command.</returns>
    internal static SqliteCommand Command(SqliteConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    private async Task InitializeCoreAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposing, this);
        await _lifecycleLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_initialized)
            {
                return;
            }

            ObjectDisposedException.ThrowIf(_disposing, this);
            if (!_options.CreateIfMissing && !File.Exists(_dataSource))
            {
                throw new InvalidOperationException(MissingDatabaseMessage("does not exist"));
            }

            SqliteConnection? connection = null;
            try
            {
                connection = OpenWriteConnection(enableWal: true, create: _options.CreateIfMissing);
                Migrate(connection);
                _fileIdentity = SqliteFileIdentity.Open(_dataSource);
            }
            catch (SqliteException ex)
            {
                connection?.Dispose();
                SqliteLog.InitializationFailed(_logger, _dataSource, ex);
                throw new PostbackStoreUnavailableException($"The SQLite postback store '{_dataSource}' could not be opened: {ex.Message}", ex)
                {
                    RetryAfter = RetryAfter,
                };
            }
            catch
            {
                connection?.Dispose();
                throw;
            }

            _writeConnection = connection;
            _initialized = true;
        }
        finally
        {
            _lifecycleLock.Release();
        }
    }

    private SqliteConnection OpenWriteConnection(bool enableWal, bool create = false)
    {
        var connection = new SqliteConnection(create ? _createConnectionString : _writeConnectionString);
        try
        {
            connection.Open();
            if (enableWal)
            {
                // The journal mode is kept in the file; setting it again is a no-op.
                var mode = Convert.ToString(ExecuteScalar(connection, "PRAGMA journal_mode = WAL"), CultureInfo.InvariantCulture);
                if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
                {
                    throw new InvalidOperationException(
                        $"The SQLite postback store '{_dataSource}' could not switch to write-ahead logging (journal mode is '{mode}'); is the file on a network share?");
                }
            }

            var synchronous = _options.Synchronous switch
            {
                SqliteSynchronousMode.Normal => "NORMAL",
                SqliteSynchronousMode.Extra => "EXTRA",
                _ => "FULL",
            };
            ExecuteNonQuery(connection, "PRAGMA synchronous = " + synchronous);

            // SQLite journals the pages a savepoint or statement changes so that it can roll them back. With the default
            // temp_store that journal is a temporary file: a write system call per page, the writer's largest cost under
            // load when every write had its own savepoint. In memory it costs a copy; it lives only until the batch's
            // transaction ends, and durability does not depend on it (the write-ahead log is unchanged).
            ExecuteNonQuery(connection, "PRAGMA temp_store = MEMORY");
            ExecuteNonQuery(connection, string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {(long)_options.BusyTimeout.TotalMilliseconds}"));
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void Migrate(SqliteConnection connection)
    {
        // BEGIN IMMEDIATE: two processes starting at once migrate one after the other, the second finding nothing to do.
        using var transaction = connection.BeginTransaction(deferred: false);
        var version = Convert.ToInt32(ExecuteScalar(connection, "PRAGMA user_version", transaction), CultureInfo.InvariantCulture);
        if (version > SqliteSchema.LatestVersion)
        {
            throw new InvalidOperationException(
                $"The SQLite postback store '{_dataSource}' is at schema version {version}, newer than this version of Chatterfy.Postbacks.Sqlite knows ({SqliteSchema.LatestVersion}). Upgrade the package.");
        }

        if (version == 0)
        {
            // An empty file (just created, or empty when found) gets the whole schema: a new database.
            if (!_options.CreateIfMissing)
            {
                throw new InvalidOperationException(MissingDatabaseMessage("holds no postback store schema"));
            }

            SqliteLog.DatabaseCreated(_logger, _dataSource);
        }

        foreach (var migration in SqliteSchema.Migrations)
        {
            if (migration.Version <= version)
            {
                continue;
            }

            ExecuteNonQuery(connection, migration.Sql, transaction);
            migration.Fill?.Invoke(connection, transaction);
            ExecuteNonQuery(connection, string.Create(CultureInfo.InvariantCulture, $"PRAGMA user_version = {migration.Version}"), transaction);
            SqliteLog.MigrationApplied(_logger, migration.Version, migration.Description, _dataSource);
        }

        transaction.Commit();
        SqliteLog.SchemaUpToDate(_logger, _dataSource, SqliteSchema.LatestVersion);
    }

    private string MissingDatabaseMessage(string what) =>
        $"The SQLite postback store's database '{_dataSource}' {what}, and Postbacks:Sqlite:CreateIfMissing is false. Put the database back at that path, or set CreateIfMissing to true to start with a new, empty one.";

    private void ClearReadPool()
    {
        using var pooled = new SqliteConnection(_readConnectionString);
        SqliteConnection.ClearPool(pooled);
    }

    private void Checkpoint(SqliteConnection connection)
    {
        try
        {
            ExecuteNonQuery(connection, "PRAGMA wal_checkpoint(TRUNCATE)");
        }
        catch (SqliteException ex)
        {
            SqliteLog.CheckpointFailed(_logger, _dataSource, ex);
        }
    }

    private ValueTask EnsureInitializedAsync(CancellationToken cancellationToken) =>
        _initialized ? ValueTask.CompletedTask : new ValueTask(InitializeCoreAsync(cancellationToken));

    private void ThrowIfFileLost()
    {
        if (_fileLost is { } lost)
        {
            throw new PostbackStoreUnavailableException(lost) { RetryAfter = RetryAfter };
        }
    }

    private static object? ExecuteScalar(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static int ExecuteNonQuery(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command.ExecuteNonQuery();
    }
}
