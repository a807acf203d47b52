using Chatterfy.Postbacks.Currencies;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Storage;
using Chatterfy.Postbacks.Storage.Conformance;

namespace Chatterfy.Postbacks.Sqlite.Tests.Upgrade;

/// <summary>
/// A database of the schema before the reporting currency (built with the shipped migrations, its conversions written as
/// that schema has them and its roll-ups filled by the migration that made them) upgrades in place: every conversion
/// keeps its values and has no reporting amount, the figures are unchanged, the recompute's primitives find and fill them,
/// and the roll-ups follow.
/// </summary>
public sealed class ReportingCurrencyUpgradeTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static readonly DateTimeOffset DayStart = new(2025, 6, 2, 0, 0, 0, TimeSpan.Zero);

    private static readonly DateTimeOffset Day = DayStart.AddHours(10);

    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task DatabaseBeforeTheReportingCurrency_IsUpgraded_ConversionsKeepTheirValuesWithoutAReportingAmount_AndTheRecomputeFillsThem()
    {
        var before = SqliteSchema.Migrations.Count - 1;
        using (var connection = _database.OpenRaw())
        {
            foreach (var migration in SqliteSchema.Migrations.Take(before))
            {
                using var transaction = connection.BeginTransaction();
                using (var command = connection.CreateCommand())
                {
                    command.Transaction = transaction;
                    command.CommandText = migration.Sql;
                    command.ExecuteNonQuery();
                    if (migration.Version == 1)
                    {
                        // Conversions as the schema of that time stores them (amounts as invariant TEXT, times in ticks).
                        command.CommandText = $"""
                            INSERT INTO conversions (id, set_id, event, click_id, amount, currency, transaction_id, attributes, received_at, idempotency_key, attribution, campaign_id)
                            VALUES ('conv-1', 'set-1', 'first-deposit', 'click-1', '12.50', 'USD', 'tx-1', '{"{}"}', {SqliteValues.ToDb(Day)}, 'k1', 'credited', 'camp-1'),
                                   ('conv-2', 'set-1', 'deposit', 'click-1', '100', 'BRL', NULL, '{"{}"}', {SqliteValues.ToDb(Day.AddHours(1))}, 'k2', 'credited', 'camp-1'),
                                   ('conv-3', 'set-1', 'registration', 'click-1', NULL, NULL, NULL, '{"{}"}', {SqliteValues.ToDb(Day.AddHours(2))}, 'k3', 'credited', 'camp-1');
                            """;
                        command.ExecuteNonQuery();
                    }
                }

                migration.Fill?.Invoke(connection, transaction);
                using (var version = connection.CreateCommand())
                {
                    version.Transaction = transaction;
                    version.CommandText = $"PRAGMA user_version = {migration.Version}";
                    version.ExecuteNonQuery();
                }

                transaction.Commit();
            }
        }

        var totalsBefore = new ConversionTotal[]
        {
            new(PostbackEventKind.Registration, ConversionAttribution.Credited, null, 1, 0m),
            new(PostbackEventKind.FirstDeposit, ConversionAttribution.Credited, "USD", 1, 12.50m) { DepositBucket = 1 },
            new(PostbackEventKind.Deposit, ConversionAttribution.Credited, "BRL", 1, 100m) { DepositBucket = 2 },
        };

        var store = _database.CreateStore(o => o.CreateIfMissing = false);
        await store.InitializeAsync();

        _database.Scalar("PRAGMA user_version").Should().Be((long)SqliteSchema.LatestVersion);
        var first = (await store.Ingest.GetConversionAsync("conv-1", None))!;
        first.Conversion.Amount.Should().Be(12.50m);
        first.Conversion.Currency.Should().Be("USD");
        first.Conversion.TransactionId.Should().Be("tx-1");
        first.ReportingAmount.Should().BeNull("existing conversions get no reporting amount");
        (await store.Log.GetConversionTotalsAsync(new ConversionTotalsQuery(), None)).Should().Equal(totalsBefore);
        (await store.Log.GetConversionTotalsAsync(new ConversionTotalsQuery { From = DayStart, To = DayStart.AddDays(1) }, None)).Should().Equal(totalsBefore, "the roll-ups of the whole day are unchanged");

        (await store.Ingest.ListConversionsWithoutReportingAmountAsync(null, 10, None)).Select(c => c.Id).Should().Equal("conv-1", "conv-2");
        var usd = new ReportingAmount(13.65m, "USD", 1.0921m, DateOnly.FromDateTime(Day.UtcDateTime));
        (await store.Ingest.SetReportingAmountsAsync([new("conv-1", usd)], None)).Should().Be(1);

        (await store.Ingest.GetConversionAsync("conv-1", None))!.ReportingAmount.Should().Be(usd);
        (await store.Log.GetConversionTotalsAsync(new ConversionTotalsQuery { From = DayStart, To = DayStart.AddDays(1) }, None)).Should().Equal(
            totalsBefore[0],
            totalsBefore[1] with { ReportingCurrency = "USD", ReportingAmount = 13.65m },
            totalsBefore[2]);

        var fresh = StoreTestData.Conversion(receivedAt: Day.AddHours(3)) with { ReportingAmount = usd };
        (await store.Ingest.AppendAsync([StoreTestData.Record(fresh)], None)).Should().Equal(IngestResult.Written(fresh.Id) with { DepositNumber = fresh.DepositNumber });
        (await store.Ingest.GetConversionAsync(fresh.Id, None))!.ReportingAmount.Should().Be(usd);
    }
}
