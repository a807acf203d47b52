using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace Chatterfy.Postbacks.PostgreSql;

/// <summary>
/// A <see cref="PostbackStore"/> in PostgreSQL, for any number of receiver instances sharing one database. Idempotency is
/// race-free across instances: keys without a window are settled by a unique index, windowed keys by a transaction-scoped
/// advisory lock on the key, and a conversion is written with its log entry in one transaction.
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
public sealed class PostgreSqlPostbackStore : PostbackStore
{
    private const int MaxLogLimit = 1000;
    private const int PurgeChunk = 5000;

    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger _logger;
    private readonly int _commandTimeoutSeconds;
    private readonly string _schemaName;
    private readonly string _s;
    private readonly long _migrationLockKey;

    // SQL rendered once per store, with the quoted schema name.
    private readonly string _setColumns;
    private readonly string _appendPermanentSql;
    private readonly string _appendWindowedSql;
    private readonly string _appendDuplicatePermanentSql;
    private readonly string _appendDuplicateWindowedSql;

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
    /// <exception cref="ArgumentException">The schema name or command timeout is invalid.</exception>
    public PostgreSqlPostbackStore(NpgsqlDataSource dataSource, PostgreSqlPostbackStoreOptions options, ILogger<PostgreSqlPostbackStore>? logger = null)
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
        _commandTimeoutSeconds = (int)Math.Ceiling(options.CommandTimeout.TotalSeconds);
        _schemaName = options.Schema;
        _s = PostgreSqlSchema.Quote(options.Schema);
        _migrationLockKey = LockKey("migrations", "");

