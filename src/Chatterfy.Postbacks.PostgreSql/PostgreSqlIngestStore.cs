using Chatterfy.Postbacks.Currencies;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Reconciliation;
using Chatterfy.Postbacks.Storage;
using Npgsql;
using static Chatterfy.Postbacks.PostgreSql.PostgreSqlValues;

namespace Chatterfy.Postbacks.PostgreSql;

/// <summary>
/// Ingestion in PostgreSQL: each <see cref="IngestStore.AppendAsync"/> batch is one transaction, sent in one round trip
/// as a few set-based statements (see <see cref="PostgreSqlIngestStore"/>.Append.cs), and the reads of conversions.
/// </summary>
internal sealed partial class PostgreSqlIngestStore : IngestStore
{
    /// <summary>The purpose of the advisory lock taken per click id while its deposits are numbered (append and late credit).</summary>
    internal const string ClickLockPurpose = "click";

    /// <summary>The most records the store asks the core to gather into one append: one transaction, one round trip.</summary>
    internal const int BatchSize = 256;

    /// <summary>The columns of a conversion, in the order <see cref="Read"/> reads them and the append writes them.</summary>
    private const string Columns =
        "id, set_id, event_kind, event_name, click_id, amount, currency, transaction_id, attributes, received_at, remote_address, idempotency_key, idempotency_window, attribution, campaign_id, attribution_window_passed, " +
        "reporting_amount, reporting_currency, reporting_rate, reporting_rate_date, deposit_number, status, status_word, status_word_unknown";

    /// <summary>The columns of a conversion as reconciliation reads it, in the order <see cref="ReadToReconcile"/> reads them.</summary>
    private const string ReconciledColumns = "id, click_id, event_kind, event_name, amount, currency, transaction_id, received_at";

    private const string HistoryColumns = "id, conversion_id, at, from_status, to_status, word, log_entry_id";

    /// <summary><see cref="Columns"/> of the table aliased <c>c</c>.</summary>
    private static readonly string PrefixedColumns = string.Join(", ", Columns.Split(", ").Select(c => "c." + c));

    private readonly PostgreSqlPostbackStore _db;
    private readonly string _s;

    // The lock ids of key values: PostgreSqlPostbackStore.LockKey(schema, "key", value), with the prefix encoded once.
    private readonly byte[] _keyLockPrefix;

    // The lock ids of click ids whose deposits are numbered: PostgreSqlPostbackStore.LockKey(schema, "click", value).
    private readonly byte[] _clickLockPrefix;

    public PostgreSqlIngestStore(PostgreSqlPostbackStore db)
    {
        _db = db;
        _s = db.QuotedSchema;
        _appendSql = AppendSql();
        _rollupLockSql = PostgreSqlConversionRollups.LockSql(_s);
        _keyLockPrefix = System.Text.Encoding.UTF8.GetBytes("Chatterfy.Postbacks.PostgreSql\n" + db.Schema + "\nkey\n");
        _clickLockPrefix = System.Text.Encoding.UTF8.GetBytes("Chatterfy.Postbacks.PostgreSql\n" + db.Schema + "\n" + ClickLockPurpose + "\n");
    }

    /// <inheritdoc />
    /// <value>256: a batch is one transaction and one round trip, whatever its size.</value>
    public override int PreferredBatchSize => BatchSize;

    /// <summary>Gets the database the roles share.</summary>
    internal PostgreSqlPostbackStore Database => _db;

    /// <inheritdoc />
    public override ValueTask CheckHealthAsync(CancellationToken cancellationToken) => _db.CheckHealthAsync(cancellationToken);

    protected override async ValueTask<ConversionRecord?> GetConversionCoreAsync(string conversionId, CancellationToken cancellationToken) =>
        await _db.QuerySingleAsync($"SELECT {Columns} FROM {_s}.conversions WHERE id = $1", Read, [Text(conversionId)], cancellationToken).ConfigureAwait(false) is { } found
            ? (await WithHistoryAsync([found], cancellationToken).ConfigureAwait(false))[0]
            : null;

    protected override async ValueTask<IReadOnlyList<ConversionRecord>> ListConversionsByClickCoreAsync(string clickId, CancellationToken cancellationToken) =>
        await WithHistoryAsync(
            await _db.QueryListAsync(
                $"SELECT {Columns} FROM {_s}.conversions WHERE click_id = $1 ORDER BY received_at, id",
                Read,
                [Text(clickId)],
                cancellationToken).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);

