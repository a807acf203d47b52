using Chatterfy.Postbacks.Storage;

namespace Chatterfy.Postbacks.PostgreSql;

/// <summary>
/// The SQL that keeps <c>conversion_rollups</c> (migration 4, with the reporting currency, the deposit-number bucket
/// and the conversion status since later ones): one row per UTC day, set, campaign, event kind, attribution, currency,
/// reporting currency, deposit-number bucket (<see cref="DepositNumbering.StatsBucket"/>) and status with the count and the exact
/// <c>numeric</c> sums of the amounts and of the reporting amounts of the conversions it covers.
/// </summary>
/// <remarks>
/// Every transaction that changes roll-up rows locks them in one statement, in <see cref="KeyOrder"/>, before it waits for
/// any other roll-up row, so two transactions (on any instances) never deadlock on them: a batch of one round upserts in
/// its append statement; a batch of several rounds, and a batch written again record by record, first lock every row
/// they may change (<see cref="LockSql"/>), so their later statements only change rows they hold; crediting a late click
/// moves counts in one statement, and so does a status change.
/// </remarks>
internal static class PostgreSqlConversionRollups
{
    /// <summary>The key columns, in table order.</summary>
    public const string KeyColumns = "day, set_id, campaign_id, event_kind, attribution, currency, reporting_currency, deposit_bucket, status";

    /// <summary>The one order in which every statement changes roll-up rows (byte-wise, whatever the input's collation).</summary>
    public const string KeyOrder =
        """day, set_id COLLATE "C", campaign_id COLLATE "C", event_kind COLLATE "C", attribution COLLATE "C", currency COLLATE "C", reporting_currency COLLATE "C", deposit_bucket, """
        + "status COLLATE \"C\"";

    /// <summary>The deposit-number bucket of a deposit number (<see cref="DepositNumbering.StatsBucket"/>), as stored in <c>deposit_bucket</c>.</summary>
    /// <remarks>Not <c>LEAST</c>: it ignores a <c>NULL</c>, and a conversion without a number has no bucket.</remarks>
    public static string BucketOf(string column) => $"(CASE WHEN {column} > {DepositNumbering.GroupedFrom} THEN {DepositNumbering.GroupedFrom} ELSE {column} END)";

    /// <summary>The UTC day of a receive time, as stored in <c>day</c>.</summary>
    public static string DayOf(string column) => $"({column} AT TIME ZONE 'UTC')::date";

    /// <summary>
    /// Adds the rows of <paramref name="source"/> (the key columns, <c>count</c>, <c>amount</c> and <c>reporting_amount</c>,
    /// one row per key) to the
    /// roll-ups, creating missing rows, in <see cref="KeyOrder"/>.
    /// </summary>
    /// <param name="quotedSchema">The quoted schema name.</param>
    /// <param name="source">A query or CTE name yielding the rows.</param>
    public static string UpsertSql(string quotedSchema, string source) => $"""
        INSERT INTO {quotedSchema}.conversion_rollups AS t ({KeyColumns}, count, amount, reporting_amount)
        SELECT {KeyColumns}, count, amount, reporting_amount FROM {source} ORDER BY {KeyOrder}
        ON CONFLICT ON CONSTRAINT conversion_rollups_key DO UPDATE
        SET count = t.count + excluded.count, amount = t.amount + excluded.amount, reporting_amount = t.reporting_amount + excluded.reporting_amount
        """;

    /// <summary>
    /// Locks (creating them with a count of 0 when missing) the roll-up rows of the conversions a batch may write:
    /// $1 their receive times, $2 sets, $3 campaigns, $4 event kinds, $5 attributions, $6 currencies, $7 reporting currencies,
    /// $8 deposit-number buckets (a deposit's number is assigned by the statement that writes it, so the caller passes one
    /// element per bucket it may take), $9 statuses.
    /// </summary>
    /// <param name="quotedSchema">The quoted schema name.</param>
    public static string LockSql(string quotedSchema) => UpsertSql(
        quotedSchema,
        $"""
        (SELECT DISTINCT {DayOf("r.received_at")} AS day, r.set_id, r.campaign_id, r.event_kind, r.attribution, r.currency, r.reporting_currency,
                r.deposit_bucket, r.status, 0::bigint AS count, 0::numeric AS amount, 0::numeric AS reporting_amount
         FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::integer[], $9::text[])
              AS r(received_at, set_id, campaign_id, event_kind, attribution, currency, reporting_currency, deposit_bucket, status)) k
        """);
}
