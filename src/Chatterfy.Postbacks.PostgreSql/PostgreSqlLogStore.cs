using System.Globalization;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Storage;
using Npgsql;
using NpgsqlTypes;
using static Chatterfy.Postbacks.PostgreSql.PostgreSqlValues;

namespace Chatterfy.Postbacks.PostgreSql;

/// <summary>The postback log and the stats figures in PostgreSQL: the log is read, counted and purged here; amounts are summed exactly (<c>numeric</c>).</summary>
internal sealed class PostgreSqlLogStore(PostgreSqlPostbackStore db) : PostbackLogStore
{
    /// <summary>The columns of a log entry, in the order <see cref="Read"/> reads them.</summary>
    internal const string Columns =
        "l.id, l.received_at, l.set_id, l.outcome, l.code, l.warnings, l.conversion_id, l.request_method, l.request_path, l.request_event_segment, l.request_query_string, l.request_body, l.request_content_type, l.request_remote_address, l.deposit_number";

    private const int PurgeChunk = 5000;

    private readonly string _s = db.QuotedSchema;

    protected override async ValueTask<PostbackLogEntry?> GetCoreAsync(string logEntryId, CancellationToken cancellationToken) =>
        await db.QuerySingleAsync($"SELECT {Columns} FROM {_s}.postback_log l WHERE l.id = $1", Read, [Text(logEntryId)], cancellationToken).ConfigureAwait(false);

    protected override async ValueTask<IReadOnlyList<PostbackLogEntry>> ListCoreAsync(PostbackLogQuery query, CancellationToken cancellationToken)
    {
        var filter = new PostgreSqlFilter();
        if (query.SetId is not null)
        {
            filter.Add("l.set_id = {0}", Text(query.SetId));
        }

        if (query.Outcome is { } outcome)
        {
            filter.Add("l.outcome = {0}", Text(StoredWords.Of(outcome)));
        }

        if (query.Code is not null)
        {
            filter.Add("l.code = {0}", Text(query.Code));
        }

        filter.AddRange("l.received_at", query.From, query.To);
        if (query.BeforeId is not null)
        {
            // Entries after the cursor in (received_at DESC, id DESC) order; an unknown cursor compares with NULL: no rows.
            filter.Add($"(l.received_at, l.id) < (SELECT c.received_at, c.id FROM {_s}.postback_log c WHERE c.id = {{0}})", Text(query.BeforeId));
        }

        var limit = filter.Next(Param(NpgsqlDbType.Integer, query.Limit));
        return await db.QueryListAsync(
            $"SELECT {Columns} FROM {_s}.postback_log l{filter.Where} ORDER BY l.received_at DESC, l.id DESC LIMIT {limit}",
            Read,
            [.. filter.Parameters],
            cancellationToken).ConfigureAwait(false);
    }

    protected override async ValueTask<int> PurgeCoreAsync(DateTimeOffset receivedBefore, CancellationToken cancellationToken)
    {
        // In chunks, so a first purge of a large log neither holds locks for long nor builds one huge transaction.
        var total = 0;
        while (true)
        {
            var purged = await db.NonQueryAsync(
                $"DELETE FROM {_s}.postback_log WHERE id IN (SELECT id FROM {_s}.postback_log WHERE received_at < $1 LIMIT $2)",
                [Time(receivedBefore), Param(NpgsqlDbType.Integer, PurgeChunk)],
                cancellationToken).ConfigureAwait(false);
            total += purged;
            if (purged < PurgeChunk)
            {
                return total;
            }
        }
    }

    protected override async ValueTask<IReadOnlyList<ConversionTotal>> GetConversionTotalsCoreAsync(ConversionTotalsQuery query, CancellationToken cancellationToken)
    {
        var figures = Figures.Of(query);
        var totals = await db.QueryListAsync(
            figures.Sql(
                _s,
                "SELECT event_kind, attribution, currency, sum(count)::bigint, sum(amount), reporting_currency, sum(reporting_amount), deposit_bucket, status",
                "r.event_kind, r.attribution, r.currency, r.count, r.amount, r.reporting_currency, r.reporting_amount, r.deposit_bucket, r.status",
                $"c.event_kind, c.attribution, c.currency, count(*) AS count, COALESCE(sum(c.amount), 0) AS amount, c.reporting_currency, COALESCE(sum(c.reporting_amount), 0) AS reporting_amount, {PostgreSqlConversionRollups.BucketOf("c.deposit_number")} AS deposit_bucket, c.status",
                "GROUP BY 1, 2, 3, 6, 8, 9"),
            reader => new ConversionTotal(
                StoredWords.ParseEventKind(reader.GetString(0)),
                StoredWords.ParseAttribution(reader.GetString(1)),
                NullableString(reader, 2),
                reader.GetInt64(3),
                reader.GetDecimal(4))
            {
                ReportingCurrency = NullableString(reader, 5),
                ReportingAmount = reader.GetDecimal(6),
                DepositBucket = reader.IsDBNull(7) ? null : reader.GetInt32(7),
                Status = StoredWords.ParseConversionStatus(reader.GetString(8)),
            },
            [.. figures.Parameters],
            cancellationToken).ConfigureAwait(false);

        // The contract's order is the enumerations' (kind, then attribution), then currency, which SQL cannot sort by word.
        return
        [
            .. totals.OrderBy(t => t.Kind).ThenBy(t => t.Attribution).ThenBy(t => t.Currency, StringComparer.Ordinal).ThenBy(t => t.ReportingCurrency, StringComparer.Ordinal)
                .ThenBy(t => t.DepositBucket).ThenBy(t => t.Status),
        ];
    }