    protected override async ValueTask<bool> ChangeStatusCoreAsync(StatusChangeRecord change, CancellationToken cancellationToken)
    {
        // One statement, so one transaction: the compare-and-set UPDATE (a concurrent change of the row makes it wait, then
        // re-check the status, so of two changes from one status only one updates), then the history entry, the outbox
        // messages and the log entry, only when it updated.
        var entry = change.Change;
        var log = change.LogEntry;
        var request = log.Request;
        var sql = $"""
            WITH updated AS (
                UPDATE {_s}.conversions SET status = $1, status_word = $2, status_word_unknown = $3
                WHERE id = $4 AND status = $5
                RETURNING id, received_at, set_id, campaign_id, event_kind, attribution, currency, COALESCE(amount, 0) AS amount,
                          reporting_currency, COALESCE(reporting_amount, 0) AS reporting_amount,
                          {PostgreSqlConversionRollups.BucketOf("deposit_number")} AS deposit_bucket
            ), changes AS (
                -- The conversion leaves its old status's roll-up row for the new one's (one upsert, in key order).
                SELECT {PostgreSqlConversionRollups.DayOf("received_at")} AS day, set_id, campaign_id, event_kind, attribution, currency,
                       reporting_currency, deposit_bucket, $5::text AS status, -1::bigint AS count, -amount AS amount, -reporting_amount AS reporting_amount
                FROM updated
                UNION ALL
                SELECT {PostgreSqlConversionRollups.DayOf("received_at")}, set_id, campaign_id, event_kind, attribution, currency,
                       reporting_currency, deposit_bucket, $1::text, 1::bigint, amount, reporting_amount
                FROM updated
            ), rolled AS (
                {PostgreSqlConversionRollups.UpsertSql(_s, "changes")}
            ), history AS (
                INSERT INTO {_s}.conversion_status_history ({HistoryColumns})
                SELECT $6, id, $7, $5, $1, $2, $8 FROM updated
            ), logged AS (
                INSERT INTO {_s}.postback_log (id, received_at, set_id, outcome, code, warnings, conversion_id, request_method, request_path,
                                               request_event_segment, request_query_string, request_body, request_content_type, request_remote_address)
                SELECT $8, $9, $10, '{StoredWords.Of(PostbackOutcome.Changed)}', NULL, $11, id, $12, $13, $14, $15, $16, $17, $18 FROM updated
            ), messages AS (
                INSERT INTO {_s}.outbox_messages ({PostgreSqlOutboxStore.Columns})
                SELECT m.* FROM unnest(
                    $19::text[], $20::text[], $21::text[], $22::text[], $23::timestamptz[], $24::text[], $25::timestamptz[],
                    $26::timestamptz[], $27::integer[], $28::text[], $29::text[], $30::timestamptz[], $31::text[], $32::timestamptz[], $33::text[])
                AS m({PostgreSqlOutboxStore.Columns})
                WHERE EXISTS (SELECT 1 FROM updated)
            )
            SELECT count(*) FROM updated
            """;
        var parameters = new List<Npgsql.NpgsqlParameter>
        {
            Text(StoredWords.Of(entry.To)),
            Text(entry.Word),
            Param(NpgsqlTypes.NpgsqlDbType.Boolean, change.WordUnknown),
            Text(entry.ConversionId),
            Text(StoredWords.Of(entry.From)),
            Text(entry.Id),
            Param(NpgsqlTypes.NpgsqlDbType.TimestampTz, entry.At.UtcDateTime),
            Text(entry.LogEntryId),
            Param(NpgsqlTypes.NpgsqlDbType.TimestampTz, log.ReceivedAt.UtcDateTime),
            Text(log.SetId),
            ArrayOf(NpgsqlTypes.NpgsqlDbType.Text, log.Warnings.Select(Clean).ToArray()),
            Text(request.Method),
            Text(request.Path),
            Text(request.EventSegment),
            Text(request.QueryString),
            Text(request.Body),
            Text(request.ContentType),
            Param(NpgsqlTypes.NpgsqlDbType.Inet, InetValue(request.RemoteAddress)),
        };
        // The outbox messages' arrays, as the append builds them ($19-$32), and their history entry ids ($33).
        var holder = new Npgsql.NpgsqlBatchCommand();
        AddMessageParameters(holder.Parameters, [.. change.OutboxMessages]);
        var messageParameters = holder.Parameters.ToArray();
        holder.Parameters.Clear();
        parameters.AddRange(messageParameters);
        parameters.Add(ArrayOf(NpgsqlTypes.NpgsqlDbType.Text, change.OutboxMessages.Select(m => Clean(m.HistoryEntryId)).ToArray()));

        try
        {
            var counts = await _db.QueryListAsync(sql, reader => reader.GetInt64(0), [.. parameters], cancellationToken).ConfigureAwait(false);
            return counts[0] == 1;
        }
        catch (Npgsql.PostgresException ex) when (IsRecordFailure(ex))
        {
            throw RecordFailure(ex);
        }
    }

