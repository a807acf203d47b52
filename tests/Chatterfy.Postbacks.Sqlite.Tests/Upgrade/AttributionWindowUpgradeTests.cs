using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Storage;
using Chatterfy.Postbacks.Storage.Conformance;

namespace Chatterfy.Postbacks.Sqlite.Tests.Upgrade;

/// <summary>
/// The attribution window migration on a file at schema version 4, filled as the store of that version wrote it: every row
/// keeps its values, no set or campaign gets a window, no conversion came after one, and a conversion that waited for its
/// click is still credited when the click comes.
/// </summary>
public sealed class AttributionWindowUpgradeTests : IDisposable
{
    private const int PreviousVersion = 4;
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task DatabaseOfSchemaVersion4_IsUpgradedInPlace_KeepingItsRowsWithoutWindowsAndStillCreditingLateClicks()
    {
        var epoch = StoreTestData.Epoch.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        using (var connection = _database.OpenRaw())
        {
            foreach (var migration in SqliteSchema.Migrations.Take(PreviousVersion))
            {
                using var transaction = connection.BeginTransaction();
                using (var command = connection.CreateCommand())
                {
                    command.Transaction = transaction;
                    command.CommandText = migration.Sql;
                    command.ExecuteNonQuery();
                }

                migration.Fill?.Invoke(connection, transaction);
                transaction.Commit();
            }

            // A set, a campaign, a credited conversion and one waiting for its click, with their roll-ups, as version 4 wrote them.
            using var insert = connection.CreateCommand();
            insert.CommandText = $"""
                INSERT INTO postback_sets (id, name, network_id, token, created_at, enabled) VALUES ('set-1', 'Binomo', 'binomo', 'tok-1', {epoch}, 1);
                INSERT INTO postback_set_tokens (token, set_id) VALUES ('tok-1', 'set-1');
                INSERT INTO campaigns (id, name, destination_template, created_at) VALUES ('spring', 'Spring', 'https://t.me/bot?start={"{{tracker.clickid}}"}', {epoch});
                INSERT INTO conversions (id, set_id, event, click_id, amount, currency, attributes, received_at, idempotency_key, attribution, campaign_id)
                VALUES ('conv-1', 'set-1', 'first-deposit', 'click-1', '12.50', 'USD', '{"{}"}', {epoch}, 'set-1:first-deposit:click-1', 'credited', 'spring'),
                       ('conv-2', 'set-1', 'first-deposit', 'click-2', '30.00', 'USD', '{"{}"}', {epoch}, 'set-1:first-deposit:click-2', 'unattributed', NULL);
                PRAGMA user_version = {PreviousVersion};
                """;
            insert.ExecuteNonQuery();
        }

        // The roll-ups of the rows above, as version 4's writer kept them.
        using (var connection = _database.OpenRaw())
        {
            using var transaction = connection.BeginTransaction();
            using (var clear = connection.CreateCommand())
            {
                clear.Transaction = transaction;
                clear.CommandText = "DELETE FROM conversion_rollups";
                clear.ExecuteNonQuery();
            }

            SqliteConversionRollups.Fill(connection, transaction);
            transaction.Commit();
        }

        var store = _database.CreateStore(o => o.CreateIfMissing = false);
        await store.InitializeAsync();

        _database.Scalar("PRAGMA user_version").Should().Be((long)SqliteSchema.LatestVersion);
        var set = (await store.Sets.GetAsync("set-1", None))!;
        set.Name.Should().Be("Binomo");
        set.AttributionWindowSeconds.Should().BeNull();
        (await store.Sets.FindByTokenAsync("tok-1", StoreTestData.Epoch, None))!.AttributionWindowSeconds.Should().BeNull();
        var campaign = (await store.Campaigns.GetAsync("spring", None))!;
        campaign.DestinationTemplate.Should().Be("https://t.me/bot?start={{tracker.clickid}}");
        campaign.AttributionWindowSeconds.Should().BeNull();
        var credited = (await store.Ingest.GetConversionAsync("conv-1", None))!;
        credited.Conversion.Amount.Should().Be(12.50m);
        credited.Attribution.Should().Be(ConversionAttribution.Credited);
        credited.AttributionWindowPassed.Should().BeFalse();
        (await store.Ingest.GetConversionAsync("conv-2", None))!.AttributionWindowPassed.Should().BeFalse();

        var click = new Click { Id = "click-2", CampaignId = "spring", CreatedAt = StoreTestData.Epoch };
        (await store.Clicks.AddAsync(click, StoreTestData.Credit(click), None)).Should().Be(1, "a conversion stored before the migration did not come after a window");
        (await store.Log.GetConversionTotalsAsync(new ConversionTotalsQuery(), None)).Should().ContainSingle()
            .Which.Should().Be(new ConversionTotal(PostbackEventKind.FirstDeposit, ConversionAttribution.Credited, "USD", 2, 42.50m) { DepositBucket = 1 });
    }
}
