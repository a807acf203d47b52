using Chatterfy.Postbacks.Ingestion;
using Npgsql;

namespace Chatterfy.Postbacks.PostgreSql.Tests.Upgrade;

/// <summary>
/// A schema at the previous version (the migrations before the statuses, with a set written as that version's store
/// writes it) gets status maps when the current store migrates it: the set keeps every value and has the default map
/// (none of its own), and a map can then be stored on it.
/// </summary>
public sealed class StatusesUpgradeTests
{
    // The version before the statuses, the last migration.
    private static readonly int PreviousVersion = PostgreSqlSchema.CurrentVersion - 1;
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [PostgresFact]
    public async Task Migrate_SchemaOfThePreviousVersion_KeepsItsSets_WithTheDefaultStatusMap()
    {
        await using var database = new PostgresTestDatabase();
        var schema = database.NewSchema();
        var quoted = PostgreSqlSchema.Quote(schema);
        var dataSource = database.NewDataSource();
        await using (var connection = await dataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await ExecuteAsync(connection, transaction, $"CREATE SCHEMA {quoted}");
            await ExecuteAsync(connection, transaction, PostgreSqlSchema.Render(PostgreSqlSchema.VersionTable, quoted));
            for (var version = 1; version <= PreviousVersion; version++)
            {
                await ExecuteAsync(connection, transaction, PostgreSqlSchema.Render(PostgreSqlSchema.Migrations[version - 1], quoted));
                await ExecuteAsync(connection, transaction, $"INSERT INTO {quoted}.schema_version (version) VALUES ({version})");
            }

            // The INSERT of PostgreSqlSetStore at the previous version.
            await ExecuteAsync(connection, transaction, $$"""
                INSERT INTO {{quoted}}.postback_sets (id, name, network_id, campaign_id, token, settings, created_at, enabled, attribution_window_seconds)
                VALUES ('set-1', 'Binom', 'custom', NULL, 'tok-1', '{"clickIdMacro":"{subid}"}'::jsonb, '{{T0:O}}', true, 3600);
                INSERT INTO {{quoted}}.postback_set_tokens (token, set_id) VALUES ('tok-1', 'set-1');
                """);
            await transaction.CommitAsync();
        }

        var store = database.NewStore(schema);
        (await store.MigrateAsync()).Should().Be(PostgreSqlSchema.CurrentVersion - PreviousVersion);

        (await PostgresTestDatabase.SchemaVersionsAsync(schema)).Should().Equal(Enumerable.Range(1, PostgreSqlSchema.CurrentVersion));
        var set = (await store.Storage.Sets.GetAsync("set-1", None))!;
        set.Name.Should().Be("Binom");
        set.CreatedAt.Should().Be(T0);
        set.AttributionWindowSeconds.Should().Be(3600);
        set.Settings!.Value.GetProperty("clickIdMacro").GetString().Should().Be("{subid}");
        set.StatusMap.Should().BeNull("an existing set uses the default map");

        ConversionStatusMap.TryCreate(new Dictionary<string, IReadOnlyList<string>?> { ["pending"] = ["Hold"] }, out var map, out _).Should().BeTrue();
        await store.Storage.Sets.UpdateAsync(set with { StatusMap = map }, None);
        (await store.Storage.Sets.FindByTokenAsync("tok-1", T0, None))!.StatusMap!.ToJson().Should().Be("""{"pending":["Hold"]}""");
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync();
    }
}
