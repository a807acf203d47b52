using System.Text;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Storage;
using Microsoft.Data.Sqlite;

namespace Chatterfy.Postbacks.Sqlite;

// The figures the stats are made of. Counting is done in SQL; money is summed in C# with decimal, because SQLite's SUM
// converts TEXT to a double. What the figures mean is the core's business (PostbackStatsService).
internal sealed partial class SqliteLogStore
{
    // A conversion's deposit-number bucket (DepositNumbering.StatsBucket), as the roll-ups keep it.
    private static readonly string BucketSql = $"min(deposit_number, {DepositNumbering.GroupedFrom})";

    private static int? Bucket(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt32(ordinal);

    /// <inheritdoc />
    protected override ValueTask<IReadOnlyList<ConversionTotal>> GetConversionTotalsCoreAsync(ConversionTotalsQuery query, CancellationToken cancellationToken)
    {
        var range = FiguresRange.Of(SqliteValues.ToDb(query.From), SqliteValues.ToDb(query.To));
        return database.ReadAsync<IReadOnlyList<ConversionTotal>>(
            (connection, cancellationToken) =>
            {
                var groups = new Dictionary<(PostbackEventKind Kind, ConversionAttribution Attribution, string? Currency, string? ReportingCurrency, int? DepositBucket, ConversionStatus Status), (long Count, decimal Amount, decimal ReportingAmount)>();
                void Add(string eventName, string attribution, string? currency, string? reportingCurrency, int? depositBucket, string status, long count, decimal amount, decimal reportingAmount)
                {
                    var key = (SqliteValues.ToEvent(eventName).Kind, StoredWords.ParseAttribution(attribution), currency, reportingCurrency, depositBucket, StoredWords.ParseConversionStatus(status));
                    var sum = groups.GetValueOrDefault(key);
                    groups[key] = (sum.Count + count, sum.Amount + amount, sum.ReportingAmount + reportingAmount);
                }

                if (range.HasWholeDays)
                {
                    using var command = connection.CreateCommand();
                    var filter = Filter(command, query, "day", range.FirstDay, range.EndDay);
                    command.CommandText = $"SELECT event, attribution, currency, count, amount, reporting_currency, reporting_amount, deposit_bucket, status FROM conversion_rollups WHERE {filter}";
                    using var reader = command.ExecuteReader();
                    while (reader.Read())
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        Add(reader.GetString(0), reader.GetString(1), reader.GetNullableString(2), reader.GetNullableString(5), Bucket(reader, 7), reader.GetString(8), reader.GetInt64(3), SqliteValues.ToDecimal(reader.GetString(4)), SqliteValues.ToDecimal(reader.GetString(6)));
                    }
                }

                foreach (var (from, to) in range.PartialDays)
                {
                    // One row per distinct amount of a group (amounts repeat), summed exactly here.
                    using var command = connection.CreateCommand();
                    var filter = Filter(command, query, "received_at", from, to);
                    command.CommandText = $"""
                        SELECT event, attribution, currency, amount, count(*), reporting_currency, reporting_amount, {BucketSql} AS deposit_bucket, status FROM conversions
                        WHERE {filter}
                        GROUP BY event, attribution, currency, amount, reporting_currency, reporting_amount, deposit_bucket, status
                        """;
                    using var reader = command.ExecuteReader();
                    while (reader.Read())
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        var count = reader.GetInt64(4);
                        Add(
                            reader.GetString(0),
                            reader.GetString(1),
                            reader.GetNullableString(2),
                            reader.GetNullableString(5),
                            Bucket(reader, 7),
                            reader.GetString(8),
                            count,
                            reader.GetNullableString(3) is { } text ? SqliteValues.ToDecimal(text) * count : 0m,
                            reader.GetNullableString(6) is { } reportingText ? SqliteValues.ToDecimal(reportingText) * count : 0m);
                    }
                }

                var totals = new List<ConversionTotal>(groups.Count);
                foreach (var ((kind, attribution, currency, reportingCurrency, bucket, status), (count, amount, reportingAmount)) in groups)
                {
                    totals.Add(new ConversionTotal(kind, attribution, currency, count, amount) { ReportingCurrency = reportingCurrency, ReportingAmount = reportingAmount, DepositBucket = bucket, Status = status });
                }

                totals.Sort(static (a, b) =>
                {
                    var order = a.Kind.CompareTo(b.Kind);
                    order = order != 0 ? order : a.Attribution.CompareTo(b.Attribution);
                    order = order != 0 ? order : string.CompareOrdinal(a.Currency, b.Currency);
                    order = order != 0 ? order : string.CompareOrdinal(a.ReportingCurrency, b.ReportingCurrency);
                    order = order != 0 ? order : Nullable.Compare(a.DepositBucket, b.DepositBucket);
                    return order != 0 ? order : a.Status.CompareTo(b.Status);
                });
                return totals.AsReadOnly();
            },
            cancellationToken);
    }

    /// <inheritdoc />
    protected override ValueTask<IReadOnlyList<DailyConversionCount>> GetDailyConversionCountsCoreAsync(ConversionTotalsQuery query, CancellationToken cancellationToken)
    {
        var range = FiguresRange.Of(SqliteValues.ToDb(query.From), SqliteValues.ToDb(query.To));
        return database.ReadAsync<IReadOnlyList<DailyConversionCount>>(
            (connection, cancellationToken) =>
            {
                // Custom events are stored by name: their rows are merged into one kind here.
                var groups = new Dictionary<(long Day, PostbackEventKind Kind, ConversionAttribution Attribution, int? DepositBucket, ConversionStatus Status), long>();
                void Read(SqliteCommand command)
                {
                    using var reader = command.ExecuteReader();
                    while (reader.Read())
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        var key = (reader.GetInt64(0), SqliteValues.ToEvent(reader.GetString(1)).Kind, StoredWords.ParseAttribution(reader.GetString(2)), Bucket(reader, 4), StoredWords.ParseConversionStatus(reader.GetString(5)));
                        groups[key] = groups.GetValueOrDefault(key) + reader.GetInt64(3);
                    }
                }

                if (range.HasWholeDays)
                {
                    using var command = connection.CreateCommand();
                    var filter = Filter(command, query, "day", range.FirstDay, range.EndDay);
                    command.CommandText = $"SELECT day, event, attribution, sum(count), deposit_bucket, status FROM conversion_rollups WHERE {filter} GROUP BY day, event, attribution, deposit_bucket, status";
                    Read(command);
                }

                foreach (var (from, to) in range.PartialDays)
                {
                    using var command = connection.CreateCommand();
                    var filter = Filter(command, query, "received_at", from, to);
                    command.CommandText = $"""
                        SELECT {SqliteValues.DayOf("received_at")} AS day, event, attribution, count(*), {BucketSql} AS deposit_bucket, status FROM conversions
                        WHERE {filter}
                        GROUP BY day, event, attribution, deposit_bucket, status
                        """;
                    Read(command);
                }

                return
                [
                    .. groups
                        .OrderBy(g => g.Key.Day).ThenBy(g => g.Key.Kind).ThenBy(g => g.Key.Attribution).ThenBy(g => g.Key.DepositBucket).ThenBy(g => g.Key.Status)
                        .Select(g => new DailyConversionCount(SqliteValues.ToDay(g.Key.Day), g.Key.Kind, g.Key.Attribution, g.Value) { DepositBucket = g.Key.DepositBucket, Status = g.Key.Status }),
                ];
            },
            cancellationToken);
    }

    /// <inheritdoc />
    protected override ValueTask<IReadOnlyList<DailyClickCount>> CountClicksByDayCoreAsync(ClickCountQuery query, CancellationToken cancellationToken)
    {
        long? from = SqliteValues.ToDb(query.From);
        long? to = SqliteValues.ToDb(query.To);
        return database.ReadAsync<IReadOnlyList<DailyClickCount>>(
            (connection, cancellationToken) =>
            {
                var filter = new StringBuilder("1 = 1");
                using var command = connection.CreateCommand();
                AddFilter(command, filter, "campaign_id", query.CampaignId);
                AddRange(command, filter, "created_at", from, to);
                command.CommandText = $"SELECT {SqliteValues.DayOf("created_at")} AS day, count(*) FROM clicks WHERE {filter} GROUP BY day ORDER BY day";
                using var reader = command.ExecuteReader();
                var days = new List<DailyClickCount>();
                while (reader.Read())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    days.Add(new DailyClickCount(SqliteValues.ToDay(reader.GetInt64(0)), reader.GetInt64(1)));
                }

                return days.AsReadOnly();
            },
            cancellationToken);
    }

    /// <inheritdoc />
    protected override ValueTask<long> CountClicksCoreAsync(ClickCountQuery query, CancellationToken cancellationToken)
    {
        long? from = SqliteValues.ToDb(query.From);
        long? to = SqliteValues.ToDb(query.To);
        return database.ReadAsync(
            (connection, _) =>
            {
                var filter = new StringBuilder("1 = 1");
                using var command = connection.CreateCommand();
                AddFilter(command, filter, "campaign_id", query.CampaignId);
                AddRange(command, filter, "created_at", from, to);
                command.CommandText = $"SELECT count(*) FROM clicks WHERE {filter}";
                return (long)command.ExecuteScalar()!;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    protected override ValueTask<long> CountLogEntriesCoreAsync(LogCountQuery query, CancellationToken cancellationToken)
    {
        long? from = SqliteValues.ToDb(query.From);
        long? to = SqliteValues.ToDb(query.To);
        var outcome = StoredWords.Of(query.Outcome);
        return database.ReadAsync(
            (connection, _) =>
            {
                var filter = new StringBuilder("l.outcome = $outcome");
                using var command = connection.CreateCommand();
                command.Parameters.AddValue("$outcome", outcome);
                AddFilter(command, filter, "l.set_id", query.SetId);
                if (query.SetCampaignId is { } campaignId)
                {
                    // Sets scoped to the campaign, deleted ones included.
                    filter.Append(" AND EXISTS (SELECT 1 FROM postback_sets s WHERE s.id = l.set_id AND s.campaign_id = $set_campaign_id)");
                    command.Parameters.AddValue("$set_campaign_id", campaignId);
                }

                AddRange(command, filter, "l.received_at", from, to);
                command.CommandText = $"SELECT count(*) FROM postback_log l WHERE {filter}";
                return (long)command.ExecuteScalar()!;
            },
            cancellationToken);
    }

    // The set and campaign filters of a figures query and a half-open range of the column (days in the roll-ups, times in conversions).
    private static StringBuilder Filter(SqliteCommand command, ConversionTotalsQuery query, string rangeColumn, long? from, long? to)
    {
        var filter = new StringBuilder("1 = 1");
        AddFilter(command, filter, "set_id", query.SetId);
        AddFilter(command, filter, "campaign_id", query.CampaignId);
        AddRange(command, filter, rangeColumn, from, to);
        return filter;
    }

    private static void AddFilter(SqliteCommand command, StringBuilder filter, string column, string? value)
    {
        if (value is not null)
        {
            var name = "$" + column.Replace('.', '_');
            filter.Append(" AND ").Append(column).Append(" = ").Append(name);
            command.Parameters.AddValue(name, value);
        }
    }

    private static void AddRange(SqliteCommand command, StringBuilder filter, string column, long? from, long? to)
    {
        if (from is { } fromValue)
        {
            filter.Append(" AND ").Append(column).Append(" >= $from");
            command.Parameters.AddValue("$from", fromValue);
        }

        if (to is { } toValue)
        {
            filter.Append(" AND ").Append(column).Append(" < $to");
            command.Parameters.AddValue("$to", toValue);
        }
    }

    /// <summary>
    /// A receive-time range split into the whole UTC days it covers, read from <c>conversion_rollups</c>, and the partial days
    /// at its ends, read from <c>conversions</c>; a range within one or two partial days reads only conversions.
    /// </summary>
    /// <param name="FirstDay">The first whole day (<see cref="SqliteValues.DayOf(long)"/>), or <see langword="null"/> from the first.</param>
    /// <param name="EndDay">The day after the last whole day, or <see langword="null"/> to the last.</param>
    /// <param name="HasWholeDays">Whether it covers at least one whole day.</param>
    /// <param name="PartialDays">The stored-time ranges of its partial days.</param>
    private sealed record FiguresRange(long? FirstDay, long? EndDay, bool HasWholeDays, IReadOnlyList<(long? From, long? To)> PartialDays)
    {
        public static FiguresRange Of(long? from, long? to)
        {
            long? firstDay = from is { } f ? SqliteValues.DayOf(f - 1) + 1 : null;
            long? endDay = to is { } t ? SqliteValues.DayOf(t) : null;
            if (firstDay >= endDay)
            {
                return new FiguresRange(null, null, false, [(from, to)]);
            }

            var partial = new List<(long? From, long? To)>(2);
            if (from is { } start && start < SqliteValues.StartOfDay(firstDay!.Value))
            {
                partial.Add((start, SqliteValues.StartOfDay(firstDay.Value)));
            }

            if (to is { } end && SqliteValues.StartOfDay(endDay!.Value) < end)
            {
                partial.Add((SqliteValues.StartOfDay(endDay.Value), end));
            }

            return new FiguresRange(firstDay, endDay, true, partial);
        }
    }
}
