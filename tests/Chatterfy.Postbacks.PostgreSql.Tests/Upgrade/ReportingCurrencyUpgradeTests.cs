using Chatterfy.Postbacks.Currencies;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Storage;
using Chatterfy.Postbacks.Storage.Conformance;

namespace Chatterfy.Postbacks.PostgreSql.Tests.Upgrade;

/// <summary>
/// A schema as it was before the reporting currency (the shipped migrations, its conversions written as that schema has
/// them and its roll-ups filled by the migration that made them) upgrades in place: every conversion keeps its values and
/// has no reporting amount, the figures are unchanged, the recompute's primitives find and fill them, and the roll-ups follow.
/// </summary>
public sealed class ReportingCurrencyUpgradeTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static readonly DateTimeOffset DayStart = new(2025, 6, 2, 0, 0, 0, TimeSpan.Zero);

    [PostgresFact]
    public async Task SchemaBeforeTheReportingCurrency_IsUpgraded_ConversionsKeepTheirValuesWithoutAReportingAmount_AndTheRecomputeFillsThem()
    {
        await using var database = new PostgresTestDatabase();
        var schema = database.NewSchema();
        var quoted = PostgreSqlSchema.Quote(schema);
        var before = PostgreSqlSchema.Migrations.Count - 1;
        var sql = new System.Text.StringBuilder($"CREATE SCHEMA {quoted};\n{PostgreSqlSchema.Render(PostgreSqlSchema.VersionTable, quoted)}\n");
        for (var i = 0; i < before; i++)
        {
            sql.AppendLine(PostgreSqlSchema.Render(PostgreSqlSchema.Migrations[i], quoted));
            sql.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"INSERT INTO {quoted}.schema_version (version) VALUES ({i + 1});");
            if (i == 0)
            {
                // Conversions as the first schema stores them (the later migrations rewrite and roll them up).
                sql.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"""
                    INSERT INTO {quoted}.conversions (id, set_id, event_kind, event_name, click_id, amount, currency, transaction_id, attributes, received_at, idempotency_key, attribution, campaign_id)
                    VALUES ('conv-1', 'set-1', 'first_deposit', 'first-deposit', 'click-1', 12.50, 'USD', 'tx-1', '{"{}"}', '2025-06-02T10:00:00Z', 'k1', 'credited', 'camp-1'),
                           ('conv-2', 'set-1', 'deposit', 'deposit', 'click-1', 100, 'BRL', NULL, '{"{}"}', '2025-06-02T11:00:00Z', 'k2', 'credited', 'camp-1'),
                           ('conv-3', 'set-1', 'registration', 'registration', 'click-1', NULL, NULL, NULL, '{"{}"}', '2025-06-02T12:00:00Z', 'k3', 'credited', 'camp-1');
                    """);
            }
        }

        await using (var command = database.NewDataSource().CreateCommand(sql.ToString()))
        {
            await command.ExecuteNonQueryAsync();
        }

        var totalsBefore = new ConversionTotal[]
        {
            new(PostbackEventKind.Registration, ConversionAttribution.Credited, null, 1, 0m),
            new(PostbackEventKind.FirstDeposit, ConversionAttribution.Credited, "USD", 1, 12.50m) { DepositBucket = 1 },
            new(PostbackEventKind.Deposit, ConversionAttribution.Credited, "BRL", 1, 100m) { DepositBucket = 2 },
        };
        var store = database.NewStore(schema);

        (await store.MigrateAsync()).Should().Be(1);

        var roles = store.Storage;
        var first = (await roles.Ingest.GetConversionAsync("conv-1", None))!;
        first.Conversion.Amount.Should().Be(12.50m);
        first.Conversion.TransactionId.Should().Be("tx-1");
        first.ReportingAmount.Should().BeNull("existing conversions get no reporting amount");
        (await roles.Log.GetConversionTotalsAsync(new ConversionTotalsQuery(), None)).Should().Equal(totalsBefore);
        (await roles.Log.GetConversionTotalsAsync(new ConversionTotalsQuery { From = DayStart, To = DayStart.AddDays(1) }, None)).Should().Equal(totalsBefore, "the roll-ups of the whole day are unchanged");

        (await roles.Ingest.ListConversionsWithoutReportingAmountAsync(null, 10, None)).Select(c => c.Id).Should().Equal("conv-1", "conv-2");
        var usd = new ReportingAmount(13.65m, "USD", 1.0921m, new DateOnly(2025, 6, 2));
        (await roles.Ingest.SetReportingAmountsAsync([new("conv-1", usd)], None)).Should().Be(1);

        (await roles.Ingest.GetConversionAsync("conv-1", None))!.ReportingAmount.Should().Be(usd);
        (await roles.Log.GetConversionTotalsAsync(new ConversionTotalsQuery { From = DayStart, To = DayStart.AddDays(1) }, None)).Should().Equal(
            totalsBefore[0],
            totalsBefore[1] with { ReportingCurrency = "USD", ReportingAmount = 13.65m },
            totalsBefore[2]);

        var fresh = StoreTestData.Conversion(receivedAt: DayStart.AddHours(13)) with { ReportingAmount = usd };
        (await roles.Ingest.AppendOneAsync(StoreTestData.Record(fresh))).Should().Be(IngestResult.Written(fresh.Id) with { DepositNumber = fresh.DepositNumber });
        (await roles.Ingest.GetConversionAsync(fresh.Id, None))!.ReportingAmount.Should().Be(usd);
    }
}
