using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Storage;
using Microsoft.Data.Sqlite;

namespace Chatterfy.Postbacks.Sqlite;

/// <summary>
/// The changes a write transaction makes to <c>conversion_rollups</c>: one row per UTC day, set, campaign, event,
/// attribution, currency, reporting currency, deposit-number bucket and conversion status with the count, the exact sum of the amounts and the exact sum of the
/// reporting amounts of the stored conversions it covers. Writes
/// add to it once the record they belong to is written (a record that fails alone adds nothing); the writer applies it
/// once per transaction, just before the commit, each key once (read, added to with <see cref="decimal"/>, written back:
/// SQLite's arithmetic on TEXT would go through a double), and forgets it when a transaction is rolled back.
/// </summary>
internal sealed class SqliteConversionRollups
{
    // NULL campaigns and currencies are compared with IS; the writer is the only one writing, so a key has one row.
    private const string KeyConditionV4 =
        "day = $day AND set_id = $set_id AND campaign_id IS $campaign_id AND event = $event AND attribution = $attribution AND currency IS $currency";

    private const string KeyConditionV11 = KeyConditionV4 + " AND reporting_currency IS $reporting_currency AND deposit_bucket IS $deposit_bucket";

    private const string KeyCondition = KeyConditionV11 + " AND status = $status";

    private const string FindSql = $"SELECT rowid, count, amount, reporting_amount FROM conversion_rollups WHERE {KeyCondition}";

    private const string InsertSql = """
        INSERT INTO conversion_rollups (day, set_id, campaign_id, event, attribution, currency, reporting_currency, deposit_bucket, status, count, amount, reporting_amount)
        VALUES ($day, $set_id, $campaign_id, $event, $attribution, $currency, $reporting_currency, $deposit_bucket, $status, $count, $amount, $reporting_amount)
        """;

    // The table as the deposit-number buckets' migration made it, for that migration's own refill (the status came later).
    private const string FindSqlV11 = $"SELECT rowid, count, amount, reporting_amount FROM conversion_rollups WHERE {KeyConditionV11}";

    private const string InsertSqlV11 = """
        INSERT INTO conversion_rollups (day, set_id, campaign_id, event, attribution, currency, reporting_currency, deposit_bucket, count, amount, reporting_amount)
        VALUES ($day, $set_id, $campaign_id, $event, $attribution, $currency, $reporting_currency, $deposit_bucket, $count, $amount, $reporting_amount)
        """;

    private const string UpdateSql = "UPDATE conversion_rollups SET count = $count, amount = $amount, reporting_amount = $reporting_amount WHERE rowid = $rowid";

    // The table as migration 4 made it, for the migration's own fill (the reporting columns come with a later migration).
    private const string FindSqlV4 = $"SELECT rowid, count, amount, '0' FROM conversion_rollups WHERE {KeyConditionV4}";

    private const string InsertSqlV4 = """
        INSERT INTO conversion_rollups (day, set_id, campaign_id, event, attribution, currency, count, amount)
        VALUES ($day, $set_id, $campaign_id, $event, $attribution, $currency, $count, $amount)
        """;

    private const string UpdateSqlV4 = "UPDATE conversion_rollups SET count = $count, amount = $amount WHERE rowid = $rowid";

    private const string DeleteSql = "DELETE FROM conversion_rollups WHERE rowid = $rowid";

    private readonly Dictionary<Key, (long Count, decimal Amount, decimal ReportingAmount)> _changes = [];
    private readonly Columns _columns;

    /// <summary>Initializes a new instance of the <see cref="SqliteConversionRollups"/> class for the current schema.</summary>
    public SqliteConversionRollups()
        : this(Columns.Current)
    {
    }

    private SqliteConversionRollups(Columns columns) => _columns = columns;

    // The columns a fill writes: those the migration that fills the table knows.
    private enum Columns
    {
        // Only those migration 4 created.
        V4,

        // With the reporting amounts and the deposit buckets, without the status.
        V11,

        // The current schema's.
        Current,
    }

    /// <summary>
    /// Adds <paramref name="count"/> conversions (negative: removes them) with <paramref name="amount"/> and
    /// <paramref name="reportingAmount"/> in all to a key.
    /// </summary>
    /// <param name="key">The roll-up row.</param>
    /// <param name="count">How many conversions.</param>
    /// <param name="amount">Their amounts, summed (0 for conversions without one).</param>
    /// <param name="reportingAmount">Their reporting amounts, summed (0 for conversions without one).</param>
    public void Add(Key key, long count, decimal amount, decimal reportingAmount = 0m)
    {
        var change = _changes.GetValueOrDefault(key);
        _changes[key] = (change.Count + count, change.Amount + amount, change.ReportingAmount + reportingAmount);
    }

