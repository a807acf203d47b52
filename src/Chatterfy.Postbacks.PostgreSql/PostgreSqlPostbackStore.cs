using Chatterfy.Postbacks.Diagnostics;
using Chatterfy.Postbacks.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;
using static Chatterfy.Postbacks.PostgreSql.PostgreSqlValues;

namespace Chatterfy.Postbacks.PostgreSql;

/// <summary>
/// The PostgreSQL store: one database (a schema of it) that any number of receiver instances share, exposing the store's
/// roles as <see cref="Storage"/>. Appends are batched: each <see cref="IngestStore.AppendAsync"/> batch is one
/// transaction sent in one round trip, with set-based statements. Idempotency is race-free across instances: every
/// batch takes a transaction-scoped advisory lock per idempotency key value, all in ascending order, before it looks
/// for stored conversions with those keys; keys without a window are also held unique by an index.
/// </summary>
/// <remarks>
/// <para>
/// All tables live in <see cref="PostgreSqlPostbackStoreOptions.Schema"/>. Create or upgrade them with
/// <see cref="MigrateAsync"/> (which <c>UsePostgreSql</c> runs at startup when
/// <see cref="PostgreSqlPostbackStoreOptions.CreateSchema"/> is on); <c>docs/storage.md</c> shows the SQL.
/// </para>
/// <para>
/// A database that cannot be reached (connection refused or lost, server shutting down, timeout, or an error PostgreSQL
/// marks as transient) makes members throw <see cref="PostbackStoreUnavailableException"/> with the cause as inner
/// exception, so the receiver answers 503 and the network retries.
/// </para>
/// <para>
/// PostgreSQL keeps times to the microsecond, so sub-microsecond ticks are dropped; <c>text</c> cannot hold U+0000, so the
/// store writes that character as U+FFFD; <c>inet</c> has no IPv6 zone index, so a scope id is dropped.
/// </para>
/// </remarks>
public sealed partial class PostgreSqlPostbackStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger _logger;
    private readonly int _commandTimeoutSeconds;
    private readonly string _schemaName;
    private readonly string _s;
    private readonly long _migrationLockKey;
    private readonly LogThrottle _unavailable;

    /// <summary>Initializes a new instance of the <see cref="PostgreSqlPostbackStore"/> class.</summary>
    /// <param name="dataSource">
    /// The data source to connect through; the caller keeps ownership (<c>UsePostgreSql</c> builds one from
    /// <see cref="PostgreSqlPostbackStoreOptions.ConnectionString"/> and disposes it with the container).
    /// </param>
    /// <param name="options">
    /// The options; <see cref="PostgreSqlPostbackStoreOptions.Schema"/> and
    /// <see cref="PostgreSqlPostbackStoreOptions.CommandTimeout"/> are read once, here.
    /// </param>
    /// <param name="logger">The logger, or <see langword="null"/> for none.</param>
    /// <param name="timeProvider">
    /// Paces the log while the database is unavailable (one line per interval, with a count);
    /// <see cref="TimeProvider.System"/> when <see langword="null"/>.
    /// </param>
    /// <exception cref="ArgumentException">The schema name or command timeout is invalid.</exception>
    public PostgreSqlPostbackStore(NpgsqlDataSource dataSource, PostgreSqlPostbackStoreOptions options, ILogger<PostgreSqlPostbackStore>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(options);
        var failures = PostgreSqlPostbackStoreOptionsValidator.CheckStoreValues(options);
        if (failures.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", failures), nameof(options));
        }

        _dataSource = dataSource;
        _logger = logger ?? NullLogger<PostgreSqlPostbackStore>.Instance;
        _unavailable = new LogThrottle(timeProvider ?? TimeProvider.System);
        _commandTimeoutSeconds = (int)Math.Ceiling(options.CommandTimeout.TotalSeconds);
        _schemaName = options.Schema;
        _s = PostgreSqlSchema.Quote(options.Schema);
        _migrationLockKey = LockKey("migrations", "");
        Storage = new PostbackStorage(
            new PostgreSqlSetStore(this),
            new PostgreSqlCampaignStore(this),
            new PostgreSqlClickStore(this),
            new PostgreSqlIngestStore(this),
            new PostgreSqlLogStore(this),
            new PostgreSqlOutboxStore(this, _logger),
            new PostgreSqlForwardingRuleStore(this),
            new PostgreSqlReconciliationStore(this));
    }

    /// <summary>Gets the schema that holds the store's tables.</summary>
    public string Schema => _schemaName;

    /// <summary>Gets the store's roles over this database: what <c>UsePostgreSql</c> registers.</summary>
    public PostbackStorage Storage { get; }

    /// <summary>Gets the schema name, quoted for SQL.</summary>
    internal string QuotedSchema => _s;

    // ------------------------------------------------------------------ schema

    /// <summary>
    /// Creates the schema and its tables, or upgrades them to the version this store needs. Safe to run from many instances
    /// at once: a transaction-scoped advisory lock lets one apply the migrations while the others wait, then find nothing
    /// to do.
    /// </summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>How many migrations this call applied (0 when the schema was already current).</returns>
    /// <exception cref="PostbackStoreUnavailableException">The database cannot be reached.</exception>
    /// <exception cref="InvalidOperationException">The database's schema is newer than this version of the store.</exception>
    public async Task<int> MigrateAsync(CancellationToken cancellationToken = default)
    {
        return await RunAsync(
            async (connection, ct) =>
            {
                var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
                await using (transaction.ConfigureAwait(false))
                {
                    await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock($1)", ct, Param(NpgsqlDbType.Bigint, _migrationLockKey)).ConfigureAwait(false);
                    var exists = (bool)(await ScalarAsync(connection, transaction, "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)", ct, Text(_schemaName)).ConfigureAwait(false))!;
                    if (!exists)
                    {
                        // Not IF NOT EXISTS: that still needs the CREATE privilege on the database when the schema exists.
                        await ExecuteAsync(connection, transaction, $"CREATE SCHEMA {_s}", ct).ConfigureAwait(false);
                    }

                    await ExecuteAsync(connection, transaction, Render(PostgreSqlSchema.VersionTable), ct).ConfigureAwait(false);
                    var version = await ReadVersionAsync(connection, transaction, ct).ConfigureAwait(false);
                    var applied = 0;
                    for (var next = version + 1; next <= PostgreSqlSchema.CurrentVersion; next++)
                    {
                        await ExecuteAsync(connection, transaction, Render(PostgreSqlSchema.Migrations[next - 1]), ct).ConfigureAwait(false);
                        await ExecuteAsync(connection, transaction, $"INSERT INTO {_s}.schema_version (version) VALUES ($1)", ct, Param(NpgsqlDbType.Integer, next)).ConfigureAwait(false);
                        applied++;
                    }

                    await transaction.CommitAsync(ct).ConfigureAwait(false);
                    for (var v = version + 1; v <= version + applied; v++)
                    {
                        PostgreSqlLog.MigrationApplied(_logger, v, _schemaName);
                    }

                    PostgreSqlLog.SchemaCurrent(_logger, _schemaName, PostgreSqlSchema.CurrentVersion);
                    return applied;
                }
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Checks that the schema exists at the version this store needs (used when the store does not create it).</summary>
    internal async Task VerifySchemaAsync(CancellationToken cancellationToken)
    {
        var version = await RunAsync(
            async (connection, ct) =>
            {
                var exists = await ScalarAsync(connection, null, "SELECT to_regclass($1) IS NOT NULL", ct, Text(_s + ".schema_version")).ConfigureAwait(false);
                return exists is true ? await ReadVersionAsync(connection, null, ct).ConfigureAwait(false) : 0;
            },
            cancellationToken).ConfigureAwait(false);
        if (version != PostgreSqlSchema.CurrentVersion)
        {
            throw new InvalidOperationException(
                $"The PostgreSQL postback store schema {_s} is at version {version}, but this version of the store needs version {PostgreSqlSchema.CurrentVersion}. " +
                "Set Postbacks:PostgreSql:CreateSchema to true, or apply the SQL in docs/storage.md.");
        }

        PostgreSqlLog.SchemaCurrent(_logger, _schemaName, version);
    }

    // ------------------------------------------------------------------ health

    /// <summary>
    /// Checks that the store can serve requests: the server answers, and accepts writes (it is not a standby in recovery,
    /// and transactions are not read-only by default). A full disk on the server shows only when a write fails.
    /// </summary>
    internal async ValueTask CheckHealthAsync(CancellationToken cancellationToken)
    {
        var readOnly = await RunAsync(
            async (connection, ct) => (bool)(await ScalarAsync(
                connection,
                null,
                "SELECT pg_is_in_recovery() OR current_setting('transaction_read_only')::boolean",
                ct).ConfigureAwait(false))!,
            cancellationToken).ConfigureAwait(false);
        if (readOnly)
        {
            throw new PostbackStoreUnavailableException(
                "The PostgreSQL server accepts no writes: it is read-only (a standby in recovery, or default_transaction_read_only is on).");
        }
    }
}