    protected override async ValueTask<IReadOnlyList<DailyConversionCount>> GetDailyConversionCountsCoreAsync(ConversionTotalsQuery query, CancellationToken cancellationToken)
    {
        var figures = Figures.Of(query);
        var counts = await db.QueryListAsync(
            figures.Sql(
                _s,
                "SELECT day, event_kind, attribution, sum(count)::bigint, deposit_bucket, status",
                "r.day, r.event_kind, r.attribution, r.count, r.deposit_bucket, r.status",
                $"{PostgreSqlConversionRollups.DayOf("c.received_at")} AS day, c.event_kind, c.attribution, count(*) AS count, {PostgreSqlConversionRollups.BucketOf("c.deposit_number")} AS deposit_bucket, c.status",
                "GROUP BY 1, 2, 3, 5, 6"),
            reader => new DailyConversionCount(
                reader.GetFieldValue<DateOnly>(0),
                StoredWords.ParseEventKind(reader.GetString(1)),
                StoredWords.ParseAttribution(reader.GetString(2)),
                reader.GetInt64(3))
            {
                DepositBucket = reader.IsDBNull(4) ? null : reader.GetInt32(4),
                Status = StoredWords.ParseConversionStatus(reader.GetString(5)),
            },
            [.. figures.Parameters],
            cancellationToken).ConfigureAwait(false);

        // The contract's order is the enumerations' (kind, then attribution) within a day, which SQL cannot sort by word.
        return [.. counts.OrderBy(c => c.Day).ThenBy(c => c.Kind).ThenBy(c => c.Attribution).ThenBy(c => c.DepositBucket).ThenBy(c => c.Status)];
    }

    protected override async ValueTask<IReadOnlyList<DailyClickCount>> CountClicksByDayCoreAsync(ClickCountQuery query, CancellationToken cancellationToken)
    {
        var filter = ClickFilter(query);
        return await db.QueryListAsync(
            $"""
            SELECT (k.created_at AT TIME ZONE 'UTC')::date AS day, count(*)
            FROM {_s}.clicks k{filter.Where}
            GROUP BY day ORDER BY day
            """,
            reader => new DailyClickCount(reader.GetFieldValue<DateOnly>(0), reader.GetInt64(1)),
            [.. filter.Parameters],
            cancellationToken).ConfigureAwait(false);
    }

    protected override async ValueTask<long> CountClicksCoreAsync(ClickCountQuery query, CancellationToken cancellationToken)
    {
        var filter = ClickFilter(query);
        return await CountAsync($"SELECT count(*) FROM {_s}.clicks k{filter.Where}", filter, cancellationToken).ConfigureAwait(false);
    }