    /// <summary>Forgets the changes (the transaction they belong to was rolled back).</summary>
    public void Clear() => _changes.Clear();

    /// <summary>Writes the changes in <paramref name="session"/>'s transaction, keys in order, and forgets them.</summary>
    /// <param name="session">The writer's session.</param>
    public void Apply(SqliteWriteSession session)
    {
        if (_changes.Count == 0)
        {
            return;
        }

        foreach (var (key, (count, amount, reportingAmount)) in _changes.OrderBy(c => c.Key))
        {
            if (count == 0 && amount == 0m && reportingAmount == 0m)
            {
                continue;
            }

            var find = session.Command(_columns switch { Columns.V4 => FindSqlV4, Columns.V11 => FindSqlV11, _ => FindSql });
            Bind(find, key);
            long? rowId = null;
            var total = (Count: 0L, Amount: 0m, ReportingAmount: 0m);
            using (var reader = find.ExecuteReader())
            {
                if (reader.Read())
                {
                    rowId = reader.GetInt64(0);
                    total = (reader.GetInt64(1), SqliteValues.ToDecimal(reader.GetString(2)), SqliteValues.ToDecimal(reader.GetString(3)));
                }
            }

            total = (total.Count + count, total.Amount + amount, total.ReportingAmount + reportingAmount);
            if (total.Count < 0)
            {
                throw new InvalidOperationException($"The conversion roll-up of day {key.Day}, set '{key.SetId}' would count {total.Count} conversions.");
            }

            SqliteCommand write;
            if (rowId is { } id && total.Count == 0)
            {
                write = session.Command(DeleteSql);
                write.Parameters.AddValue("$rowid", id);
            }
            else
            {
                write = session.Command(rowId is null
                    ? _columns switch { Columns.V4 => InsertSqlV4, Columns.V11 => InsertSqlV11, _ => InsertSql }
                    : (_columns == Columns.V4 ? UpdateSqlV4 : UpdateSql));
                if (rowId is { } existing)
                {
                    write.Parameters.AddValue("$rowid", existing);
                }
                else
                {
                    Bind(write, key);
                }

                write.Parameters.AddValue("$count", total.Count);
                write.Parameters.AddValue("$amount", SqliteValues.ToDb(total.Amount));
                if (_columns != Columns.V4)
                {
                    write.Parameters.AddValue("$reporting_amount", SqliteValues.ToDb(total.ReportingAmount));
                }
            }

            write.ExecuteNonQuery();
        }

        _changes.Clear();
    }

