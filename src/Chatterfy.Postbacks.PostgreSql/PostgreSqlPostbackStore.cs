using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Diagnostics;
using Chatterfy.Postbacks.Forwarding;
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
public sealed partial class PostgreSqlPostbackStore : PostbackStore
{
    private const int MaxLogLimit = 1000;
    private const int PurgeChunk = 5000;

    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger _logger;
    private readonly int _commandTimeoutSeconds;
    private readonly string _schemaName;
    private readonly string _s;
    private readonly long _migrationLockKey;
    private readonly LogThrottle _unavailable;

    private const string SetColumns = "s.id, s.name, s.network_id, s.campaign_id, s.token, s.settings, s.created_at, s.enabled";

    // SQL rendered once per store, with the quoted schema name.
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
            $"SELECT {SetColumns} FROM {_s}.postback_sets s WHERE s.id = $1 AND NOT s.deleted",
            ReadSet,
            cancellationToken,
            Text(setId)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async ValueTask<bool> IsSetIdUsedAsync(string setId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(setId);

        // A deleted set keeps its row (deleted = true).
        return await QuerySingleAsync(
            $"SELECT s.id FROM {_s}.postback_sets s WHERE s.id = $1",
            reader => reader.GetString(0),
            cancellationToken,
            Text(setId)).ConfigureAwait(false) is not null;
    }

    /// <inheritdoc />
    public override async ValueTask<PostbackSet?> FindSetByTokenAsync(string token, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        return await QuerySingleAsync(
            $"""
            SELECT {SetColumns}
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
            $"SELECT {SetColumns} FROM {_s}.postback_sets s WHERE NOT s.deleted ORDER BY s.created_at, s.id",
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
            RETURNING {SetColumns}
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
                        RETURNING {SetColumns}
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
    public override async ValueTask<ConversionAppendResult> AppendConversionAsync(ConversionRecord conversion, PostbackLogEntry logEntry, IReadOnlyList<OutboxMessage> outboxMessages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(conversion);
        ArgumentNullException.ThrowIfNull(logEntry);
        ArgumentNullException.ThrowIfNull(conversion.Conversion);
        ArgumentNullException.ThrowIfNull(conversion.Conversion.IdempotencyKey.Value, nameof(conversion));
        ThrowIfAmountNotExact(conversion.Conversion.Amount);
        ArgumentNullException.ThrowIfNull(outboxMessages);
        ValidateNewOutboxMessages(conversion.Id, outboxMessages);
        OutboxMessage[] messages = [.. outboxMessages];
        return await RunAsync(
            async (connection, ct) =>
            {
                var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
                await using (transaction.ConfigureAwait(false))
                {
                    var result = await AppendConversionInTransactionAsync(connection, transaction, conversion, logEntry, messages, ct).ConfigureAwait(false);
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

    /// <summary>
    /// Checks that the store can serve requests: the server answers, and accepts writes (it is not a standby in recovery,
    /// and transactions are not read-only by default). A full disk on the server shows only when a write fails.
    /// </summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the store answered.</returns>
    /// <exception cref="PostbackStoreUnavailableException">The server cannot be reached, or accepts no writes.</exception>
    public override async ValueTask CheckHealthAsync(CancellationToken cancellationToken)
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