    protected override async ValueTask<long> CountLogEntriesCoreAsync(LogCountQuery query, CancellationToken cancellationToken)
    {
        var filter = new PostgreSqlFilter();
        filter.AddRange("l.received_at", query.From, query.To);

        // A literal, not a parameter: postback_log_rejected_received_at is a partial index on the rejected outcome.
        filter.Add($"l.outcome = '{StoredWords.Of(query.Outcome)}'");
        if (query.SetId is not null)
        {
            filter.Add("l.set_id = {0}", Text(query.SetId));
        }

        if (query.SetCampaignId is not null)
        {
            // Sets scoped to the campaign, deleted ones included (their rows are kept).
            filter.Add($"l.set_id IN (SELECT s.id FROM {_s}.postback_sets s WHERE s.campaign_id = {{0}})", Text(query.SetCampaignId));
        }

        return await CountAsync($"SELECT count(*) FROM {_s}.postback_log l{filter.Where}", filter, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads a log entry selected with <see cref="Columns"/>.</summary>
    internal static PostbackLogEntry Read(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetString(0),
        ReceivedAt = reader.GetFieldValue<DateTimeOffset>(1),
        SetId = reader.GetString(2),
        Outcome = StoredWords.ParseOutcome(reader.GetString(3)),
        Code = NullableString(reader, 4),
        Warnings = Array.AsReadOnly(reader.GetFieldValue<string[]>(5)),
        ConversionId = NullableString(reader, 6),
        DepositNumber = reader.IsDBNull(14) ? null : reader.GetInt32(14),
        Request = new PostbackRequest
        {
            Method = reader.GetString(7),
            Path = reader.GetString(8),
            EventSegment = NullableString(reader, 9),
            QueryString = reader.GetString(10),
            Body = NullableString(reader, 11),
            ContentType = NullableString(reader, 12),
            RemoteAddress = NullableInet(reader, 13),
        },
    };

    /// <summary>The conditions of a <see cref="ClickCountQuery"/> on <c>clicks k</c>.</summary>
    private static PostgreSqlFilter ClickFilter(ClickCountQuery query)
    {
        var filter = new PostgreSqlFilter();
        filter.AddRange("k.created_at", query.From, query.To);
        if (query.CampaignId is not null)
        {
            filter.Add("k.campaign_id = {0}", Text(query.CampaignId));
        }

        return filter;
    }

    private async ValueTask<long> CountAsync(string sql, PostgreSqlFilter filter, CancellationToken cancellationToken) =>
        (await db.QueryListAsync(sql, reader => reader.GetInt64(0), [.. filter.Parameters], cancellationToken).ConfigureAwait(false))[0];

    /// <summary>
    /// Where the figures of a <see cref="ConversionTotalsQuery"/> come from: the whole UTC days of its range from
    /// <c>conversion_rollups r</c>, the partial days at its ends from <c>conversions c</c>; a range within one or two
    /// partial days reads only conversions, an open range without partial days only roll-ups.
    /// </summary>
    private sealed class Figures
    {
        private readonly PostgreSqlFilter _parameters = new();
        private string? _rollupWhere;
        private string? _conversionWhere;

        public List<NpgsqlParameter> Parameters => _parameters.Parameters;

        public static Figures Of(ConversionTotalsQuery query)
        {
            var figures = new Figures();
            var p = figures._parameters;
            var scope = new List<string>();
            if (query.SetId is not null)
            {
                scope.Add("{0}.set_id = " + p.Next(Text(query.SetId)));
            }

            if (query.CampaignId is not null)
            {
                scope.Add("{0}.campaign_id = " + p.Next(Text(query.CampaignId)));
            }

            // The first whole day starts at or after From; the whole days end at the start of To's day.
            DateOnly? firstDay = query.From is { } f ? DayOf(f).AddDays(StartOf(DayOf(f)) < f ? 1 : 0) : null;
            DateOnly? endDay = query.To is { } t ? DayOf(t) : null;
            var partial = new List<string>(2);
            string Range(DateTimeOffset? from, DateTimeOffset? to) =>
                string.Join(" AND ", new[] { from is { } a ? "c.received_at >= " + p.Next(Time(a)) : null, to is { } b ? "c.received_at < " + p.Next(Time(b)) : null }.OfType<string>());
            if (firstDay is { } first && endDay is { } end && first >= end)
            {
                partial.Add(Range(query.From, query.To));
            }
            else
            {
                var whole = new List<string>(scope.Select(c => string.Format(CultureInfo.InvariantCulture, c, "r"))) { "r.count > 0" };
                if (firstDay is { } start)
                {
                    whole.Add("r.day >= " + p.Next(Param(NpgsqlDbType.Date, start)));
                    if (query.From < StartOf(start))
                    {
                        partial.Add(Range(query.From, StartOf(start)));
                    }
                }

                if (endDay is { } stop)
                {
                    whole.Add("r.day < " + p.Next(Param(NpgsqlDbType.Date, stop)));
                    if (StartOf(stop) < query.To)
                    {
                        partial.Add(Range(StartOf(stop), query.To));
                    }
                }

                figures._rollupWhere = string.Join(" AND ", whole);
            }

            if (partial.Count > 0)
            {
                var conditions = scope.Select(c => string.Format(CultureInfo.InvariantCulture, c, "c")).ToList();
                conditions.Add(partial.Count == 1 ? (partial[0].Length == 0 ? "true" : partial[0]) : $"(({partial[0]}) OR ({partial[1]}))");
                figures._conversionWhere = string.Join(" AND ", conditions);
            }

            return figures;
        }

        /// <summary>
        /// The statement: <paramref name="select"/> (its aggregates over <c>count</c> and <c>amount</c>) and
        /// <paramref name="groupBy"/> over the roll-up rows (<paramref name="rollupColumns"/>) and the partial days'
        /// conversions, grouped (<paramref name="conversionColumns"/>, grouped by the same key).
        /// </summary>
        public string Sql(string quotedSchema, string select, string rollupColumns, string conversionColumns, string groupBy)
        {
            var parts = new List<string>(2);
            if (_rollupWhere is not null)
            {
                parts.Add($"SELECT {rollupColumns} FROM {quotedSchema}.conversion_rollups r WHERE {_rollupWhere}");
            }

            if (_conversionWhere is not null)
            {
                parts.Add($"SELECT {conversionColumns} FROM {quotedSchema}.conversions c WHERE {_conversionWhere} {groupBy}");
            }

            return $"{select} FROM ({string.Join(" UNION ALL ", parts)}) f {groupBy}";
        }

        private static DateOnly DayOf(DateTimeOffset time) => DateOnly.FromDateTime(time.UtcDateTime);

        private static DateTimeOffset StartOf(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
    }
}
