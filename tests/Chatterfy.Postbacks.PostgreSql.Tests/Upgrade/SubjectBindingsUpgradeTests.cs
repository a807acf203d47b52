using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Chatterfy.Postbacks.PostgreSql.Tests.Upgrade;

/// <summary>
/// A schema at the previous version (the shipped migrations before this one, with clicks written as that version's store writes them) gets
/// subject bindings when the current store migrates it: every click keeps its values, no binding exists yet, and a
/// subject's first binding binds its oldest click of the campaign.
/// </summary>
public sealed class SubjectBindingsUpgradeTests
{
    // The version before the subject bindings (migration 7).
    private const int PreviousVersion = 6;
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [PostgresFact]
    public async Task Migrate_SchemaOfThePreviousVersion_AddsEmptyBindings_AndTheFirstBindingTakesTheOldestClickOfTheSubject()
    {
        await using var database = new PostgresTestDatabase();
        var schema = database.NewSchema();
        var quoted = PostgreSqlSchema.Quote(schema);
        var older = new Click { Id = "clickOld01", CampaignId = "spring", SubjectId = "tg:42", Fbclid = "IwAR-old", CreatedAt = T0, Fields = new Dictionary<string, string> { ["ad"] = "a1" } };
        var newer = older with { Id = "clickNew01", Fbclid = "IwAR-new", CreatedAt = T0.AddHours(1) };
        var other = older with { Id = "clickOther", SubjectId = null, CreatedAt = T0.AddMinutes(-5) };
        var dataSource = database.NewDataSource();
        await using (var connection = await dataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await PostgresTestDatabase.CreateSchemaAtVersionAsync(connection, transaction, quoted, PreviousVersion);

            // The INSERT of PostgreSqlClickStore at the previous version (clicks are unchanged since version 1).
            foreach (var click in new[] { newer, older, other })
            {
                await using var insert = new NpgsqlCommand(
                    $"""
                    INSERT INTO {quoted}.clicks (id, campaign_id, subject_id, fbclid, fbc, fbp, ip_address, user_agent, event_source_url, created_at, fields)
                    VALUES ($1, $2, $3, $4, NULL, NULL, NULL, NULL, NULL, $5, $6::jsonb)
                    """,
                    connection,
                    transaction);
                insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = click.Id });
                insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)click.CampaignId ?? DBNull.Value });
                insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)click.SubjectId ?? DBNull.Value });
                insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)click.Fbclid ?? DBNull.Value });
                insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = click.CreatedAt });
                insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = """{"ad":"a1"}""" });
                await insert.ExecuteNonQueryAsync();
            }

            await transaction.CommitAsync();
        }

        var store = database.NewStore(schema);
        (await store.MigrateAsync()).Should().Be(PostgreSqlSchema.CurrentVersion - PreviousVersion);

        (await PostgresTestDatabase.SchemaVersionsAsync(schema)).Should().Equal(Enumerable.Range(1, PostgreSqlSchema.CurrentVersion));
        await using (var count = dataSource.CreateCommand($"SELECT count(*) FROM {quoted}.subject_bindings"))
        {
            (await count.ExecuteScalarAsync()).Should().Be(0L);
        }

        foreach (var click in new[] { older, newer, other })
        {
            (await store.Storage.Clicks.FindAsync(click.Id, None)).Should().BeEquivalentTo(click);
        }

        var binding = await store.Storage.Clicks.BindSubjectAsync(new SubjectBindingRequest { SubjectId = "tg:42", CampaignId = "spring", BoundAt = T0.AddDays(1) }, None);

        binding!.Click.Should().BeEquivalentTo(older);
        binding.IsNew.Should().BeTrue();
    }
}