    // Fills each conversion's status history (one query for the list).
    private async ValueTask<IReadOnlyList<ConversionRecord>> WithHistoryAsync(IReadOnlyList<ConversionRecord> conversions, CancellationToken cancellationToken)
    {
        if (conversions.Count == 0)
        {
            return conversions;
        }

        var changes = await _db.QueryListAsync(
            $"SELECT {HistoryColumns} FROM {_s}.conversion_status_history WHERE conversion_id = ANY($1) ORDER BY conversion_id, at, id",
            reader => new ConversionStatusChange
            {
                Id = reader.GetString(0),
                ConversionId = reader.GetString(1),
                At = reader.GetFieldValue<DateTimeOffset>(2),
                From = StoredWords.ParseConversionStatus(reader.GetString(3)),
                To = StoredWords.ParseConversionStatus(reader.GetString(4)),
                Word = reader.GetString(5),
                LogEntryId = reader.GetString(6),
            },
            [ArrayOf(NpgsqlTypes.NpgsqlDbType.Text, conversions.Select(c => Clean(c.Id)).ToArray())],
            cancellationToken).ConfigureAwait(false);
        if (changes.Count == 0)
        {
            return conversions;
        }

        var byConversion = changes.GroupBy(c => c.ConversionId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (IReadOnlyList<ConversionStatusChange>)[.. g], StringComparer.Ordinal);
        return [.. conversions.Select(c => byConversion.TryGetValue(c.Id, out var history) ? c with { History = history } : c)];
    }

    // Only what reconciliation matches on (ReconciledColumns).
    private static ReconciledConversion ReadToReconcile(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        ReadEvent(reader.GetString(2), reader.GetString(3)).Name,
        reader.IsDBNull(4) ? null : reader.GetDecimal(4),
        NullableString(reader, 5),
        NullableString(reader, 6),
        reader.GetFieldValue<DateTimeOffset>(7));

    private static ConversionRecord Read(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetString(0),
        Conversion = new Conversion
        {
            SetId = reader.GetString(1),
            Event = ReadEvent(reader.GetString(2), reader.GetString(3)),
            ClickId = reader.GetString(4),
            Amount = reader.IsDBNull(5) ? null : reader.GetDecimal(5),
            Currency = NullableString(reader, 6),
            TransactionId = NullableString(reader, 7),
            Attributes = PostgreSqlJsonText.ToDictionary(reader.GetString(8)),
            ReceivedAt = reader.GetFieldValue<DateTimeOffset>(9),
            RemoteAddress = NullableInet(reader, 10),
            IdempotencyKey = new IdempotencyKey(reader.GetString(11), reader.IsDBNull(12) ? null : reader.GetFieldValue<TimeSpan>(12)),
        },
        Attribution = StoredWords.ParseAttribution(reader.GetString(13)),
        CampaignId = NullableString(reader, 14),
        AttributionWindowPassed = reader.GetBoolean(15),
        ReportingAmount = reader.IsDBNull(16)
            ? null
            : new ReportingAmount(reader.GetDecimal(16), reader.GetString(17), reader.GetDecimal(18), reader.GetFieldValue<DateOnly>(19)),
        DepositNumber = reader.IsDBNull(20) ? null : reader.GetInt32(20),
        Status = StoredWords.ParseConversionStatus(reader.GetString(21)),
        StatusWord = NullableString(reader, 22),
        StatusWordUnknown = reader.GetBoolean(23),
    };

