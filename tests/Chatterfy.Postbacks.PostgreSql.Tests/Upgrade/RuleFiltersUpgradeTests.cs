using Chatterfy.Postbacks.Forwarding;
using Npgsql;
using NpgsqlTypes;

namespace Chatterfy.Postbacks.PostgreSql.Tests.Upgrade;

/// <summary>
/// A schema at the previous version (the shipped migrations before this one, with a forwarding rule written as that
/// version's store writes it) gets rule filters when the current store migrates it: the rule keeps its values and has no
/// filter, so it forwards what it forwarded before, and a rule with a filter can be added next to it.
/// </summary>
public sealed class RuleFiltersUpgradeTests
{
    // The version before the rule filters (migration 9).
    private const int PreviousVersion = 8;
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [PostgresFact]
    public async Task Migrate_SchemaOfThePreviousVersion_KeepsItsRulesWithoutFilters_AndStoresNewRulesWithTheirFilters()
    {
        const string Settings = """{"urlTemplate":"https://tracker.example/pb?cid={{click.id}}","events":["deposit"]}""";
        await using var database = new PostgresTestDatabase();
        var schema = database.NewSchema();
        var quoted = PostgreSqlSchema.Quote(schema);
        var dataSource = database.NewDataSource();
        await using (var connection = await dataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await PostgresTestDatabase.CreateSchemaAtVersionAsync(connection, transaction, quoted, PreviousVersion);

            // The INSERT of PostgreSqlForwardingRuleStore at the previous version (rules are unchanged since version 2).
            await using var insert = new NpgsqlCommand(
                $"""
                INSERT INTO {quoted}.forwarding_rules (id, name, set_id, campaign_id, destination_id, settings, created_at)
                VALUES ('rule-old', 'Old rule', NULL, 'spring', 'http-postback', $1, $2)
                """,
                connection,
                transaction);
            insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = Settings });
            insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = T0 });
            await insert.ExecuteNonQueryAsync();
            await transaction.CommitAsync();
        }

        var store = database.NewStore(schema);
        (await store.MigrateAsync()).Should().Be(PostgreSqlSchema.CurrentVersion - PreviousVersion);

        (await PostgresTestDatabase.SchemaVersionsAsync(schema)).Should().Equal(Enumerable.Range(1, PostgreSqlSchema.CurrentVersion));
        var old = await store.Storage.ForwardingRules.GetAsync("rule-old", None);
        old.Should().NotBeNull();
        old!.Should().BeEquivalentTo(
            new { Id = "rule-old", Name = "Old rule", SetId = (string?)null, CampaignId = "spring", DestinationId = "http-postback", CreatedAt = T0 });
        old.Settings.GetRawText().Should().Be(Settings);
        old.Filter.Should().BeEquivalentTo(ForwardingRuleFilter.None, "a rule of the previous version forwards what it forwarded before");

        var filtered = old with
        {
            Id = "rule-new",
            CreatedAt = T0.AddDays(1),
            Filter = new ForwardingRuleFilter { Events = ["deposit"], DepositNumber = new DepositNumberRange { Min = 3, Max = 3 } },
        };
        await store.Storage.ForwardingRules.AddAsync(filtered, None);
        (await store.Storage.ForwardingRules.GetAsync("rule-new", None))!.Filter.Should().BeEquivalentTo(filtered.Filter);
    }
}
