using System.Text;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Storage;
using Microsoft.Data.Sqlite;

namespace Chatterfy.Postbacks.Sqlite;

// The figures the stats are made of. Counting is done in SQL; money is summed in C# with decimal, because SQLite's SUM
// converts TEXT to a double. What the figures mean is the core's business (PostbackStatsService).
internal sealed partial class SqliteLogStore
{
    /// <inheritdoc />
    protected override ValueTask<IReadOnlyList<ConversionTotal>> GetConversionTotalsCoreAsync(ConversionTotalsQuery query, CancellationToken cancellationToken)
    {
        long? from = SqliteValues.ToDb(query.From);
        long? to = SqliteValues.ToDb(query.To);
        return database.ReadAsync<IReadOnlyList<ConversionTotal>>(
            (connection, cancellationToken) =>
            {
                var filter = new StringBuilder("1 = 1");
                using var command = connection.CreateCommand();
                AddFilter(command, filter, "set_id", query.SetId);
                AddFilter(command, filter, "campaign_id", query.CampaignId);
                AddRange(command, filter, "received_at", from, to);

                // One row per distinct amount of a group (amounts repeat), summed exactly here.
                command.CommandText = $"""
                    SELECT event, attribution, currency, amount, count(*) FROM conversions
                    WHERE {filter}
                    GROUP BY event, attribution, currency, amount
                    """;
                var groups = new Dictionary<(PostbackEventKind Kind, ConversionAttribution Attribution, string? Currency), (long Count, decimal Amount)>();
                using (var reader = command.ExecuteReader())
                {
                    while (reader.Read())
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        var key = (SqliteValues.ToEvent(reader.GetString(0)).Kind, StoredWords.ParseAttribution(reader.GetString(1)), reader.GetNullableString(2));
                        var count = reader.GetInt64(4);
                        var amount = reader.GetNullableString(3) is { } text ? SqliteValues.ToDecimal(text) * count : 0m;
                        var sum = groups.GetValueOrDefault(key);
                        groups[key] = (sum.Count + count, sum.Amount + amount);
                    }
                }

                var totals = new List<ConversionTotal>(groups.Count);
                foreach (var ((kind, attribution, currency), (count, amount)) in groups)
                {
                    totals.Add(new ConversionTotal(kind, attribution, currency, count, amount));
                }

                totals.Sort(static (a, b) =>
                {
                    var order = a.Kind.CompareTo(b.Kind);
                    order = order != 0 ? order : a.Attribution.CompareTo(b.Attribution);
                    return order != 0 ? order : string.CompareOrdinal(a.Currency, b.Currency);
                });
                return totals.AsReadOnly();
            },
            cancellationToken);
    }

    /// <inheritdoc />
    protected override ValueTask<IReadOnlyList<DailyConversionCount>> GetDailyConversionCountsCoreAsync(ConversionTotalsQuery query, CancellationToken cancellationToken)
    {
        long? from = SqliteValues.ToDb(query.From);
        long? to = SqliteValues.ToDb(query.To);
        return database.ReadAsync<IReadOnlyList<DailyConversionCount>>(
            (connection, cancellationToken) =>
            {
                var filter = new StringBuilder("1 = 1");
                using var command = connection.CreateCommand();
                AddFilter(command, filter, "set_id", query.SetId);
                AddFilter(command, filter, "campaign_id", query.CampaignId);
                AddRange(command, filter, "received_at", from, to);

                // Custom events are stored by name: their rows are merged into one kind here.
                command.CommandText = $"""
                    SELECT {SqliteValues.DayOf("received_at")} AS day, event, attribution, count(*) FROM conversions
                    WHERE {filter}
                    GROUP BY day, event, attribution
                    """;
                var groups = new Dictionary<(long Day, PostbackEventKind Kind, ConversionAttribution Attribution), long>();
                using (var reader = command.ExecuteReader())
                {
                    while (reader.Read())
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        var key = (reader.GetInt64(0), SqliteValues.ToEvent(reader.GetString(1)).Kind, StoredWords.ParseAttribution(reader.GetString(2)));
                        groups[key] = groups.GetValueOrDefault(key) + reader.GetInt64(3);
                    }
                }

                return
                [
                    .. groups
                        .OrderBy(g => g.Key.Day).ThenBy(g => g.Key.Kind).ThenBy(g => g.Key.Attribution)
                        .Select(g => new DailyConversionCount(SqliteValues.ToDay(g.Key.Day), g.Key.Kind, g.Key.Attribution, g.Value)),
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
}