    protected override async ValueTask<IReadOnlyList<ConversionRecord>> ListConversionsCoreAsync(ConversionListQuery query, CancellationToken cancellationToken)
    {
        var filter = new PostgreSqlFilter();
        var conditions = new List<string>();
        if (query.BeforeId is { } beforeId)
        {
            // Strictly after the cursor conversion in (received_at DESC, id DESC) order; none when it is unknown.
            var cursor = filter.Next(Text(beforeId));
            conditions.Add($"(c.received_at, c.id) < (SELECT b.received_at, b.id FROM {_s}.conversions b WHERE b.id = {cursor})");
        }

        if (query.SetId is { } setId)
        {
            conditions.Add("c.set_id = " + filter.Next(Text(setId)));
        }

        if (query.ClickId is { } clickId)
        {
            conditions.Add("c.click_id = " + filter.Next(Text(clickId)));
        }

        if (query.SubjectId is { } subjectId)
        {
            var subject = filter.Next(Text(subjectId));
            conditions.Add($"c.click_id IN (SELECT sb.click_id FROM {_s}.subject_bindings sb WHERE sb.subject_id = {subject} UNION SELECT k.id FROM {_s}.clicks k WHERE k.subject_id = {subject})");
        }

        if (query.Status is { } status)
        {
            conditions.Add("c.status = " + filter.Next(Text(StoredWords.Of(status))));
        }

        if (query.StatusWordUnknown is { } unknown)
        {
            // A literal, not a parameter, so that the planner can prove the predicate of conversions_set_unknown_word.
            conditions.Add(unknown ? "c.status_word_unknown" : "NOT c.status_word_unknown");
        }

        var where = conditions.Count == 0 ? string.Empty : " WHERE " + string.Join(" AND ", conditions);
        var limit = filter.Next(Param(NpgsqlTypes.NpgsqlDbType.Integer, query.Limit));
        return await WithHistoryAsync(
            await _db.QueryListAsync(
                $"SELECT {PrefixedColumns} FROM {_s}.conversions c{where} ORDER BY c.received_at DESC, c.id DESC LIMIT {limit}",
                Read,
                [.. filter.Parameters],
                cancellationToken).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
    }

    // The arm on transaction ids names its IS NOT NULL so that the partial index conversions_set_transaction_id serves it;
    // the arm on click ids uses conversions_click_received_at.
    protected override async ValueTask<IReadOnlyList<ReconciledConversion>> ListConversionsToMatchCoreAsync(ConversionMatchQuery query, CancellationToken cancellationToken) =>
        await _db.QueryListAsync(
            $"""
            SELECT {ReconciledColumns} FROM {_s}.conversions
            WHERE set_id = $1 AND ((transaction_id IS NOT NULL AND transaction_id = ANY($2)) OR click_id = ANY($3))
            ORDER BY received_at, id
            """,
            ReadToReconcile,
            [Text(query.SetId), TextArray(query.TransactionIds), TextArray(query.ClickIds)],
            cancellationToken).ConfigureAwait(false);

    // The range of conversions_received_at, from the cursor's time on when there is one.
    protected override async ValueTask<IReadOnlyList<ReconciledConversion>> ListConversionsToReconcileCoreAsync(
        string setId,
        DateTimeOffset receivedFrom,
        DateTimeOffset receivedTo,
        ReconciledConversion? after,
        int limit,
        CancellationToken cancellationToken) =>
        await _db.QueryListAsync(
            $"""
            SELECT {ReconciledColumns} FROM {_s}.conversions
            WHERE set_id = $1 AND received_at >= $2 AND received_at <= $3 AND ($4::timestamptz IS NULL OR (received_at, id) > ($4, $5))
            ORDER BY received_at, id LIMIT $6
            """,
            ReadToReconcile,
            [Text(setId), Time(after is null || after.ReceivedAt < receivedFrom ? receivedFrom : after.ReceivedAt), Time(receivedTo), Time(after?.ReceivedAt), Text(after?.ConversionId), Param(NpgsqlTypes.NpgsqlDbType.Integer, limit)],
            cancellationToken).ConfigureAwait(false);

    protected override async ValueTask<IReadOnlyList<ConversionRecord>> ListConversionsWithoutReportingAmountCoreAsync(string? afterId, int limit, CancellationToken cancellationToken) =>
        await _db.QueryListAsync(
            $"SELECT {Columns} FROM {_s}.conversions WHERE amount IS NOT NULL AND reporting_amount IS NULL AND ($1::text IS NULL OR id > $1) ORDER BY id LIMIT $2",
            Read,
            [Text(afterId), Param(NpgsqlTypes.NpgsqlDbType.Integer, limit)],
            cancellationToken).ConfigureAwait(false);

    protected override async ValueTask<int> SetReportingAmountsCoreAsync(IReadOnlyList<ReportingAmountUpdate> updates, CancellationToken cancellationToken)
    {
        // One statement: the conversions that have none get theirs, and their roll-up rows move to the reporting
        // currency's (in key order, as every roll-up change, see PostgreSqlConversionRollups). The conversion rows are
        // locked first in id order, so two recomputes (two instances) never deadlock on them.
        var sql = $"""
            WITH u AS (
                SELECT * FROM unnest($1::text[], $2::numeric[], $3::text[], $4::numeric[], $5::date[])
                AS u(id, reporting_amount, reporting_currency, reporting_rate, reporting_rate_date)
            ), locked AS (
                SELECT c.id FROM {_s}.conversions c
                WHERE c.id = ANY($1::text[]) AND c.reporting_amount IS NULL
                ORDER BY c.id
                FOR UPDATE
            ), changed AS (
                UPDATE {_s}.conversions c
                SET reporting_amount = u.reporting_amount, reporting_currency = u.reporting_currency,
                    reporting_rate = u.reporting_rate, reporting_rate_date = u.reporting_rate_date
                FROM u
                WHERE c.id = u.id AND c.id IN (SELECT id FROM locked) AND c.reporting_amount IS NULL
                RETURNING c.received_at, c.set_id, c.campaign_id, c.event_kind, c.attribution, c.currency,
                          COALESCE(c.amount, 0) AS amount, c.reporting_currency, c.reporting_amount,
                          {PostgreSqlConversionRollups.BucketOf("c.deposit_number")} AS deposit_bucket, c.status
            ), changes AS (
                SELECT day, set_id, campaign_id, event_kind, attribution, currency, reporting_currency, deposit_bucket, status,
                       sum(count)::bigint AS count, sum(amount) AS amount, sum(reporting_amount) AS reporting_amount
                FROM (
                    SELECT {PostgreSqlConversionRollups.DayOf("received_at")} AS day, set_id, campaign_id, event_kind, attribution, currency,
                           NULL::text AS reporting_currency, deposit_bucket, status, -1 AS count, -amount AS amount, 0::numeric AS reporting_amount
                    FROM changed
                    UNION ALL
                    SELECT {PostgreSqlConversionRollups.DayOf("received_at")}, set_id, campaign_id, event_kind, attribution, currency,
                           reporting_currency, deposit_bucket, status, 1, amount, reporting_amount
                    FROM changed) m
                GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
            ), rolled AS (
                {PostgreSqlConversionRollups.UpsertSql(_s, "changes")}
            )
            SELECT count(*) FROM changed
            """;
        var counts = await _db.QueryListAsync(
            sql,
            reader => reader.GetInt64(0),
            [
                ArrayOf(NpgsqlTypes.NpgsqlDbType.Text, updates.Select(u => Clean(u.ConversionId)).ToArray()),
                ArrayOf(NpgsqlTypes.NpgsqlDbType.Numeric, updates.Select(u => u.Amount.Amount).ToArray()),
                ArrayOf(NpgsqlTypes.NpgsqlDbType.Text, updates.Select(u => Clean(u.Amount.Currency)).ToArray()),
                ArrayOf(NpgsqlTypes.NpgsqlDbType.Numeric, updates.Select(u => u.Amount.Rate).ToArray()),
                ArrayOf(NpgsqlTypes.NpgsqlDbType.Date, updates.Select(u => u.Amount.RateDate).ToArray()),
            ],
            cancellationToken).ConfigureAwait(false);
        return (int)counts[0];
    }

    private static PostbackEvent ReadEvent(string kind, string name) => StoredWords.ParseEventKind(kind) switch
    {
        PostbackEventKind.Registration => PostbackEvent.Registration,
        PostbackEventKind.FirstDeposit => PostbackEvent.FirstDeposit,
        PostbackEventKind.Deposit => PostbackEvent.Deposit,
        _ when PostbackEvent.TryParse(name, out var custom) && custom.Kind == PostbackEventKind.Custom => custom,
        _ => throw new InvalidOperationException($"The stored event '{kind}' / '{name}' is not a valid event."),
    };
}
