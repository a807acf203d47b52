using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Storage;
using Microsoft.Data.Sqlite;

namespace Chatterfy.Postbacks.Sqlite.Tests.Upgrade;

/// <summary>
/// A database at the previous schema version (the shipped migrations before this one, with conversions written as that
/// version's store writes them) gets the index of unknown status words when the current store opens it: the conversions
/// keep their values, the status remap's read lists the set's unknown words, and it reads them through the index.
/// </summary>
public sealed class UnknownStatusWordsUpgradeTests : IDisposable
{
    // The version before the index (migration 16): the rule status filters.
    private const int PreviousVersion = 15;
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task DatabaseOfThePreviousVersion_KeepsItsConversions_AndListsTheUnknownWordsThroughTheIndex()
    {
        var epoch = SqliteValues.ToDb(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
        using (var connection = _database.OpenRaw())
        {
            using var transaction = connection.BeginTransaction();
            TestDatabase.ApplyMigrations(connection, transaction, PreviousVersion);

            // conv-1 and conv-3 unknown words of set-1, conv-2 a known one, conv-4 no status, conv-5 an unknown word of set-2.
            Execute(connection, transaction, $"""
                INSERT INTO postback_sets (id, name, network_id, token, created_at, enabled) VALUES ('set-1', '1Win', '1win', 'tok-1', {epoch}, 1);
                INSERT INTO postback_set_tokens (token, set_id) VALUES ('tok-1', 'set-1');
                INSERT INTO conversions (id, set_id, event, click_id, amount, currency, transaction_id, attributes, received_at, idempotency_key, attribution, campaign_id, deposit_number, status, status_word, status_word_unknown)
                VALUES ('conv-1', 'set-1', 'first-deposit', 'click-1', '50.00', 'USD', 'T1', '{"{}"}', {epoch}, 'k1', 'credited', NULL, 1, 'pending', 'Won', 1),
                       ('conv-2', 'set-1', 'deposit', 'click-1', '20.00', 'USD', 'T2', '{"{}"}', {epoch + 10_000_000}, 'k2', 'credited', NULL, 2, 'pending', 'hold', 0),
                       ('conv-3', 'set-1', 'deposit', 'click-1', '30.00', 'USD', 'T3', '{"{}"}', {epoch + 20_000_000}, 'k3', 'credited', NULL, 3, 'pending', 'Gesperrt', 1),
                       ('conv-4', 'set-1', 'registration', 'click-2', NULL, NULL, NULL, '{"{}"}', {epoch + 30_000_000}, 'k4', 'credited', NULL, NULL, 'approved', NULL, 0),
                       ('conv-5', 'set-2', 'registration', 'click-3', NULL, NULL, NULL, '{"{}"}', {epoch + 40_000_000}, 'k5', 'credited', NULL, NULL, 'pending', 'Won', 1);
                PRAGMA user_version = {PreviousVersion};
                """);
            transaction.Commit();
        }

        var store = _database.CreateStore(o => o.CreateIfMissing = false);
        await store.InitializeAsync();

        _database.Scalar("PRAGMA user_version").Should().Be((long)SqliteSchema.LatestVersion);
        _database.Scalar("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'ix_conversions_set_id_unknown_word'").Should().Be(1L);
        var unknown = await store.Storage.Ingest.ListConversionsAsync(new ConversionListQuery { SetId = "set-1", StatusWordUnknown = true }, None);
        unknown.Select(c => (c.Id, c.Status, c.StatusWord, c.StatusWordUnknown)).Should().Equal(
            ("conv-3", ConversionStatus.Pending, "Gesperrt", true), ("conv-1", ConversionStatus.Pending, "Won", true));
        (await store.Storage.Ingest.ListConversionsAsync(new ConversionListQuery { SetId = "set-1", StatusWordUnknown = true, BeforeId = "conv-3" }, None))
            .Select(c => c.Id).Should().Equal("conv-1");
        (await store.Storage.Ingest.ListConversionsAsync(new ConversionListQuery { SetId = "set-1" }, None)).Select(c => c.Id).Should().Equal("conv-4", "conv-3", "conv-2", "conv-1");

        // The remap's reads (the first page, and a page after a cursor) as SqliteIngestStore writes them: the index alone, in
        // the listing's order (no sort), only the set's unknown words.
        const string Read = "SELECT " + SqliteIngestStore.ConversionColumns + " FROM conversions WHERE 1 = 1{0} AND set_id = 'set-1' AND status_word_unknown = 1 ORDER BY received_at DESC, id DESC LIMIT 1000";
        QueryPlan(string.Format(System.Globalization.CultureInfo.InvariantCulture, Read, ""))
            .Should().Equal("SEARCH conversions USING INDEX ix_conversions_set_id_unknown_word (set_id=?)");
        QueryPlan(string.Format(System.Globalization.CultureInfo.InvariantCulture, Read, $" AND (received_at, id) < ({epoch + 20_000_000}, 'conv-3')"))
            .Should().Equal("SEARCH conversions USING INDEX ix_conversions_set_id_unknown_word (set_id=? AND (received_at,id)<(?,?))");
    }

    private List<string> QueryPlan(string sql)
    {
        using var connection = _database.OpenRaw();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        using var reader = command.ExecuteReader();
        var details = new List<string>();
        while (reader.Read())
        {
            details.Add(reader.GetString(3));
        }

        return details;
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
