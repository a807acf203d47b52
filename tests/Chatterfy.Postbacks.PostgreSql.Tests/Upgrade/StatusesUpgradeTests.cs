using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Storage;
using Npgsql;

namespace Chatterfy.Postbacks.PostgreSql.Tests.Upgrade;

/// <summary>
/// A schema at the previous version (the migrations before the statuses, with a set written as that version's store
/// writes it) gets statuses when the current store migrates it: the set keeps every value and has the default map
/// (none of its own), and a map can then be stored on it; the conversion keeps every value, is approved and has no
/// history; the log takes the outcome changed.
/// </summary>
public sealed class StatusesUpgradeTests
{
    // The version before the statuses (migration 12).
    private const int PreviousVersion = 11;
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [PostgresFact]
    public async Task Migrate_SchemaOfThePreviousVersion_KeepsItsSetsAndConversions_WithTheDefaultStatusMap_EveryConversionApprovedWithoutHistory()
    {
        await using var database = new PostgresTestDatabase();
        var schema = database.NewSchema();
        var quoted = PostgreSqlSchema.Quote(schema);
        var dataSource = database.NewDataSource();
        await using (var connection = await dataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await PostgresTestDatabase.CreateSchemaAtVersionAsync(connection, transaction, quoted, PreviousVersion);

            // The INSERT of PostgreSqlSetStore at the previous version.
            await ExecuteAsync(connection, transaction, $$"""
                INSERT INTO {{quoted}}.postback_sets (id, name, network_id, campaign_id, token, settings, created_at, enabled, attribution_window_seconds)
                VALUES ('set-1', 'Binom', 'custom', NULL, 'tok-1', '{"clickIdMacro":"{subid}"}'::jsonb, '{{T0:O}}', true, 3600);
                INSERT INTO {{quoted}}.postback_set_tokens (token, set_id) VALUES ('tok-1', 'set-1');
                """);

            // The rows PostgreSqlIngestStore writes at the previous version: a credited first deposit and its log entry.
            await ExecuteAsync(connection, transaction, $$"""
                INSERT INTO {{quoted}}.conversions (id, set_id, event_kind, event_name, click_id, amount, currency, transaction_id, attributes, received_at, remote_address, idempotency_key, idempotency_window, attribution, campaign_id, attribution_window_passed, reporting_amount, reporting_currency, reporting_rate, reporting_rate_date, deposit_number)
                VALUES ('conv-1', 'set-1', '{{StoredWords.Of(PostbackEventKind.FirstDeposit)}}', 'first-deposit', 'click-1', 25.50, 'USD', 'T-1', '{}'::jsonb, '{{T0:O}}', NULL, 'set-1:first-deposit:click-1', NULL, 'credited', 'camp-1', false, NULL, NULL, NULL, NULL, 1);
                INSERT INTO {{quoted}}.postback_log (id, received_at, set_id, outcome, code, warnings, conversion_id, request_method, request_path, request_event_segment, request_query_string, request_body, request_content_type, request_remote_address, deposit_number)
                VALUES ('log-1', '{{T0:O}}', 'set-1', 'accepted', NULL, ARRAY[]::text[], 'conv-1', 'GET', '/api/postbacks/tok-1/first-deposit', 'first-deposit', '?clickid=click-1', NULL, NULL, NULL, 1);
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

        var conversion = (await store.Storage.Ingest.GetConversionAsync("conv-1", None))!;
        conversion.Status.Should().Be(ConversionStatus.Approved, "an existing conversion counted as approved");
        conversion.StatusWord.Should().BeNull();
        conversion.History.Should().BeEmpty();
        conversion.Conversion.Amount.Should().Be(25.50m);
        conversion.DepositNumber.Should().Be(1);
        (await store.Storage.Log.GetAsync("log-1", None))!.Outcome.Should().Be(PostbackOutcome.Accepted);

        // The upgraded log takes the outcome changed, and the conversion a change.
        var at = T0.AddDays(1);
        var change = new ConversionStatusChange { Id = "sh-1", ConversionId = "conv-1", At = at, From = ConversionStatus.Approved, To = ConversionStatus.Chargeback, Word = "refund", LogEntryId = "log-2" };
        var entry = Storage.Conformance.StoreTestData.LogEntry("set-1", at, PostbackOutcome.Changed) with { Id = "log-2", ConversionId = "conv-1", Warnings = [] };
        (await store.Storage.Ingest.ChangeStatusAsync(new StatusChangeRecord { Change = change, LogEntry = entry }, None)).Should().BeTrue();
        (await store.Storage.Ingest.GetConversionAsync("conv-1", None))!.History.Should().ContainSingle().Which.Should().BeEquivalentTo(change);
        (await store.Storage.Log.GetAsync("log-2", None))!.Outcome.Should().Be(PostbackOutcome.Changed);

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
