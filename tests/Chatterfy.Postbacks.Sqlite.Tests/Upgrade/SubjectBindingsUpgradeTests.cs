using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Storage;
using Microsoft.Data.Sqlite;

namespace Chatterfy.Postbacks.Sqlite.Tests.Upgrade;

/// <summary>
/// A database at the previous schema version (the shipped migrations before this one, with clicks written as that version's store writes them)
/// gets subject bindings when the current store opens it: every click keeps its values, no binding exists yet, and a
/// subject's first binding binds its oldest click of the campaign.
/// </summary>
public sealed class SubjectBindingsUpgradeTests : IDisposable
{
    // The version before the subject bindings (migration 7).
    private const int PreviousVersion = 6;
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task DatabaseOfThePreviousVersion_GetsEmptyBindings_AndTheFirstBindingTakesTheOldestClickOfTheSubject()
    {
        var older = new Click { Id = "clickOld01", CampaignId = "spring", SubjectId = "tg:42", Fbclid = "IwAR-old", CreatedAt = T0, Fields = new Dictionary<string, string> { ["ad"] = "a1" } };
        var newer = older with { Id = "clickNew01", Fbclid = "IwAR-new", CreatedAt = T0.AddHours(1) };
        var other = older with { Id = "clickOther", SubjectId = null, CreatedAt = T0.AddMinutes(-5) };
        using (var connection = _database.OpenRaw())
        {
            using var transaction = connection.BeginTransaction();
            TestDatabase.ApplyMigrations(connection, transaction, PreviousVersion);

            Execute(connection, transaction, $"PRAGMA user_version = {PreviousVersion}");
            foreach (var click in new[] { newer, older, other })
            {
                InsertAsThePreviousVersion(connection, transaction, click);
            }

            transaction.Commit();
        }

        var store = _database.CreateStore(o => o.CreateIfMissing = false);
        await store.InitializeAsync();

        _database.Scalar("PRAGMA user_version").Should().Be((long)SqliteSchema.LatestVersion);
        _database.Scalar("SELECT count(*) FROM subject_bindings").Should().Be(0L);
        foreach (var click in new[] { older, newer, other })
        {
            (await store.Storage.Clicks.FindAsync(click.Id, None)).Should().BeEquivalentTo(click);
        }

        var binding = await store.Storage.Clicks.BindSubjectAsync(new SubjectBindingRequest { SubjectId = "tg:42", CampaignId = "spring", BoundAt = T0.AddDays(1) }, None);

        binding!.Click.Should().BeEquivalentTo(older);
        binding.IsNew.Should().BeTrue();
    }

    // The INSERT of SqliteClickStore at the previous version (clicks are unchanged since version 1).
    private static void InsertAsThePreviousVersion(SqliteConnection connection, SqliteTransaction transaction, Click click)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO clicks (id, campaign_id, subject_id, fbclid, fbc, fbp, ip_address, user_agent, event_source_url, created_at, fields)
            VALUES ($id, $campaign_id, $subject_id, $fbclid, NULL, NULL, NULL, NULL, NULL, $created_at, $fields)
            """;
        command.Parameters.AddWithValue("$id", click.Id);
        command.Parameters.AddWithValue("$campaign_id", (object?)click.CampaignId ?? DBNull.Value);
        command.Parameters.AddWithValue("$subject_id", (object?)click.SubjectId ?? DBNull.Value);
        command.Parameters.AddWithValue("$fbclid", (object?)click.Fbclid ?? DBNull.Value);
        command.Parameters.AddWithValue("$created_at", SqliteValues.ToDb(click.CreatedAt));
        command.Parameters.AddWithValue("$fields", SqliteValues.ToJson(click.Fields));
        command.ExecuteNonQuery();
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
