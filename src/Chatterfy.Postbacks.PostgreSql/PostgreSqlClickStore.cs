using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Storage;
using Npgsql;
using NpgsqlTypes;
using static Chatterfy.Postbacks.PostgreSql.PostgreSqlPostbackStore;
using static Chatterfy.Postbacks.PostgreSql.PostgreSqlValues;

namespace Chatterfy.Postbacks.PostgreSql;

/// <summary>Clicks in PostgreSQL; adding one credits the conversions that were waiting for it, in the same transaction.</summary>
internal sealed class PostgreSqlClickStore(PostgreSqlPostbackStore db) : ClickStore
{
    private const string ClickColumns = "id, campaign_id, subject_id, fbclid, fbc, fbp, ip_address, user_agent, event_source_url, created_at, fields";

    private const string PrefixedClickColumns =
        "c.id, c.campaign_id, c.subject_id, c.fbclid, c.fbc, c.fbp, c.ip_address, c.user_agent, c.event_source_url, c.created_at, c.fields";

    private readonly string _s = db.QuotedSchema;

    protected override async ValueTask<int> AddCoreAsync(Click click, ConversionCredit credit, CancellationToken cancellationToken) =>
        await db.RunAsync((connection, ct) => InsertAsync(connection, null, click, credit, ct), cancellationToken).ConfigureAwait(false);

    protected override async ValueTask<SubjectBinding?> BindSubjectCoreAsync(SubjectBindingRequest request, CancellationToken cancellationToken) =>
        await db.RunAsync(
            async (connection, ct) =>
            {
                var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
                await using (transaction.ConfigureAwait(false))
                {
                    // One binder at a time per (subject, campaign), across every instance sharing the database; the primary
                    // key of subject_bindings backs the rule up.
                    await db.ExecuteAsync(
                        connection,
                        transaction,
                        "SELECT pg_advisory_xact_lock($1)",
                        ct,
                        Param(NpgsqlDbType.Bigint, db.LockKey("subject-binding", request.SubjectId + "\n" + request.CampaignId))).ConfigureAwait(false);
                    var existing = await ReadBindingAsync(connection, transaction, request, ct).ConfigureAwait(false);
                    if (existing is not null)
                    {
                        await transaction.CommitAsync(ct).ConfigureAwait(false);
                        return existing;
                    }

                    var click = request.ClickId is { } clickId
                        ? await ReadClickAsync(connection, transaction, $"SELECT {ClickColumns} FROM {_s}.clicks WHERE id = $1", ct, Text(clickId)).ConfigureAwait(false)
                        : await ReadClickAsync(
                            connection,
                            transaction,
                            $"SELECT {ClickColumns} FROM {_s}.clicks WHERE subject_id = $1 AND campaign_id = $2 ORDER BY created_at, id LIMIT 1",
                            ct,
                            Text(request.SubjectId),
                            Text(request.CampaignId)).ConfigureAwait(false);
                    var created = false;
                    if (click is null && request.ClickId is null && request.NewClick is { } newClick)
                    {
                        await InsertAsync(connection, transaction, newClick, request.NewClickCredit!, ct).ConfigureAwait(false);
                        click = newClick;
                        created = true;
                    }

                    if (click is null)
                    {
                        return null;
                    }

                    if (click.SubjectId is null)
                    {
                        await db.ExecuteAsync(connection, transaction, $"UPDATE {_s}.clicks SET subject_id = $1 WHERE id = $2 AND subject_id IS NULL", ct, Text(request.SubjectId), Text(click.Id)).ConfigureAwait(false);
                        click = click with { SubjectId = request.SubjectId };
                    }

                    await db.ExecuteAsync(
                        connection,
                        transaction,
                        $"INSERT INTO {_s}.subject_bindings (subject_id, campaign_id, click_id, bound_at) VALUES ($1, $2, $3, $4)",
                        ct,
                        Text(request.SubjectId),
                        Text(request.CampaignId),
                        Text(click.Id),
                        Time(request.BoundAt)).ConfigureAwait(false);
                    await transaction.CommitAsync(ct).ConfigureAwait(false);
                    return (SubjectBinding?)new SubjectBinding
                    {
                        SubjectId = request.SubjectId,
                        CampaignId = request.CampaignId,
                        Click = click,
                        BoundAt = request.BoundAt,
                        IsNew = true,
                        ClickCreated = created,
                    };
                }
            },
            cancellationToken).ConfigureAwait(false);

