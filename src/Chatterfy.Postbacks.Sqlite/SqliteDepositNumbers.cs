using Chatterfy.Postbacks.Storage;
using Microsoft.Data.Sqlite;

namespace Chatterfy.Postbacks.Sqlite;

/// <summary>
/// The upgrade's numbering of the deposits stored before numbers existed: per click id, the credited first deposits and
/// deposits in (received at, id) order, each numbered by <see cref="DepositNumbering"/> after the ones before it (so the
/// earliest first deposit takes 1, a repeat deposit never does, and a second first deposit follows with the repeats).
/// </summary>
internal static class SqliteDepositNumbers
{
    /// <summary>Numbers the stored credited deposits, in the migration's transaction.</summary>
    /// <param name="connection">The connection.</param>
    /// <param name="transaction">The migration's transaction.</param>
    public static void Fill(SqliteConnection connection, SqliteTransaction transaction)
    {
        var numbers = new List<(string Id, int Number)>();
        using (var select = connection.CreateCommand())
        {
            select.Transaction = transaction;
            select.CommandText = $"""
                SELECT id, click_id, event FROM conversions
                WHERE attribution = '{StoredWords.Of(ConversionAttribution.Credited)}'
                ORDER BY click_id, received_at, id
                """;
            using var reader = select.ExecuteReader();
            string? clickId = null;
            int? highest = null;
            var firstTaken = false;
            while (reader.Read())
            {
                var kind = SqliteValues.ToEvent(reader.GetString(2)).Kind;
                if (!DepositNumbering.IsNumbered(kind))
                {
                    continue;
                }

                var click = reader.GetString(1);
                if (!string.Equals(click, clickId, StringComparison.Ordinal))
                {
                    (clickId, highest, firstTaken) = (click, null, false);
                }

                var number = DepositNumbering.Next(kind, highest, firstTaken);
                highest = Math.Max(highest ?? 0, number);
                firstTaken |= number == DepositNumbering.First;
                numbers.Add((reader.GetString(0), number));
            }
        }

        using var update = connection.CreateCommand();
        update.Transaction = transaction;
        update.CommandText = "UPDATE conversions SET deposit_number = $number WHERE id = $id";
        var numberParameter = update.Parameters.Add("$number", SqliteType.Integer);
        var id = update.Parameters.Add("$id", SqliteType.Text);
        foreach (var (conversionId, value) in numbers)
        {
            numberParameter.Value = value;
            id.Value = conversionId;
            update.ExecuteNonQuery();
        }
    }
}
