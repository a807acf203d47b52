using System.Text;
using Chatterfy.Postbacks.Storage;
using Microsoft.Data.Sqlite;

namespace Chatterfy.Postbacks.Sqlite;

// Stats. Counting is done in SQL; money is summed in C# with decimal, because SQLite's SUM converts TEXT to a double.
public sealed partial class SqlitePostbackStore
{
    /// <inheritdoc />
    public override ValueTask<PostbackStats> GetStatsAsync(PostbackStatsQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        long? from = query.From is { } f ? SqliteValues.ToDb(f) : null;
        long? to = query.To is { } t ? SqliteValues.ToDb(t) : null;
        return ReadAsync(
            (connection, cancellationToken) =>
            {
                // One read transaction: every figure comes from the same snapshot.
                using var transaction = connection.BeginTransaction(deferred: true);

                using var counts = Command(connection, $"""
                    SELECT
                        count(*) FILTER (WHERE attribution = 'credited' AND event = 'registration'),
                        count(*) FILTER (WHERE attribution = 'credited' AND event = 'first-deposit'),
                        count(*) FILTER (WHERE attribution = 'credited' AND event = 'deposit'),
                        count(*) FILTER (WHERE attribution = 'unattributed')
                    FROM conversions
                    WHERE {ConversionFilter(query, from, to)}
                    """);
                counts.Transaction = transaction;
                AddFilterParameters(counts, query, from, to);
                long registrations, firstDeposits, deposits, unattributed;
                using (var reader = counts.ExecuteReader())
                {
                    reader.Read();
                    registrations = reader.GetInt64(0);
                    firstDeposits = reader.GetInt64(1);
                    deposits = reader.GetInt64(2);
                    unattributed = reader.GetInt64(3);
                }

                var amounts = SumAmounts(connection, transaction, query, from, to, cancellationToken);
                var rejected = CountRejected(connection, transaction, query, from, to);
                var clicks = CountClicks(connection, transaction, query, from, to);
                return new PostbackStats
                {
                    Clicks = clicks,
                    Registrations = registrations,
                    FirstDeposits = firstDeposits,
                    Deposits = deposits,
                    Unattributed = unattributed,
                    Rejected = rejected,
                    Amounts = amounts,
                };
            },
            cancellationToken);
    }

    private static string ConversionFilter(PostbackStatsQuery query, long? from, long? to)
    {
        var filter = new StringBuilder("1 = 1");
        if (query.SetId is not null)
        {
            filter.Append(" AND set_id = $set_id");
        }

        if (query.CampaignId is not null)
        {
            filter.Append(" AND campaign_id = $campaign_id");
        }

        AppendRange(filter, "received_at", from, to);
        return filter.ToString();
    }

    private static void AppendRange(StringBuilder filter, string column, long? from, long? to)
    {
        if (from is not null)
        {
            filter.Append(" AND ").Append(column).Append(" >= $from");
        }

        if (to is not null)
        {
            filter.Append(" AND ").Append(column).Append(" < $to");
        }
    }

    private static void AddFilterParameters(SqliteCommand command, PostbackStatsQuery query, long? from, long? to)
    {
        if (query.SetId is { } setId)
        {
            command.Parameters.AddValue("$set_id", setId);
        }

        if (query.CampaignId is { } campaignId)
        {
            command.Parameters.AddValue("$campaign_id", campaignId);
        }

        if (from is { } fromValue)
        {
            command.Parameters.AddValue("$from", fromValue);
        }

        if (to is { } toValue)
        {
            command.Parameters.AddValue("$to", toValue);
        }
    }

    /// <summary>Streams the credited deposits' amounts and sums them exactly per currency, ordered by currency (ordinal).</summary>
    private static List<CurrencyAmounts> SumAmounts(
        SqliteConnection connection, SqliteTransaction transaction, PostbackStatsQuery query, long? from, long? to, CancellationToken cancellationToken)
    {
        using var command = Command(connection, $"""
            SELECT event, currency, amount FROM conversions
            WHERE attribution = 'credited' AND event IN ('first-deposit', 'deposit') AND amount IS NOT NULL AND currency IS NOT NULL
                AND {ConversionFilter(query, from, to)}
            """);
        command.Transaction = transaction;
        AddFilterParameters(command, query, from, to);
        var sums = new SortedDictionary<string, (decimal FirstDeposits, decimal Deposits)>(StringComparer.Ordinal);
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                cancellationToken.ThrowIfCancellationRequested();
                var firstDeposit = reader.GetString(0) == "first-deposit";
                var currency = reader.GetString(1);
                var amount = SqliteValues.ToDecimal(reader.GetString(2));
                var sum = sums.GetValueOrDefault(currency);
                sums[currency] = firstDeposit ? (sum.FirstDeposits + amount, sum.Deposits) : (sum.FirstDeposits, sum.Deposits + amount);
            }
        }

        var amounts = new List<CurrencyAmounts>(sums.Count);
        foreach (var (currency, sum) in sums)
        {
            amounts.Add(new CurrencyAmounts(currency, sum.FirstDeposits, sum.Deposits));
        }

        return amounts;
    }

    /// <summary>Rejected log entries of the set; with a campaign, of sets (deleted ones too) scoped to it.</summary>
    private static long CountRejected(SqliteConnection connection, SqliteTransaction transaction, PostbackStatsQuery query, long? from, long? to)
    {
        var filter = new StringBuilder("l.outcome = 'rejected'");
        if (query.SetId is not null)
        {
            filter.Append(" AND l.set_id = $set_id");
        }

        if (query.CampaignId is not null)
        {
            filter.Append(" AND EXISTS (SELECT 1 FROM postback_sets s WHERE s.id = l.set_id AND s.campaign_id = $campaign_id)");
        }

        AppendRange(filter, "l.received_at", from, to);
        using var command = Command(connection, $"SELECT count(*) FROM postback_log l WHERE {filter}");
        command.Transaction = transaction;
        AddFilterParameters(command, query, from, to);
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Clicks of the campaign, or when only a set is given and it is scoped to a campaign, of that campaign; otherwise all.</summary>
    private static long CountClicks(SqliteConnection connection, SqliteTransaction transaction, PostbackStatsQuery query, long? from, long? to)
    {
        var campaignId = query.CampaignId;
        if (campaignId is null && query.SetId is { } setId)
        {
            using var scope = Command(connection, "SELECT campaign_id FROM postback_sets WHERE id = $id");
            scope.Transaction = transaction;
            scope.Parameters.AddValue("$id", setId);
            campaignId = scope.ExecuteScalar() as string;
        }

        var filter = new StringBuilder("1 = 1");
        if (campaignId is not null)
        {
            filter.Append(" AND campaign_id = $campaign_id");
        }

        AppendRange(filter, "created_at", from, to);
        using var command = Command(connection, $"SELECT count(*) FROM clicks WHERE {filter}");
        command.Transaction = transaction;
        AddFilterParameters(command, new PostbackStatsQuery { CampaignId = campaignId }, from, to);
        return (long)command.ExecuteScalar()!;
    }
}