    // Adds a click and credits the conversions that waited for it: one batch, so one transaction of its own without
    // transaction, or part of the caller's.
    private async ValueTask<int> InsertAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Click click, ConversionCredit credit, CancellationToken ct)
    {
        var campaigns = credit.CampaignIds.Where(c => c is not null).Select(c => c!).ToArray();
        var noCampaign = credit.CampaignIds.Any(c => c is null);
        var batch = db.NewBatch(connection, transaction);
        await using (batch.ConfigureAwait(false))
        {
            // The click's lock first, as an append that numbers its deposits takes it (PostgreSqlIngestStore).
            batch.BatchCommands.Add(Command(
                PostgreSqlIngestStore.LockSql,
                Param(NpgsqlDbType.Array | NpgsqlDbType.Bigint, new[] { db.LockKey(PostgreSqlIngestStore.ClickLockPurpose, click.Id) })));
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
                Jsonb(PostgreSqlJsonText.FromDictionary(click.Fields))));
            // The credited conversions move from their unattributed roll-up rows to the credited rows of the
            // campaign they now count toward, and of the bucket of the deposit number they take, in the same statement
            // (their old values read by the self-join). The credited deposits are numbered (DepositNumbering, in
            // Chatterfy.Postbacks) in (received at, id) order after the numbers the click's conversions hold: the first
            // first deposit takes 1 while no conversion holds it, every other one the highest number (at least 1) plus
            // its rank among them.
            var credited = Command(
                $"""
                WITH held AS (
                    SELECT COALESCE(max(deposit_number), 0) AS highest, COALESCE(bool_or(deposit_number = {DepositNumbering.First}), false) AS first_taken
                    FROM {_s}.conversions WHERE click_id = $1
                ), waiting AS (
                    SELECT c.id, c.event_kind, c.received_at FROM {_s}.conversions c
                    WHERE c.click_id = $1
                      AND c.attribution = '{StoredWords.Of(ConversionAttribution.Unattributed)}'
                      AND NOT c.attribution_window_passed
                      AND (c.campaign_id = ANY($3) OR ($4 AND c.campaign_id IS NULL))
                ), deposits AS (
                    SELECT w.id, w.received_at, h.highest,
                           w.event_kind = '{StoredWords.Of(Ingestion.PostbackEventKind.FirstDeposit)}' AND NOT h.first_taken
                           AND row_number() OVER (PARTITION BY w.event_kind = '{StoredWords.Of(Ingestion.PostbackEventKind.FirstDeposit)}' ORDER BY w.received_at, w.id) = 1 AS first
                    FROM waiting w CROSS JOIN held h
                    WHERE w.event_kind IN ('{StoredWords.Of(Ingestion.PostbackEventKind.FirstDeposit)}', '{StoredWords.Of(Ingestion.PostbackEventKind.Deposit)}')
                ), numbered AS (
                    SELECT id, CASE WHEN first THEN {DepositNumbering.First}
                                    ELSE GREATEST(highest, {DepositNumbering.First}) + row_number() OVER (PARTITION BY first ORDER BY received_at, id) END AS deposit_number
                    FROM deposits
                ), moved AS (
                    UPDATE {_s}.conversions c
                    SET attribution = '{StoredWords.Of(ConversionAttribution.Credited)}', campaign_id = $2, deposit_number = n.deposit_number
                    FROM waiting w
                    JOIN {_s}.conversions o ON o.id = w.id
                    LEFT JOIN numbered n ON n.id = w.id
                    WHERE c.id = w.id
                    RETURNING c.received_at, c.set_id, o.campaign_id AS old_campaign_id, o.attribution AS old_attribution,
                              {PostgreSqlConversionRollups.BucketOf("o.deposit_number")} AS old_deposit_bucket,
                              c.campaign_id, c.attribution, c.event_kind, c.currency, COALESCE(c.amount, 0) AS amount,
                              c.reporting_currency, COALESCE(c.reporting_amount, 0) AS reporting_amount,
                              {PostgreSqlConversionRollups.BucketOf("c.deposit_number")} AS deposit_bucket, c.status
                ), changes AS (
                    SELECT day, set_id, campaign_id, event_kind, attribution, currency, reporting_currency, deposit_bucket, status,
                           sum(count)::bigint AS count, sum(amount) AS amount, sum(reporting_amount) AS reporting_amount
                    FROM (
                        SELECT {PostgreSqlConversionRollups.DayOf("received_at")} AS day, set_id, old_campaign_id AS campaign_id, event_kind,
                               old_attribution AS attribution, currency, reporting_currency, old_deposit_bucket AS deposit_bucket, status,
                               -1 AS count, -amount AS amount, -reporting_amount AS reporting_amount
                        FROM moved
                        UNION ALL
                        SELECT {PostgreSqlConversionRollups.DayOf("received_at")}, set_id, campaign_id, event_kind, attribution, currency, reporting_currency,
                               deposit_bucket, status, 1, amount, reporting_amount
                        FROM moved) m
                    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
                ), rolled AS (
                    {PostgreSqlConversionRollups.UpsertSql(_s, "changes")}
                )
                SELECT count(*) FROM moved
                """,
                Text(click.Id),
                Text(credit.NewCampaignId),
                TextArray(campaigns),
                Param(NpgsqlDbType.Boolean, noCampaign));
            batch.BatchCommands.Add(credited);
            var reader = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                // The lock's row comes first; the click's INSERT returns no result set: then the count.
                await reader.NextResultAsync(ct).ConfigureAwait(false);
                await reader.ReadAsync(ct).ConfigureAwait(false);
                return (int)reader.GetInt64(0);
            }
        }
    }

    private async ValueTask<SubjectBinding?> ReadBindingAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, SubjectBindingRequest request, CancellationToken ct)
    {
        var command = db.NewCommand(
            connection,
            transaction,
            $"""
            SELECT {PrefixedClickColumns}, b.bound_at FROM {_s}.subject_bindings b JOIN {_s}.clicks c ON c.id = b.click_id
            WHERE b.subject_id = $1 AND b.campaign_id = $2
            """,
            [Text(request.SubjectId), Text(request.CampaignId)]);
        await using (command.ConfigureAwait(false))
        {
            var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                return await reader.ReadAsync(ct).ConfigureAwait(false)
                    ? new SubjectBinding { SubjectId = request.SubjectId, CampaignId = request.CampaignId, Click = Read(reader), BoundAt = reader.GetFieldValue<DateTimeOffset>(11) }
                    : null;
            }
        }
    }

    private async ValueTask<Click?> ReadClickAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken ct, params NpgsqlParameter[] parameters)
    {
        var command = db.NewCommand(connection, transaction, sql, parameters);
        await using (command.ConfigureAwait(false))
        {
            var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                return await reader.ReadAsync(ct).ConfigureAwait(false) ? Read(reader) : null;
            }
        }
    }

    protected override async ValueTask<SubjectClicks> ListSubjectClicksCoreAsync(string subjectId, CancellationToken cancellationToken)
    {
        var bindings = await db.QueryListAsync(
            $"""
            SELECT {PrefixedClickColumns}, b.bound_at, b.campaign_id FROM {_s}.subject_bindings b JOIN {_s}.clicks c ON c.id = b.click_id
            WHERE b.subject_id = $1 ORDER BY b.campaign_id COLLATE "C"
            """,
            reader => new SubjectBinding { SubjectId = subjectId, CampaignId = reader.GetString(12), Click = Read(reader), BoundAt = reader.GetFieldValue<DateTimeOffset>(11) },
            [Text(subjectId)],
            cancellationToken).ConfigureAwait(false);
        var clicks = await db.QueryListAsync(
            $"SELECT {ClickColumns} FROM {_s}.clicks WHERE subject_id = $1 ORDER BY created_at DESC, id COLLATE \"C\" DESC LIMIT {SubjectClicks.MaxClicks}",
            Read,
            [Text(subjectId)],
            cancellationToken).ConfigureAwait(false);
        return new SubjectClicks { Bindings = bindings, Clicks = clicks };
    }

    protected override async ValueTask<Click?> FindCoreAsync(string clickId, CancellationToken cancellationToken) =>
        await db.QuerySingleAsync(
            $"SELECT {ClickColumns} FROM {_s}.clicks WHERE id = $1",
            Read,
            [Text(clickId)],
            cancellationToken).ConfigureAwait(false);

    protected override async ValueTask<bool> ForgetPersonalDataCoreAsync(string clickId, CancellationToken cancellationToken) =>
        await db.NonQueryAsync(
            $"UPDATE {_s}.clicks SET ip_address = NULL, user_agent = NULL WHERE id = $1",
            [Text(clickId)],
            cancellationToken).ConfigureAwait(false) > 0;

    private static Click Read(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetString(0),
        CampaignId = NullableString(reader, 1),
        SubjectId = NullableString(reader, 2),
        Fbclid = NullableString(reader, 3),
        Fbc = NullableString(reader, 4),
        Fbp = NullableString(reader, 5),
        IpAddress = NullableInet(reader, 6),
        UserAgent = NullableString(reader, 7),
        EventSourceUrl = NullableString(reader, 8),
        CreatedAt = reader.GetFieldValue<DateTimeOffset>(9),
        Fields = PostgreSqlJsonText.ToDictionary(reader.GetString(10)),
    };
}
