using Chatterfy.Postbacks.Forwarding;
using Npgsql;
using NpgsqlTypes;

namespace Chatterfy.Postbacks.PostgreSql.Tests.Upgrade;

/// <summary>
/// A schema at the previous version (the shipped migrations before this one, with a forwarding rule written as that
/// version's store writes it) gets rule status filters when the current store migrates it: the rule keeps its values and its
/// filter, with no statuses (it forwards a conversion once, when first approved, as before), and a rule with statuses can
/// be added next to it.
/// </summary>
public sealed class RuleStatusesUpgradeTests
{
    // The version before the rule status filters: the conversion statuses.
    private const int PreviousVersion = 14;
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [PostgresFact]
    public async Task Migrate_SchemaOfThePreviousVersion_KeepsItsRulesWithoutStatuses_AndStoresNewRulesWithTheirStatuses()
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

            // The INSERT of PostgreSqlForwardingRuleStore at the previous version (rule filters since version 9).
            await using var insert = new NpgsqlCommand(
                $"""
                INSERT INTO {quoted}.forwarding_rules (id, name, set_id, campaign_id, destination_id, settings, created_at, filter_events, filter_deposit_number_min, filter_deposit_number_max)
                VALUES ('rule-old', 'Old rule', NULL, 'spring', 'http-postback', $1, $2, ARRAY['deposit'], 2, NULL)
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
        old.Filter.Should().BeEquivalentTo(
            new ForwardingRuleFilter { Events = ["deposit"], DepositNumber = new DepositNumberRange { Min = 2 } },
            "a rule of the previous version keeps its filter, without statuses: it forwards what it forwarded before");

        var filtered = old with
        {
            Id = "rule-new",
            CreatedAt = T0.AddDays(1),
            Filter = new ForwardingRuleFilter { Events = ["deposit"], Statuses = ["approved", "chargeback"] },
        };
        await store.Storage.ForwardingRules.AddAsync(filtered, None);
        (await store.Storage.ForwardingRules.GetAsync("rule-new", None))!.Filter.Should().BeEquivalentTo(filtered.Filter);
    }
}
