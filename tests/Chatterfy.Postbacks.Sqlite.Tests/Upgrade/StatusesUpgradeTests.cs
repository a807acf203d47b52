using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Storage.Conformance;
using Microsoft.Data.Sqlite;

namespace Chatterfy.Postbacks.Sqlite.Tests.Upgrade;

/// <summary>
/// A database at the previous schema version (the migrations before the statuses, with a set written as that version's
/// store writes it) gets status maps when the current store opens it: the set keeps every value and has the default map
/// (none of its own), and a map can then be stored on it.
/// </summary>
public sealed class StatusesUpgradeTests : IDisposable
{
    // The version before the statuses, the last migration.
    private static readonly int PreviousVersion = SqliteSchema.LatestVersion - 1;
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task DatabaseOfThePreviousVersion_KeepsItsSets_WithTheDefaultStatusMap()
    {
        var epoch = SqliteValues.ToDb(StoreTestData.Epoch);
        using (var connection = _database.OpenRaw())
        {
            using var transaction = connection.BeginTransaction();
            foreach (var migration in SqliteSchema.Migrations.Take(PreviousVersion))
            {
                Execute(connection, transaction, migration.Sql);
                migration.Fill?.Invoke(connection, transaction);
            }

            Execute(connection, transaction, $"PRAGMA user_version = {PreviousVersion}");

            // The INSERT of SqliteSetStore at the previous version.
            Execute(connection, transaction, $$"""
                INSERT INTO postback_sets (id, name, network_id, campaign_id, token, settings, created_at, enabled, attribution_window_seconds)
                VALUES ('set-1', 'Binom', 'custom', NULL, 'tok-1', '{"clickIdMacro":"{subid}"}', {{epoch}}, 1, 3600);
                INSERT INTO postback_set_tokens (token, set_id) VALUES ('tok-1', 'set-1');
                """);
            transaction.Commit();
        }

        var store = _database.CreateStore(o => o.CreateIfMissing = false);
        await store.InitializeAsync();

        _database.Scalar("PRAGMA user_version").Should().Be((long)SqliteSchema.LatestVersion);
        var set = (await store.Storage.Sets.GetAsync("set-1", None))!;
        set.Name.Should().Be("Binom");
        set.AttributionWindowSeconds.Should().Be(3600);
        set.Settings!.Value.GetProperty("clickIdMacro").GetString().Should().Be("{subid}");
        set.StatusMap.Should().BeNull("an existing set uses the default map");

        ConversionStatusMap.TryCreate(new Dictionary<string, IReadOnlyList<string>?> { ["pending"] = ["Hold"] }, out var map, out _).Should().BeTrue();
        await store.Storage.Sets.UpdateAsync(set with { StatusMap = map }, None);
        (await store.Storage.Sets.FindByTokenAsync("tok-1", StoreTestData.Epoch, None))!.StatusMap!.ToJson().Should().Be("""{"pending":["Hold"]}""");
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