    /// <summary>
    /// Fills <c>conversion_rollups</c> from the stored conversions (the migration that creates it, with the columns it
    /// creates): the amounts of each key are grouped in SQL and summed here.
    /// </summary>
    /// <param name="connection">The connection.</param>
    /// <param name="transaction">The migration's transaction.</param>
    public static void Fill(SqliteConnection connection, SqliteTransaction transaction)
    {
        var rollups = new SqliteConversionRollups(Columns.V4);
        using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = $"""
                SELECT {SqliteValues.DayOf("received_at")} AS day, set_id, campaign_id, event, attribution, currency, amount, count(*)
                FROM conversions
                GROUP BY day, set_id, campaign_id, event, attribution, currency, amount
                """;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var key = new Key(reader.GetInt64(0), reader.GetString(1), reader.GetNullableString(2), reader.GetString(3), reader.GetString(4), reader.GetNullableString(5));
                var count = reader.GetInt64(7);
                rollups.Add(key, count, reader.GetNullableString(6) is { } amount ? SqliteValues.ToDecimal(amount) * count : 0m);
            }
        }

        using var session = new SqliteWriteSession(connection) { Transaction = transaction };
        rollups.Apply(session);
    }

    /// <summary>
    /// Fills <c>conversion_rollups</c> again from the stored conversions, with the deposit-number buckets (the migration
    /// that adds them, after its statements emptied the table): the amounts of each key are grouped in SQL and summed here.
    /// It writes the columns that migration knows; the statuses' migration has its own, <see cref="RefillWithStatuses"/>.
    /// </summary>
    /// <param name="connection">The connection.</param>
    /// <param name="transaction">The migration's transaction.</param>
    public static void Refill(SqliteConnection connection, SqliteTransaction transaction) => Refill(connection, transaction, Columns.V11);

    /// <summary>
    /// Fills <c>conversion_rollups</c> again from the stored conversions, with their statuses (the migration that adds
    /// the status to the key, after its statements emptied the table). It writes the columns of the current schema: a
    /// later migration that changes the key gives this one its own statements, as <see cref="Refill(SqliteConnection, SqliteTransaction)"/> has.
    /// </summary>
    /// <param name="connection">The connection.</param>
    /// <param name="transaction">The migration's transaction.</param>
    public static void RefillWithStatuses(SqliteConnection connection, SqliteTransaction transaction) => Refill(connection, transaction, Columns.Current);

    private static void Refill(SqliteConnection connection, SqliteTransaction transaction, Columns columns)
    {
        var rollups = new SqliteConversionRollups(columns);
        var status = columns == Columns.Current ? "status" : $"'{ConversionStatusNames.Approved}'";
        using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = $"""
                SELECT {SqliteValues.DayOf("received_at")} AS day, set_id, campaign_id, event, attribution, currency, reporting_currency,
                       min(deposit_number, {DepositNumbering.GroupedFrom}) AS deposit_bucket, amount, reporting_amount, count(*), {status} AS status
                FROM conversions
                GROUP BY day, set_id, campaign_id, event, attribution, currency, reporting_currency, deposit_bucket, amount, reporting_amount, status
                """;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var key = new Key(reader.GetInt64(0), reader.GetString(1), reader.GetNullableString(2), reader.GetString(3), reader.GetString(4), reader.GetNullableString(5), reader.GetNullableString(6))
                {
                    DepositBucket = reader.IsDBNull(7) ? null : reader.GetInt32(7),
                    Status = reader.GetString(11),
                };
                var count = reader.GetInt64(10);
                rollups.Add(
                    key,
                    count,
                    reader.GetNullableString(8) is { } amount ? SqliteValues.ToDecimal(amount) * count : 0m,
                    reader.GetNullableString(9) is { } reportingAmount ? SqliteValues.ToDecimal(reportingAmount) * count : 0m);
            }
        }

        using var session = new SqliteWriteSession(connection) { Transaction = transaction };
        rollups.Apply(session);
    }

    private static void Bind(SqliteCommand command, Key key)
    {
        command.Parameters.AddValue("$day", key.Day);
        command.Parameters.AddValue("$set_id", key.SetId);
        command.Parameters.AddValue("$campaign_id", key.CampaignId);
        command.Parameters.AddValue("$event", key.Event);
        command.Parameters.AddValue("$attribution", key.Attribution);
        command.Parameters.AddValue("$currency", key.Currency);
        command.Parameters.AddValue("$reporting_currency", key.ReportingCurrency);
        command.Parameters.AddValue("$deposit_bucket", (long?)key.DepositBucket);
        command.Parameters.AddValue("$status", key.Status);
    }

    /// <summary>A roll-up row's key: the stored values of its conversions' columns.</summary>
    /// <param name="Day">The UTC day (<see cref="SqliteValues.DayOf(long)"/>) they were received.</param>
    /// <param name="SetId">Their set.</param>
    /// <param name="CampaignId">Their campaign.</param>
    /// <param name="Event">Their event's stored name.</param>
    /// <param name="Attribution">Their attribution's stored word.</param>
    /// <param name="Currency">Their currency.</param>
    /// <param name="ReportingCurrency">Their reporting amounts' currency.</param>
    /// <param name="DepositBucket">Their deposit numbers' stats bucket (<see cref="DepositNumbering.StatsBucket"/>).</param>
    internal readonly record struct Key(long Day, string SetId, string? CampaignId, string Event, string Attribution, string? Currency, string? ReportingCurrency = null, int? DepositBucket = null) : IComparable<Key>
    {
        /// <summary>Gets their status's stored word (<see cref="StoredWords.Of(Ingestion.ConversionStatus)"/>); approved unless set.</summary>
        public string Status { get; init; } = ConversionStatusNames.Approved;

        /// <inheritdoc />
        public int CompareTo(Key other)
        {
            var order = Day.CompareTo(other.Day);
            order = order != 0 ? order : string.CompareOrdinal(SetId, other.SetId);
            order = order != 0 ? order : string.CompareOrdinal(CampaignId, other.CampaignId);
            order = order != 0 ? order : string.CompareOrdinal(Event, other.Event);
            order = order != 0 ? order : string.CompareOrdinal(Attribution, other.Attribution);
            order = order != 0 ? order : string.CompareOrdinal(Currency, other.Currency);
            order = order != 0 ? order : string.CompareOrdinal(ReportingCurrency, other.ReportingCurrency);
            order = order != 0 ? order : Nullable.Compare(DepositBucket, other.DepositBucket);
            return order != 0 ? order : string.CompareOrdinal(Status, other.Status);
        }
    }
}