        _setColumns = "s.id, s.name, s.network_id, s.campaign_id, s.token, s.settings, s.created_at, s.enabled";
        _appendPermanentSql = AppendSql(windowed: false);
        _appendWindowedSql = AppendSql(windowed: true);
        _appendDuplicatePermanentSql = AppendDuplicateSql(windowed: false);
        _appendDuplicateWindowedSql = AppendDuplicateSql(windowed: true);
    }

    /// <summary>Gets the schema that holds the store's tables.</summary>
    public string Schema => _schemaName;

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
                        Log.MigrationApplied(_logger, v, _schemaName);
                    }

                    Log.SchemaCurrent(_logger, _schemaName, PostgreSqlSchema.CurrentVersion);
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

        Log.SchemaCurrent(_logger, _schemaName, version);
    }

    // -------------------------------------------------------------------- sets

    /// <inheritdoc />
    public override async ValueTask AddSetAsync(PostbackSet postbackSet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(postbackSet);
        await RunAsync(
            async (connection, ct) =>
            {
                var batch = NewBatch(connection, null);
                await using (batch.ConfigureAwait(false))
                {
                    batch.BatchCommands.Add(Command(
                        $"INSERT INTO {_s}.postback_sets (id, name, network_id, campaign_id, token, settings, created_at, enabled) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                        Text(postbackSet.Id),
                        Text(postbackSet.Name),
                        Text(postbackSet.NetworkId),
                        Text(postbackSet.CampaignId),
                        Text(postbackSet.Token),
                        Jsonb(postbackSet.Settings is { } settings ? JsonText.FromElement(settings) : null),
                        Time(postbackSet.CreatedAt),
                        Param(NpgsqlDbType.Boolean, postbackSet.Enabled)));
                    batch.BatchCommands.Add(Command(
                        $"INSERT INTO {_s}.postback_set_tokens (token, set_id) VALUES ($1, $2)",
                        Text(postbackSet.Token),
                        Text(postbackSet.Id)));
                    await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                    return true;
                }
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async ValueTask<PostbackSet?> GetSetAsync(string setId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(setId);
        return await QuerySingleAsync(
            $"SELECT {_setColumns} FROM {_s}.postback_sets s WHERE s.id = $1 AND NOT s.deleted",
            ReadSet,
            cancellationToken,
            Text(setId)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async ValueTask<PostbackSet?> FindSetByTokenAsync(string token, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        return await QuerySingleAsync(
            $"""
            SELECT {_setColumns}
            FROM {_s}.postback_set_tokens t
            JOIN {_s}.postback_sets s ON s.id = t.set_id
            WHERE t.token = $1
              AND NOT s.deleted
              AND (s.token = $1 OR (s.previous_token = $1 AND s.previous_token_valid_until > $2))
            """,
            ReadSet,
            cancellationToken,
            Text(token),
            Time(now)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async ValueTask<IReadOnlyList<PostbackSet>> ListSetsAsync(CancellationToken cancellationToken)
    {
        return await QueryListAsync(
            $"SELECT {_setColumns} FROM {_s}.postback_sets s WHERE NOT s.deleted ORDER BY s.created_at, s.id",
            ReadSet,
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async ValueTask<PostbackSet?> UpdateSetAsync(PostbackSet postbackSet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(postbackSet);
        return await QuerySingleAsync(
            $"""
            UPDATE {_s}.postback_sets s
            SET name = $2, campaign_id = $3, settings = $4, enabled = $5
            WHERE s.id = $1 AND NOT s.deleted
            RETURNING {_setColumns}
            """,
            ReadSet,
            cancellationToken,
            Text(postbackSet.Id),
            Text(postbackSet.Name),
            Text(postbackSet.CampaignId),
            Jsonb(postbackSet.Settings is { } settings ? JsonText.FromElement(settings) : null),
            Param(NpgsqlDbType.Boolean, postbackSet.Enabled)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async ValueTask<PostbackSet?> RotateTokenAsync(string setId, string newToken, DateTimeOffset? previousTokenValidUntil, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(setId);
        ArgumentNullException.ThrowIfNull(newToken);
        return await RunAsync(
            async (connection, ct) =>
            {
                // One implicit transaction: the new token is reserved only if the set is live and the update happens.
                var batch = NewBatch(connection, null);
                await using (batch.ConfigureAwait(false))
                {
                    batch.BatchCommands.Add(Command(
                        $"INSERT INTO {_s}.postback_set_tokens (token, set_id) SELECT $2, s.id FROM {_s}.postback_sets s WHERE s.id = $1 AND NOT s.deleted",
                        Text(setId),
                        Text(newToken)));
                    batch.BatchCommands.Add(Command(
                        $"""
                        UPDATE {_s}.postback_sets s
                        SET previous_token = s.token, previous_token_valid_until = $3, token = $2
                        WHERE s.id = $1 AND NOT s.deleted
                        RETURNING {_setColumns}
                        """,
                        Text(setId),
                        Text(newToken),
                        Time(previousTokenValidUntil)));
                    var reader = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        // The INSERT returns no rows; the reader starts at the UPDATE's result.
                        return await reader.ReadAsync(ct).ConfigureAwait(false) ? ReadSet(reader) : null;
                    }
                }
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async ValueTask<bool> DeleteSetAsync(string setId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(setId);
        var deleted = await NonQueryAsync(
            $"UPDATE {_s}.postback_sets SET deleted = true WHERE id = $1 AND NOT deleted",
            cancellationToken,
            Text(setId)).ConfigureAwait(false);
        return deleted > 0;
    }

    // ------------------------------------------------------------------ clicks

    /// <inheritdoc />
    public override async ValueTask AddClickAsync(Click click, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(click);
        await RunAsync(
            async (connection, ct) =>
            {
                // One implicit transaction: the click, and the re-crediting of the conversions that were waiting for it.
                var batch = NewBatch(connection, null);
                await using (batch.ConfigureAwait(false))
                {
                    batch.BatchCommands.Add(Command(
                        $"""
                        INSERT INTO {_s}.clicks (id, campaign_id, subject_id, fbclid, fbc, fbp, ip_address, user_agent, event_source_url, created_at, fields)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                        """,
                        Text(click.Id),
                        Text(click.CampaignId),
                        Text(click.SubjectId),
                        Text(click.Fbclid),
                        Text(click.Fbc),
                        Text(click.Fbp),
                        Inet(click.IpAddress),
                        Text(click.UserAgent),
                        Text(click.EventSourceUrl),
                        Time(click.CreatedAt),
                        Jsonb(JsonText.FromDictionary(click.Fields))));
                    batch.BatchCommands.Add(Command(
                        $"""
                        UPDATE {_s}.conversions
                        SET attribution = 'credited', campaign_id = $2
                        WHERE click_id = $1 AND attribution = 'unattributed' AND (campaign_id IS NULL OR campaign_id = $2)
                        """,
                        Text(click.Id),
                        Text(click.CampaignId)));
                    await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                    return true;
                }
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async ValueTask<Click?> FindClickAsync(string clickId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clickId);
        return await QuerySingleAsync(
            $"SELECT id, campaign_id, subject_id, fbclid, fbc, fbp, ip_address, user_agent, event_source_url, created_at, fields FROM {_s}.clicks WHERE id = $1",
            ReadClick,
            cancellationToken,
            Text(clickId)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async ValueTask<bool> ForgetClickPersonalDataAsync(string clickId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clickId);
        var updated = await NonQueryAsync(
            $"UPDATE {_s}.clicks SET ip_address = NULL, user_agent = NULL WHERE id = $1",
            cancellationToken,
            Text(clickId)).ConfigureAwait(false);
        return updated > 0;
    }

    // ------------------------------------------------------------- conversions

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException">
    /// The amount has more than 12 integer or 8 decimal digits (more than <c>AmountParser</c> ever reads), so it could not
    /// be kept exactly.
    /// </exception>
    public override async ValueTask<ConversionAppendResult> AppendConversionAsync(ConversionRecord conversion, PostbackLogEntry logEntry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(conversion);
        ArgumentNullException.ThrowIfNull(logEntry);
        ArgumentNullException.ThrowIfNull(conversion.Conversion);
        ArgumentNullException.ThrowIfNull(conversion.Conversion.IdempotencyKey.Value, nameof(conversion));
        ThrowIfAmountNotExact(conversion.Conversion.Amount);
        return await RunAsync(
            async (connection, ct) =>
            {
                var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
                await using (transaction.ConfigureAwait(false))
                {
                    var result = await AppendConversionInTransactionAsync(connection, transaction, conversion, logEntry, ct).ConfigureAwait(false);
                    await transaction.CommitAsync(ct).ConfigureAwait(false);
                    return result;
                }
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async ValueTask<ConversionRecord?> GetConversionAsync(string conversionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(conversionId);
        return await QuerySingleAsync(
            $"SELECT {ConversionColumns} FROM {_s}.conversions WHERE id = $1",
            ReadConversion,
            cancellationToken,
            Text(conversionId)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async ValueTask<IReadOnlyList<ConversionRecord>> ListConversionsByClickAsync(string clickId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clickId);
        return await QueryListAsync(
            $"SELECT {ConversionColumns} FROM {_s}.conversions WHERE click_id = $1 ORDER BY received_at, id",
            ReadConversion,
            cancellationToken,
            Text(clickId)).ConfigureAwait(false);
    }

    // --------------------------------------------------------------------- log

    /// <inheritdoc />
    public override async ValueTask AppendLogAsync(PostbackLogEntry logEntry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(logEntry);
        ArgumentNullException.ThrowIfNull(logEntry.Request, nameof(logEntry));
        var parameters = LogParameters(logEntry);
        parameters.Add(Text(OutcomeText(logEntry.Outcome)));
        parameters.Add(Text(logEntry.ConversionId));
        await NonQueryAsync(
            $"INSERT INTO {_s}.postback_log ({LogInsertColumns}, outcome, conversion_id) VALUES ({Placeholders(1, LogParameterCount + 2)})",
            cancellationToken,
            [.. parameters]).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async ValueTask<PostbackLogEntry?> GetLogEntryAsync(string logEntryId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(logEntryId);
        return await QuerySingleAsync(
            $"SELECT {LogColumns} FROM {_s}.postback_log l WHERE l.id = $1",
            ReadLogEntry,
            cancellationToken,
            Text(logEntryId)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async ValueTask<IReadOnlyList<PostbackLogEntry>> ListLogAsync(PostbackLogQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Limit, MaxLogLimit, nameof(query));
        var filter = new Filter();
        if (query.SetId is not null)
        {
            filter.Add("l.set_id = {0}", Text(query.SetId));
        }

        if (query.Outcome is { } outcome)
        {
            filter.Add("l.outcome = {0}", Text(OutcomeText(outcome)));
        }

        if (query.BeforeId is not null)
        {
            // Entries after the cursor in (received_at DESC, id DESC) order; an unknown cursor compares with NULL: no rows.
            filter.Add($"(l.received_at, l.id) < (SELECT c.received_at, c.id FROM {_s}.postback_log c WHERE c.id = {{0}})", Text(query.BeforeId));
        }

        var limit = filter.Next(Param(NpgsqlDbType.Integer, query.Limit));
        return await QueryListAsync(
            $"SELECT {LogColumns} FROM {_s}.postback_log l{filter.Where} ORDER BY l.received_at DESC, l.id DESC LIMIT {limit}",
            ReadLogEntry,
            cancellationToken,
            [.. filter.Parameters]).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async ValueTask<int> PurgeLogAsync(DateTimeOffset receivedBefore, CancellationToken cancellationToken)
    {
        // In chunks, so a first purge of a large log neither holds locks for long nor builds one huge transaction.
        var total = 0;
        while (true)
        {
            var purged = await NonQueryAsync(
                $"DELETE FROM {_s}.postback_log WHERE id IN (SELECT id FROM {_s}.postback_log WHERE received_at < $1 LIMIT $2)",
                cancellationToken,
                Time(receivedBefore),
                Param(NpgsqlDbType.Integer, PurgeChunk)).ConfigureAwait(false);
            total += purged;
            if (purged < PurgeChunk)
            {
                return total;
            }
        }
    }

    // ------------------------------------------------------------------- stats

    /// <inheritdoc />
    public override async ValueTask<PostbackStats> GetStatsAsync(PostbackStatsQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return await RunAsync(
            async (connection, ct) =>
            {
                var batch = NewBatch(connection, null);
                await using (batch.ConfigureAwait(false))
                {
                    var conversions = ConversionFilter(query);
                    batch.BatchCommands.Add(Command(
                        $"""
                        SELECT count(*) FILTER (WHERE attribution = 'credited' AND event_kind = 'registration'),
                               count(*) FILTER (WHERE attribution = 'credited' AND event_kind = 'first_deposit'),
                               count(*) FILTER (WHERE attribution = 'credited' AND event_kind = 'deposit'),
                               count(*) FILTER (WHERE attribution = 'unattributed')
                        FROM {_s}.conversions c{conversions.Where}
                        """,
                        [.. conversions.Parameters]));

                    var amounts = ConversionFilter(query);
                    amounts.Add("c.attribution = 'credited' AND c.event_kind IN ('first_deposit', 'deposit') AND c.amount IS NOT NULL AND c.currency IS NOT NULL");
                    batch.BatchCommands.Add(Command(
                        $"""
                        SELECT c.currency,
                               COALESCE(sum(c.amount) FILTER (WHERE c.event_kind = 'first_deposit'), 0),
                               COALESCE(sum(c.amount) FILTER (WHERE c.event_kind = 'deposit'), 0)
                        FROM {_s}.conversions c{amounts.Where}
                        GROUP BY c.currency
                        ORDER BY c.currency
                        """,
                        [.. amounts.Parameters]));

                    var rejected = TimeFilter(query, "l.received_at");
                    rejected.Add("l.outcome = 'rejected'");
                    if (query.SetId is not null)
                    {
                        rejected.Add("l.set_id = {0}", Text(query.SetId));
                    }

                    if (query.CampaignId is not null)
                    {
                        rejected.Add($"EXISTS (SELECT 1 FROM {_s}.postback_sets s WHERE s.id = l.set_id AND s.campaign_id = {{0}})", Text(query.CampaignId));
                    }

                    batch.BatchCommands.Add(Command($"SELECT count(*) FROM {_s}.postback_log l{rejected.Where}", [.. rejected.Parameters]));

                    var clicks = TimeFilter(query, "k.created_at");
                    if (query.CampaignId is not null)
                    {
                        clicks.Add("k.campaign_id = {0}", Text(query.CampaignId));
                    }
                    else if (query.SetId is not null)
                    {
                        // Only a set scoped to a campaign narrows the clicks, to that campaign's.
                        clicks.Add(
                            $"NOT EXISTS (SELECT 1 FROM {_s}.postback_sets s WHERE s.id = {{0}} AND s.campaign_id IS NOT NULL AND s.campaign_id IS DISTINCT FROM k.campaign_id)",
                            Text(query.SetId));
                    }

                    batch.BatchCommands.Add(Command($"SELECT count(*) FROM {_s}.clicks k{clicks.Where}", [.. clicks.Parameters]));

                    var reader = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        await reader.ReadAsync(ct).ConfigureAwait(false);
                        var registrations = reader.GetInt64(0);
                        var firstDeposits = reader.GetInt64(1);
                        var deposits = reader.GetInt64(2);
                        var unattributed = reader.GetInt64(3);

                        await reader.NextResultAsync(ct).ConfigureAwait(false);
                        var totals = new List<CurrencyAmounts>();
                        while (await reader.ReadAsync(ct).ConfigureAwait(false))
                        {
                            totals.Add(new CurrencyAmounts(reader.GetString(0), reader.GetDecimal(1), reader.GetDecimal(2)));
                        }

                        await reader.NextResultAsync(ct).ConfigureAwait(false);
                        await reader.ReadAsync(ct).ConfigureAwait(false);
                        var rejectedCount = reader.GetInt64(0);

                        await reader.NextResultAsync(ct).ConfigureAwait(false);
                        await reader.ReadAsync(ct).ConfigureAwait(false);
                        var clickCount = reader.GetInt64(0);

                        return new PostbackStats
                        {
                            Clicks = clickCount,
                            Registrations = registrations,
                            FirstDeposits = firstDeposits,
                            Deposits = deposits,
                            Unattributed = unattributed,
                            Rejected = rejectedCount,
                            Amounts = totals.AsReadOnly(),
                        };
                    }
                }
            },
            cancellationToken).ConfigureAwait(false);
    }

    // ------------------------------------------------------------------ health

    /// <inheritdoc />
    public override async ValueTask CheckHealthAsync(CancellationToken cancellationToken)
    {
        await RunAsync(
            async (connection, ct) =>
            {
                await ScalarAsync(connection, null, "SELECT 1", ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    // ------------------------------------------------------- append internals

    /// <summary>
    /// Appends a conversion and its log entry inside <paramref name="transaction"/>; the caller commits. Everything an
    /// accepted conversion writes belongs here, in this one transaction.
    /// </summary>
    private async Task<ConversionAppendResult> AppendConversionInTransactionAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        ConversionRecord record,
        PostbackLogEntry logEntry,
        CancellationToken cancellationToken)
    {
        var conversion = record.Conversion;
        var key = conversion.IdempotencyKey;
        var windowed = key.Window is not null;
        var (lower, upper) = windowed ? WindowBounds(conversion.ReceivedAt, key.Window!.Value) : default;

        // A windowed key takes the key's advisory lock exclusively: appends of one key on every instance queue up, so the
        // look-up of an earlier conversion and the insert cannot interleave. A permanent key takes it shared: permanent
        // appends race only through the unique index, and still exclude a windowed append of the same value.
        var batch = NewBatch(connection, transaction);
        await using (batch.ConfigureAwait(false))
        {
            batch.BatchCommands.Add(Command(
                windowed ? "SELECT pg_advisory_xact_lock($1)" : "SELECT pg_advisory_xact_lock_shared($1)",
                Param(NpgsqlDbType.Bigint, LockKey("key", key.Value))));

            var parameters = ConversionParameters(record);
            parameters.AddRange(LogParameters(logEntry));
            parameters.Add(Text(record.Attribution == ConversionAttribution.Credited ? "accepted" : "unattributed"));
            if (windowed)
            {
                parameters.Add(Time(lower));
                parameters.Add(Time(upper));
            }

            batch.BatchCommands.Add(Command(windowed ? _appendWindowedSql : _appendPermanentSql, [.. parameters]));
            var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                // The first result is the lock's (one void row); the second is the append's.
                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return ToResult(reader);
                }
            }
        }

        // No row: a concurrent append of the same permanent key committed first (the insert waited for it on the unique
        // index, then did nothing). This statement sees that commit; log this one as its duplicate.
        var duplicateParameters = LogParameters(logEntry);
        duplicateParameters.Add(Text(key.Value));
        if (windowed)
        {
            duplicateParameters.Add(Time(lower));
            duplicateParameters.Add(Time(upper));
        }

        var command = NewCommand(connection, transaction, windowed ? _appendDuplicateWindowedSql : _appendDuplicatePermanentSql, [.. duplicateParameters]);
        await using (command.ConfigureAwait(false))
        {
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return ToResult(reader);
                }
            }
        }

        throw new InvalidOperationException($"The conversion with idempotency key '{key.Value}' was neither stored nor found as a duplicate.");

        static ConversionAppendResult ToResult(NpgsqlDataReader reader)
        {
            var conversionId = reader.GetString(1);
            return reader.GetString(0) == "duplicate" ? ConversionAppendResult.Duplicate(conversionId) : ConversionAppendResult.Accepted(conversionId);
        }
    }

    /// <summary>
    /// One statement: find the earliest stored conversion with the key (within the window), insert the new one when there
    /// is none, and log the request with what happened. Parameters: the conversion, the log entry, the outcome when
    /// stored, and for a windowed key the open bounds of receive time (see <see cref="AppendConversionInTransactionAsync"/>).
    /// </summary>
    private string AppendSql(bool windowed)
    {
        const int LogFirst = ConversionParameterCount + 1;
        const int OutcomeParameter = ConversionParameterCount + LogParameterCount + 1;
        var window = windowed ? $" AND c.received_at > ${OutcomeParameter + 1} AND c.received_at < ${OutcomeParameter + 2}" : "";
        return $"""
            WITH original AS (
                SELECT c.id FROM {_s}.conversions c
                WHERE c.idempotency_key = ${KeyParameter}{window}
                ORDER BY c.received_at, c.id
                LIMIT 1
            ), inserted AS (
                INSERT INTO {_s}.conversions ({ConversionColumns})
                SELECT {Placeholders(1, ConversionParameterCount)}
                WHERE NOT EXISTS (SELECT 1 FROM original)
                ON CONFLICT (idempotency_key) WHERE idempotency_window IS NULL DO NOTHING
                RETURNING id
            ), result AS (
                SELECT i.id AS conversion_id, ${OutcomeParameter}::text AS outcome FROM inserted i
                UNION ALL
                SELECT o.id, 'duplicate' FROM original o
            )
            INSERT INTO {_s}.postback_log ({LogInsertColumns}, outcome, conversion_id)
            SELECT {Placeholders(LogFirst, LogParameterCount)}, r.outcome, r.conversion_id FROM result r
            RETURNING outcome, conversion_id
            """;
    }

    /// <summary>Logs a duplicate of the earliest conversion with the key. Parameters: the log entry, the key, and for a windowed key the bounds.</summary>
    private string AppendDuplicateSql(bool windowed)
    {
        const int Key = LogParameterCount + 1;
        var window = windowed ? $" AND c.received_at > ${Key + 1} AND c.received_at < ${Key + 2}" : "";
        return $"""
            INSERT INTO {_s}.postback_log ({LogInsertColumns}, outcome, conversion_id)
            SELECT {Placeholders(1, LogParameterCount)}, 'duplicate', o.id
            FROM (
                SELECT c.id FROM {_s}.conversions c
                WHERE c.idempotency_key = ${Key}{window}
                ORDER BY c.received_at, c.id
                LIMIT 1
            ) o
            RETURNING outcome, conversion_id
            """;
    }

    private static (DateTimeOffset Lower, DateTimeOffset Upper) WindowBounds(DateTimeOffset receivedAt, TimeSpan window)
    {
        var utc = receivedAt.ToUniversalTime();
        var lower = utc.UtcTicks - DateTimeOffset.MinValue.UtcTicks > window.Ticks ? utc - window : DateTimeOffset.MinValue;
        var upper = DateTimeOffset.MaxValue.UtcTicks - utc.UtcTicks > window.Ticks ? utc + window : DateTimeOffset.MaxValue;
        return (lower, upper);
    }

    private static void ThrowIfAmountNotExact(decimal? amount)
    {
        if (amount is { } value && (decimal.Round(value, 8) != value || Math.Abs(value) >= 1_000_000_000_000m))
        {
            throw new ArgumentOutOfRangeException(
                nameof(amount),
                value,
                "An amount has at most 12 integer and 8 decimal digits; this one cannot be stored exactly.");
        }
    }

    // ---------------------------------------------------------- row mapping

    private const string ConversionColumns =
        "id, set_id, event_kind, event_name, click_id, amount, currency, transaction_id, attributes, received_at, remote_address, idempotency_key, idempotency_window, attribution, campaign_id";

    private const int ConversionParameterCount = 15;

    // The idempotency key's position among the conversion's parameters.
    private const int KeyParameter = 12;

    private const string LogColumns =
        "l.id, l.received_at, l.set_id, l.outcome, l.code, l.warnings, l.conversion_id, l.request_method, l.request_path, l.request_event_segment, l.request_query_string, l.request_body, l.request_content_type, l.request_remote_address";

    private const string LogInsertColumns =
        "id, received_at, set_id, code, warnings, request_method, request_path, request_event_segment, request_query_string, request_body, request_content_type, request_remote_address";

    private const int LogParameterCount = 12;

    private static List<NpgsqlParameter> ConversionParameters(ConversionRecord record)
    {
        var conversion = record.Conversion;
        return
        [
            Text(record.Id),
            Text(conversion.SetId),
            Text(KindText(conversion.Event.Kind)),
            Text(conversion.Event.Name),
            Text(conversion.ClickId),
            Param(NpgsqlDbType.Numeric, conversion.Amount),
            Text(conversion.Currency),
            Text(conversion.TransactionId),
            Jsonb(JsonText.FromDictionary(conversion.Attributes)),
            Time(conversion.ReceivedAt),
            Inet(conversion.RemoteAddress),
            Text(conversion.IdempotencyKey.Value),
            Param(NpgsqlDbType.Interval, conversion.IdempotencyKey.Window),
            Text(record.Attribution == ConversionAttribution.Credited ? "credited" : "unattributed"),
            Text(record.CampaignId),
        ];
    }

    private static List<NpgsqlParameter> LogParameters(PostbackLogEntry entry)
    {
        var request = entry.Request;
        var warnings = new string[entry.Warnings.Count];
        for (var i = 0; i < warnings.Length; i++)
        {
            warnings[i] = Clean(entry.Warnings[i]);
        }

        return
        [
            Text(entry.Id),
            Time(entry.ReceivedAt),
            Text(entry.SetId),
            Text(entry.Code),
            Param(NpgsqlDbType.Array | NpgsqlDbType.Text, warnings),
            Text(request.Method),
            Text(request.Path),
            Text(request.EventSegment),
            Text(request.QueryString),
            Text(request.Body),
            Text(request.ContentType),
            Inet(request.RemoteAddress),
        ];
    }

    private static PostbackSet ReadSet(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetString(0),
        Name = reader.GetString(1),
        NetworkId = reader.GetString(2),
        CampaignId = NullableString(reader, 3),
        Token = reader.GetString(4),
        Settings = reader.IsDBNull(5) ? null : JsonText.ToElement(reader.GetString(5)),
        CreatedAt = reader.GetFieldValue<DateTimeOffset>(6),
        Enabled = reader.GetBoolean(7),
    };

    private static Click ReadClick(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetString(0),
        CampaignId = NullableString(reader, 1),
        SubjectId = NullableString(reader, 2),
        Fbclid = NullableString(reader, 3),
        Fbc = NullableString(reader, 4),
        Fbp = NullableString(reader, 5),
        IpAddress = reader.IsDBNull(6) ? null : reader.GetFieldValue<IPAddress>(6),
        UserAgent = NullableString(reader, 7),
        EventSourceUrl = NullableString(reader, 8),
        CreatedAt = reader.GetFieldValue<DateTimeOffset>(9),
        Fields = JsonText.ToDictionary(reader.GetString(10)),
    };

    private static ConversionRecord ReadConversion(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetString(0),
        Conversion = new Conversion
        {
            SetId = reader.GetString(1),
            Event = ParseEvent(reader.GetString(2), reader.GetString(3)),
            ClickId = reader.GetString(4),
            Amount = reader.IsDBNull(5) ? null : reader.GetDecimal(5),
            Currency = NullableString(reader, 6),
            TransactionId = NullableString(reader, 7),
            Attributes = JsonText.ToDictionary(reader.GetString(8)),
            ReceivedAt = reader.GetFieldValue<DateTimeOffset>(9),
            RemoteAddress = reader.IsDBNull(10) ? null : reader.GetFieldValue<IPAddress>(10),
            IdempotencyKey = new IdempotencyKey(reader.GetString(11), reader.IsDBNull(12) ? null : reader.GetFieldValue<TimeSpan>(12)),
        },
        Attribution = reader.GetString(13) == "credited" ? ConversionAttribution.Credited : ConversionAttribution.Unattributed,
        CampaignId = NullableString(reader, 14),
    };

    private static PostbackLogEntry ReadLogEntry(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetString(0),
        ReceivedAt = reader.GetFieldValue<DateTimeOffset>(1),
        SetId = reader.GetString(2),
        Outcome = ParseOutcome(reader.GetString(3)),
        Code = NullableString(reader, 4),
        Warnings = Array.AsReadOnly(reader.GetFieldValue<string[]>(5)),
        ConversionId = NullableString(reader, 6),
        Request = new PostbackRequest
        {
            Method = reader.GetString(7),
            Path = reader.GetString(8),
            EventSegment = NullableString(reader, 9),
            QueryString = reader.GetString(10),
            Body = NullableString(reader, 11),
            ContentType = NullableString(reader, 12),
            RemoteAddress = reader.IsDBNull(13) ? null : reader.GetFieldValue<IPAddress>(13),
        },
    };

    private static string? NullableString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static string KindText(PostbackEventKind kind) => kind switch
    {
        PostbackEventKind.Registration => "registration",
        PostbackEventKind.FirstDeposit => "first_deposit",
        PostbackEventKind.Deposit => "deposit",
        PostbackEventKind.Custom => "custom",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown event kind."),
    };

    private static PostbackEvent ParseEvent(string kind, string name) => kind switch
    {
        "registration" => PostbackEvent.Registration,
        "first_deposit" => PostbackEvent.FirstDeposit,
        "deposit" => PostbackEvent.Deposit,
        _ when PostbackEvent.TryParse(name, out var custom) && custom.Kind == PostbackEventKind.Custom => custom,
        _ => throw new InvalidOperationException($"The stored event '{kind}' / '{name}' is not a valid event."),
    };

    private static string OutcomeText(PostbackOutcome outcome) => outcome switch
    {
        PostbackOutcome.Accepted => "accepted",
        PostbackOutcome.Duplicate => "duplicate",
        PostbackOutcome.Unattributed => "unattributed",
        PostbackOutcome.Rejected => "rejected",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Unknown outcome."),
    };

    private static PostbackOutcome ParseOutcome(string outcome) => outcome switch
    {
        "accepted" => PostbackOutcome.Accepted,
        "duplicate" => PostbackOutcome.Duplicate,
        "unattributed" => PostbackOutcome.Unattributed,
        "rejected" => PostbackOutcome.Rejected,
        _ => throw new InvalidOperationException($"The stored outcome '{outcome}' is not valid."),
    };

    // ------------------------------------------------------------- filters

    private static Filter TimeFilter(PostbackStatsQuery query, string column)
    {
        var filter = new Filter();
        if (query.From is { } from)
        {
            filter.Add(column + " >= {0}", Time(from));
        }

        if (query.To is { } to)
        {
            filter.Add(column + " < {0}", Time(to));
        }

        return filter;
    }

    private static Filter ConversionFilter(PostbackStatsQuery query)
    {
        var filter = TimeFilter(query, "c.received_at");
        if (query.SetId is not null)
        {
            filter.Add("c.set_id = {0}", Text(query.SetId));
        }

        if (query.CampaignId is not null)
        {
            filter.Add("c.campaign_id = {0}", Text(query.CampaignId));
        }

        return filter;
    }

    /// <summary>A WHERE clause with positional parameters, built from optional conditions.</summary>
    private sealed class Filter
    {
        private readonly List<string> _conditions = [];

        public List<NpgsqlParameter> Parameters { get; } = [];

        public string Where => _conditions.Count == 0 ? "" : " WHERE " + string.Join(" AND ", _conditions);

        /// <summary>Adds a condition; <c>{0}</c> in it stands for the parameter's placeholder.</summary>
        public void Add(string condition, NpgsqlParameter parameter) =>
            _conditions.Add(condition.Replace("{0}", Next(parameter), StringComparison.Ordinal));

        public void Add(string condition) => _conditions.Add(condition);

        /// <summary>Adds a parameter and returns its placeholder.</summary>
        public string Next(NpgsqlParameter parameter)
        {
            Parameters.Add(parameter);
            return "$" + Parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    // ------------------------------------------------------------ execution

    private async ValueTask<T> RunAsync<T>(
        Func<NpgsqlConnection, CancellationToken, ValueTask<T>> operation,
        CancellationToken cancellationToken,
        [CallerMemberName] string operationName = "")
    {
        try
        {
            var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                return await operation(connection, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new InvalidOperationException(UniqueViolationMessage(ex), ex);
        }
        catch (Exception ex) when (IsUnavailable(ex, cancellationToken))
        {
            Log.Unavailable(_logger, operationName, ex);
            throw new PostbackStoreUnavailableException("The PostgreSQL postback store is unavailable: " + ex.Message, ex);
        }
    }

    private async ValueTask<T?> QuerySingleAsync<T>(string sql, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
        where T : class
    {
        return await RunAsync(
            async (connection, ct) =>
            {
                var command = NewCommand(connection, null, sql, parameters);
                await using (command.ConfigureAwait(false))
                {
                    var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        return await reader.ReadAsync(ct).ConfigureAwait(false) ? read(reader) : null;
                    }
                }
            },
            cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<IReadOnlyList<T>> QueryListAsync<T>(string sql, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        return await RunAsync(
            async (connection, ct) =>
            {
                var command = NewCommand(connection, null, sql, parameters);
                await using (command.ConfigureAwait(false))
                {
                    var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        var rows = new List<T>();
                        while (await reader.ReadAsync(ct).ConfigureAwait(false))
                        {
                            rows.Add(read(reader));
                        }

                        return (IReadOnlyList<T>)rows.AsReadOnly();
                    }
                }
            },
            cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<int> NonQueryAsync(string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        return await RunAsync(
            async (connection, ct) =>
            {
                var command = NewCommand(connection, null, sql, parameters);
                await using (command.ConfigureAwait(false))
                {
                    return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }
            },
            cancellationToken).ConfigureAwait(false);
    }

    private async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        var command = NewCommand(connection, transaction, sql, parameters);
        await using (command.ConfigureAwait(false))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<object?> ScalarAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        var command = NewCommand(connection, transaction, sql, parameters);
        await using (command.ConfigureAwait(false))
        {
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<int> ReadVersionAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        var version = (int)(await ScalarAsync(connection, transaction, $"SELECT COALESCE(max(version), 0) FROM {_s}.schema_version", cancellationToken).ConfigureAwait(false))!;
        if (version > PostgreSqlSchema.CurrentVersion)
        {
            throw new InvalidOperationException(
                $"The PostgreSQL postback store schema {_s} is at version {version}, newer than the version {PostgreSqlSchema.CurrentVersion} this version of the store knows. Upgrade Chatterfy.Postbacks.PostgreSql.");
        }

        return version;
    }

    private NpgsqlCommand NewCommand(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, NpgsqlParameter[] parameters)
    {
#pragma warning disable CA2100 // The SQL is built from constants and the validated, quoted schema name; values are parameters.
        var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = _commandTimeoutSeconds };
#pragma warning restore CA2100
        command.Parameters.AddRange(parameters);
        return command;
    }

    private NpgsqlBatch NewBatch(NpgsqlConnection connection, NpgsqlTransaction? transaction) =>
        new(connection, transaction) { Timeout = _commandTimeoutSeconds };

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private string Render(string sql) => PostgreSqlSchema.Render(sql, _s);

    private static string Placeholders(int first, int count) =>
        string.Join(", ", Enumerable.Range(first, count).Select(i => "$" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private static NpgsqlParameter Param(NpgsqlDbType type, object? value) => new() { NpgsqlDbType = type, Value = value ?? DBNull.Value };

    private static NpgsqlParameter Text(string? value) => Param(NpgsqlDbType.Text, Clean(value));

    private static NpgsqlParameter Jsonb(string? json) => Param(NpgsqlDbType.Jsonb, json);

    private static NpgsqlParameter Time(DateTimeOffset value) => Param(NpgsqlDbType.TimestampTz, value.ToUniversalTime());

    private static NpgsqlParameter Time(DateTimeOffset? value) => Param(NpgsqlDbType.TimestampTz, value?.ToUniversalTime());

    // inet has no zone index: an IPv6 scope id (fe80::1%eth0) would not round-trip, so it is dropped.
    private static NpgsqlParameter Inet(IPAddress? address) =>
        Param(NpgsqlDbType.Inet, address is { AddressFamily: AddressFamily.InterNetworkV6, ScopeId: not 0 } ? new IPAddress(address.GetAddressBytes()) : address);

    /// <summary>PostgreSQL text cannot hold U+0000; it is written as U+FFFD rather than failing the whole write.</summary>
    [return: NotNullIfNotNull(nameof(value))]
    internal static string? Clean(string? value) =>
        value is not null && value.Contains('\0', StringComparison.Ordinal) ? value.Replace('\0', '\uFFFD') : value;

    /// <summary>A stable 64-bit advisory lock id, private to this schema, so two stores in one database never share locks.</summary>
    private long LockKey(string purpose, string value) => LockKey(_schemaName, purpose, value);

    /// <summary>The advisory lock id of <paramref name="value"/> for <paramref name="purpose"/> in <paramref name="schema"/>.</summary>
    internal static long LockKey(string schema, string purpose, string value)
    {
        var text = "Chatterfy.Postbacks.PostgreSql\n" + schema + "\n" + purpose + "\n" + value;
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        return BinaryPrimitives.ReadInt64LittleEndian(hash);
    }

    private static bool IsUnavailable(Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case NpgsqlException { IsTransient: true }:
                case PostgresException pg when pg.SqlState.StartsWith("08", StringComparison.Ordinal)
                    || pg.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow:
                case SocketException:
                case IOException:
                case TimeoutException:
                // The data source was disposed: the host is shutting down.
                case ObjectDisposedException:
                    return true;
                default:
                    break;
            }
        }

        return false;
    }

    private static string UniqueViolationMessage(PostgresException exception) => exception.ConstraintName switch
    {
        "postback_sets_pkey" => "A postback set with that id exists or existed.",
        "postback_set_tokens_pkey" => "The token is or was used by a postback set.",
        "clicks_pkey" => "A click with that id exists.",
        "conversions_pkey" => "A conversion with that id exists.",
        "postback_log_pkey" => "A postback log entry with that id exists.",
        _ => "A unique value is already stored: " + exception.MessageText,
    };
}
