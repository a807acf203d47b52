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
    private readonly string _s = db.QuotedSchema;

    // The deposits the credit made credited, numbered (DepositNumbering, in Chatterfy.Postbacks) in (received at, id) order
    // after the numbers the click's conversions hold: the first first deposit takes 1 while no conversion holds it, every
    // other one the highest number (at least 1) plus its rank among them.
    private readonly string _numberCreditedSql = $"""
        WITH held AS (
            SELECT COALESCE(max(deposit_number), 0) AS highest, COALESCE(bool_or(deposit_number = 1), false) AS first_taken
            FROM {db.QuotedSchema}.conversions WHERE click_id = $1
        ), deposits AS (
            SELECT c.id, c.received_at, h.highest,
                   c.event_kind = '{StoredWords.Of(Ingestion.PostbackEventKind.FirstDeposit)}' AND NOT h.first_taken
                   AND row_number() OVER (PARTITION BY c.event_kind = '{StoredWords.Of(Ingestion.PostbackEventKind.FirstDeposit)}' ORDER BY c.received_at, c.id) = 1 AS first
            FROM {db.QuotedSchema}.conversions c CROSS JOIN held h
            WHERE c.click_id = $1 AND c.attribution = '{StoredWords.Of(ConversionAttribution.Credited)}' AND c.deposit_number IS NULL
              AND c.event_kind IN ('{StoredWords.Of(Ingestion.PostbackEventKind.FirstDeposit)}', '{StoredWords.Of(Ingestion.PostbackEventKind.Deposit)}')
        ), numbered AS (
            SELECT id, CASE WHEN first THEN 1
                            ELSE GREATEST(highest, 1) + row_number() OVER (PARTITION BY first ORDER BY received_at, id) END AS deposit_number
            FROM deposits
        )
        UPDATE {db.QuotedSchema}.conversions c SET deposit_number = n.deposit_number FROM numbered n WHERE c.id = n.id
        """;

    protected override async ValueTask<int> AddCoreAsync(Click click, ConversionCredit credit, CancellationToken cancellationToken)
    {
        var campaigns = credit.CampaignIds.Where(c => c is not null).Select(c => c!).ToArray();
        var noCampaign = credit.CampaignIds.Any(c => c is null);
        return await db.RunAsync(
            async (connection, ct) =>
            {
                // One batch is one implicit transaction: the click, and the crediting of the conversions that waited for it.
                var batch = db.NewBatch(connection, null);
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
                    // campaign they now count toward, in the same statement (their old campaign read by the self-join).
                    var credited = Command(
                        $"""
                        WITH moved AS (
                            UPDATE {_s}.conversions c
                            SET attribution = '{StoredWords.Of(ConversionAttribution.Credited)}', campaign_id = $2
                            FROM {_s}.conversions o
                            WHERE o.id = c.id
                              AND c.click_id = $1
                              AND c.attribution = '{StoredWords.Of(ConversionAttribution.Unattributed)}'
                              AND (c.campaign_id = ANY($3) OR ($4 AND c.campaign_id IS NULL))
                            RETURNING c.received_at, c.set_id, o.campaign_id AS old_campaign_id, o.attribution AS old_attribution,
                                      c.campaign_id, c.attribution, c.event_kind, c.currency, COALESCE(c.amount, 0) AS amount
                        ), changes AS (
                            SELECT day, set_id, campaign_id, event_kind, attribution, currency, sum(count)::bigint AS count, sum(amount) AS amount
                            FROM (
                                SELECT {PostgreSqlConversionRollups.DayOf("received_at")} AS day, set_id, old_campaign_id AS campaign_id, event_kind,
                                       old_attribution AS attribution, currency, -1 AS count, -amount AS amount
                                FROM moved
                                UNION ALL
                                SELECT {PostgreSqlConversionRollups.DayOf("received_at")}, set_id, campaign_id, event_kind, attribution, currency, 1, amount
                                FROM moved) m
                            GROUP BY 1, 2, 3, 4, 5, 6
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
                    batch.BatchCommands.Add(Command(_numberCreditedSql, Text(click.Id)));
                    var reader = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        // The lock's row comes first; the click's INSERT returns no result set: then the count.
                        await reader.NextResultAsync(ct).ConfigureAwait(false);
                        await reader.ReadAsync(ct).ConfigureAwait(false);
                        return (int)reader.GetInt64(0);
                    }
                }
            },
            cancellationToken).ConfigureAwait(false);
    }

    protected override async ValueTask<Click?> FindCoreAsync(string clickId, CancellationToken cancellationToken) =>
        await db.QuerySingleAsync(
            $"SELECT id, campaign_id, subject_id, fbclid, fbc, fbp, ip_address, user_agent, event_source_url, created_at, fields FROM {_s}.clicks WHERE id = $1",
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
