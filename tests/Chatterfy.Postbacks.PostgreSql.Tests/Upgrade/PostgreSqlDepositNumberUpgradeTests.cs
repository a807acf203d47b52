using System.Globalization;
using System.Text;
using Chatterfy.Postbacks.Storage;

namespace Chatterfy.Postbacks.PostgreSql.Tests.Upgrade;

/// <summary>
/// A schema at version 4 (as the code before deposit numbers wrote it) gets its credited deposits numbered per click when
/// the current store migrates it: in (received at, id) order, the earliest first deposit 1, the others from 2.
/// </summary>
public sealed class PostgreSqlDepositNumberUpgradeTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [PostgresFact]
    public async Task SchemaOfVersion4_NumbersItsCreditedDepositsPerClick_InReceiveOrder()
    {
        await using var database = new PostgresTestDatabase();
        var schema = database.NewSchema();
        var quoted = PostgreSqlSchema.Quote(schema);
        var sql = new StringBuilder();
        sql.AppendLine(CultureInfo.InvariantCulture, $"CREATE SCHEMA {quoted};");
        sql.AppendLine(PostgreSqlSchema.Render(PostgreSqlSchema.VersionTable, quoted));
        for (var version = 1; version <= 3; version++)
        {
            sql.AppendLine(PostgreSqlSchema.Render(PostgreSqlSchema.Migrations[version - 1], quoted));
            sql.AppendLine(CultureInfo.InvariantCulture, $"INSERT INTO {quoted}.schema_version (version) VALUES ({version});");
        }

        // Click X: a repeat deposit before its first deposit, a second first deposit from set B, two deposits received at
        // the same time (ordered by id), an unattributed deposit and a registration. Click Y: one deposit.
        foreach (var (id, set, kind, click, hours, attribution) in new[]
        {
            ("x-1", "set-a", "deposit", "click-x", 1, "credited"),
            ("x-2", "set-a", "first-deposit", "click-x", 2, "credited"),
            ("x-3", "set-b", "first-deposit", "click-x", 3, "credited"),
            ("x-4", "set-b", "deposit", "click-x", 4, "credited"),
            ("x-5", "set-a", "deposit", "click-x", 5, "unattributed"),
            ("x-0", "set-a", "registration", "click-x", 0, "credited"),
            ("x-7b", "set-a", "deposit", "click-x", 6, "credited"),
            ("x-7a", "set-a", "deposit", "click-x", 6, "credited"),
            ("y-1", "set-a", "deposit", "click-y", 1, "credited"),
        })
        {
            sql.AppendLine(CultureInfo.InvariantCulture, $"""
                INSERT INTO {quoted}.conversions (id, set_id, event_kind, event_name, click_id, amount, currency, attributes, received_at, idempotency_key, attribution, campaign_id)
                VALUES ('{id}', '{set}', '{kind}', '{kind}', '{click}', 10.50, 'USD', '{"{}"}', timestamptz '2026-11-01T09:00:00Z' + interval '{hours} hours', '{set}:{kind}:{click}:t:{id}', '{attribution}', 'spring');
                """);
        }

        sql.AppendLine(PostgreSqlSchema.Render(PostgreSqlSchema.Migrations[3], quoted));
        sql.AppendLine(CultureInfo.InvariantCulture, $"INSERT INTO {quoted}.schema_version (version) VALUES (4);");
        await using (var command = database.NewDataSource().CreateCommand(sql.ToString()))
        {
            await command.ExecuteNonQueryAsync();
        }

        var store = database.NewStore(schema);
        (await store.MigrateAsync()).Should().Be(PostgreSqlSchema.CurrentVersion - 4);

        var x = await store.Storage.Ingest.ListConversionsByClickAsync("click-x", None);
        x.ToDictionary(c => c.Id, c => c.DepositNumber).Should().BeEquivalentTo(new Dictionary<string, int?>
        {
            ["x-0"] = null,
            ["x-1"] = 2,
            ["x-2"] = 1,
            ["x-3"] = 3,
            ["x-4"] = 4,
            ["x-5"] = null,
            ["x-7a"] = 5,
            ["x-7b"] = 6,
        });
        (await store.Storage.Ingest.ListConversionsByClickAsync("click-y", None)).Single().DepositNumber.Should().Be(2);
        x.Single(c => c.Id == "x-4").Conversion.Amount.Should().Be(10.50m, "the upgrade changes nothing else");
        x.Single(c => c.Id == "x-5").Attribution.Should().Be(ConversionAttribution.Unattributed);
    }
}
