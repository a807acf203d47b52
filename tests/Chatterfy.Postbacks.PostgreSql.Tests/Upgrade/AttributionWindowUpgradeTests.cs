using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Storage;
using Chatterfy.Postbacks.Storage.Conformance;

namespace Chatterfy.Postbacks.PostgreSql.Tests.Upgrade;

/// <summary>
/// The attribution window migration on a schema at version 4, filled as the store of that version wrote it: every row
/// keeps its values, no set or campaign gets a window, no conversion came after one, and a conversion that waited for its
/// click is still credited when the click comes.
/// </summary>
public sealed class AttributionWindowUpgradeTests
{
    private const int PreviousVersion = 4;
    private static readonly CancellationToken None = CancellationToken.None;

    [PostgresFact]
    public async Task Migrate_SchemaAtVersion4WithRows_KeepsThemWithoutWindowsAndStillCreditsLateClicks()
    {
        await using var database = new PostgresTestDatabase();
        var schema = database.NewSchema();
        var quoted = PostgreSqlSchema.Quote(schema);
        var migrations = string.Join('\n', PostgreSqlSchema.Migrations.Take(PreviousVersion).Select(sql => PostgreSqlSchema.Render(sql, quoted)));
        // Exactly what a store at version 4 created, with a set, a campaign, a credited conversion and one waiting for its click.
        await using (var command = database.NewDataSource().CreateCommand(
            $$$"""
            CREATE SCHEMA {{{quoted}}};
            {{{PostgreSqlSchema.Render(PostgreSqlSchema.VersionTable, quoted)}}}
            {{{migrations}}}
            INSERT INTO {{{quoted}}}.schema_version (version) SELECT generate_series(1, {{{PreviousVersion}}});
            INSERT INTO {{{quoted}}}.postback_sets (id, name, network_id, token, created_at, enabled) VALUES ('set-1', 'Binomo', 'binomo', 'tok-1', '2025-03-14T09:26:53Z', true);
            INSERT INTO {{{quoted}}}.postback_set_tokens (token, set_id) VALUES ('tok-1', 'set-1');
            INSERT INTO {{{quoted}}}.campaigns (id, name, destination_template, created_at) VALUES ('spring', 'Spring', 'https://t.me/bot?start={{tracker.clickid}}', '2025-03-14T09:00:00Z');
            INSERT INTO {{{quoted}}}.conversions (id, set_id, event_kind, event_name, click_id, amount, currency, attributes, received_at, idempotency_key, attribution, campaign_id)
            VALUES ('conv-1', 'set-1', 'first-deposit', 'first-deposit', 'click-1', 12.50, 'USD', '{}', '2025-03-14T09:26:53Z', 'set-1:first-deposit:click-1', 'credited', 'spring'),
                   ('conv-2', 'set-1', 'first-deposit', 'first-deposit', 'click-2', 30.00, 'USD', '{}', '2025-03-14T09:30:00Z', 'set-1:first-deposit:click-2', 'unattributed', NULL);
            INSERT INTO {{{quoted}}}.conversion_rollups (day, set_id, campaign_id, event_kind, attribution, currency, count, amount)
            VALUES ('2025-03-14', 'set-1', 'spring', 'first-deposit', 'credited', 'USD', 1, 12.50),
                   ('2025-03-14', 'set-1', NULL, 'first-deposit', 'unattributed', 'USD', 1, 30.00);
            """))
        {
            await command.ExecuteNonQueryAsync();
        }

        var store = database.NewStore(schema);
        (await store.MigrateAsync()).Should().Be(PostgreSqlSchema.CurrentVersion - PreviousVersion);

        var roles = store.Storage;
        var set = (await roles.Sets.GetAsync("set-1", None))!;
        set.Name.Should().Be("Binomo");
        set.AttributionWindowSeconds.Should().BeNull();
        (await roles.Sets.FindByTokenAsync("tok-1", StoreTestData.Epoch, None))!.AttributionWindowSeconds.Should().BeNull();
        var campaign = (await roles.Campaigns.GetAsync("spring", None))!;
        campaign.DestinationTemplate.Should().Be("https://t.me/bot?start={{tracker.clickid}}");
        campaign.AttributionWindowSeconds.Should().BeNull();
        var credited = (await roles.Ingest.GetConversionAsync("conv-1", None))!;
        credited.Conversion.Amount.Should().Be(12.50m);
        credited.Attribution.Should().Be(ConversionAttribution.Credited);
        credited.AttributionWindowPassed.Should().BeFalse();
        (await roles.Ingest.GetConversionAsync("conv-2", None))!.AttributionWindowPassed.Should().BeFalse();

        var click = new Click { Id = "click-2", CampaignId = "spring", CreatedAt = StoreTestData.Epoch };
        (await roles.Clicks.AddAsync(click, StoreTestData.Credit(click), None)).Should().Be(1, "a conversion stored before the migration did not come after a window");
        (await roles.Log.GetConversionTotalsAsync(new ConversionTotalsQuery(), None)).Should().ContainSingle()
            .Which.Should().Be(new ConversionTotal(Ingestion.PostbackEventKind.FirstDeposit, ConversionAttribution.Credited, "USD", 2, 42.50m) { DepositBucket = 1 });
        (await store.MigrateAsync()).Should().Be(0);
    }
}
