using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Storage;
using Chatterfy.Postbacks.Storage.Conformance;
using Microsoft.Data.Sqlite;

namespace Chatterfy.Postbacks.Sqlite.Tests.Upgrade;

/// <summary>
/// A database at the previous schema version (the migrations before the statuses, with a set written as that version's
/// store writes it) gets statuses when the current store opens it: the set keeps every value and has the default map
/// (none of its own), and a map can then be stored on it; the conversion keeps every value, is approved and has no
/// history; the log takes the outcome changed.
/// </summary>
public sealed class StatusesUpgradeTests : IDisposable
{
    // The version before the statuses (migration 12).
    private const int PreviousVersion = 11;
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task DatabaseOfThePreviousVersion_KeepsItsSetsAndConversions_WithTheDefaultStatusMap_EveryConversionApprovedWithoutHistory()
    {
        var epoch = SqliteValues.ToDb(StoreTestData.Epoch);
        using (var connection = _database.OpenRaw())
        {
            using var transaction = connection.BeginTransaction();
            TestDatabase.ApplyMigrations(connection, transaction, PreviousVersion);

            Execute(connection, transaction, $"PRAGMA user_version = {PreviousVersion}");

            // The INSERT of SqliteSetStore at the previous version.
            Execute(connection, transaction, $$"""
                INSERT INTO postback_sets (id, name, network_id, campaign_id, token, settings, created_at, enabled, attribution_window_seconds)
                VALUES ('set-1', 'Binom', 'custom', NULL, 'tok-1', '{"clickIdMacro":"{subid}"}', {{epoch}}, 1, 3600);
                INSERT INTO postback_set_tokens (token, set_id) VALUES ('tok-1', 'set-1');
                """);

            // The INSERTs of SqliteIngestStore at the previous version: a credited first deposit and its log entry.
            Execute(connection, transaction, $$"""
                INSERT INTO conversions (id, set_id, event, click_id, amount, currency, transaction_id, attributes, received_at, remote_address, idempotency_key, idempotency_window, attribution, campaign_id, attribution_window_passed, reporting_amount, reporting_currency, reporting_rate, reporting_rate_date, deposit_number)
                VALUES ('conv-1', 'set-1', 'first-deposit', 'click-1', '25.50', 'USD', 'T-1', '{}', {{epoch}}, NULL, 'set-1:first-deposit:click-1', NULL, 'credited', 'camp-1', 0, NULL, NULL, NULL, NULL, 1);
                INSERT INTO postback_log (id, received_at, set_id, outcome, code, warnings, conversion_id, method, path, event_segment, query_string, body, content_type, remote_address, deposit_number)
                VALUES ('log-1', {{epoch}}, 'set-1', 'accepted', NULL, '[]', 'conv-1', 'GET', '/api/postbacks/tok-1/first-deposit', 'first-deposit', '?clickid=click-1', NULL, NULL, NULL, 1);
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

        var conversion = (await store.Storage.Ingest.GetConversionAsync("conv-1", None))!;
        conversion.Status.Should().Be(ConversionStatus.Approved, "an existing conversion counted as approved");
        conversion.StatusWord.Should().BeNull();
        conversion.History.Should().BeEmpty();
        conversion.Conversion.Amount.Should().Be(25.50m);
        conversion.DepositNumber.Should().Be(1);
        (await store.Storage.Log.GetAsync("log-1", None))!.Outcome.Should().Be(PostbackOutcome.Accepted);

        // The upgraded log takes the outcome changed, and the conversion a change.
        var at = StoreTestData.Epoch.AddDays(1);
        var change = new ConversionStatusChange { Id = "sh-1", ConversionId = "conv-1", At = at, From = ConversionStatus.Approved, To = ConversionStatus.Chargeback, Word = "refund", LogEntryId = "log-2" };
        var entry = StoreTestData.LogEntry("set-1", at, PostbackOutcome.Changed) with { Id = "log-2", ConversionId = "conv-1", Warnings = [] };
        (await store.Storage.Ingest.ChangeStatusAsync(new StatusChangeRecord { Change = change, LogEntry = entry }, None)).Should().BeTrue();
        (await store.Storage.Ingest.GetConversionAsync("conv-1", None))!.History.Should().ContainSingle().Which.Should().BeEquivalentTo(change);
        (await store.Storage.Log.GetAsync("log-2", None))!.Outcome.Should().Be(PostbackOutcome.Changed);

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
