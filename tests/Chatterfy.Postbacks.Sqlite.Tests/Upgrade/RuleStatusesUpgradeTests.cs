using Chatterfy.Postbacks.Forwarding;
using Microsoft.Data.Sqlite;

namespace Chatterfy.Postbacks.Sqlite.Tests.Upgrade;

/// <summary>
/// A database at the previous schema version (the shipped migrations before this one, with a forwarding rule written as
/// that version's store writes it) gets rule status filters when the current store opens it: the rule keeps its values and its
/// filter, with no statuses (it forwards a conversion once, when first approved, as before), and a rule with statuses can
/// be added next to it.
/// </summary>
public sealed class RuleStatusesUpgradeTests : IDisposable
{
    // The version before the rule status filters: the conversion statuses.
    private const int PreviousVersion = 14;
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task DatabaseOfThePreviousVersion_KeepsItsRulesWithoutStatuses_AndStoresNewRulesWithTheirStatuses()
    {
        const string Settings = """{"urlTemplate":"https://tracker.example/pb?cid={{click.id}}","events":["deposit"]}""";
        using (var connection = _database.OpenRaw())
        {
            using var transaction = connection.BeginTransaction();
            TestDatabase.ApplyMigrations(connection, transaction, PreviousVersion);

            Execute(connection, transaction, $"PRAGMA user_version = {PreviousVersion}");

            // The INSERT of SqliteForwardingRuleStore at the previous version (rule filters since version 9).
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO forwarding_rules (id, name, set_id, campaign_id, destination_id, settings, created_at, filter_events, filter_deposit_number_min, filter_deposit_number_max)
                VALUES ('rule-old', 'Old rule', NULL, 'spring', 'http-postback', $settings, $created_at, '["deposit"]', 2, NULL)
                """;
            insert.Parameters.AddWithValue("$settings", Settings);
            insert.Parameters.AddWithValue("$created_at", SqliteValues.ToDb(T0));
            insert.ExecuteNonQuery();
            transaction.Commit();
        }

        var store = _database.CreateStore(o => o.CreateIfMissing = false);
        await store.InitializeAsync();

        _database.Scalar("PRAGMA user_version").Should().Be((long)SqliteSchema.LatestVersion);
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

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
