using System.Runtime.CompilerServices;

namespace Chatterfy.Postbacks.PostgreSql.Tests;

public sealed class DocumentationTests
{
    // docs/storage.md shows the schema "as executed": keep it the same text the store runs.
    [Fact]
    public void StorageDocs_ShowTheSchemaAsExecuted()
    {
        var docs = File.ReadAllText(DocsPath("storage.md")).ReplaceLineEndings("\n");
        var schema = PostgreSqlSchema.Quote(PostgreSqlPostbackStoreOptions.DefaultSchema);

        docs.Should().Contain(PostgreSqlSchema.Render(PostgreSqlSchema.VersionTable, schema).ReplaceLineEndings("\n").TrimEnd());
        foreach (var migration in PostgreSqlSchema.Migrations)
        {
            docs.Should().Contain(PostgreSqlSchema.Render(migration, schema).ReplaceLineEndings("\n").TrimEnd());
        }

        var lockKey = PostgreSqlPostbackStore.LockKey(PostgreSqlPostbackStoreOptions.DefaultSchema, "migrations", "");
        docs.Should().Contain($"SELECT pg_advisory_xact_lock({lockKey});");
        docs.Should().Contain("## PostgreSQL").And.Contain("## SQLite").And.Contain("docs/storage-sqlite.md");

        // The batching it describes: the lock statement as executed, and the batch size.
        docs.Should().Contain($"`{PostgreSqlIngestStore.LockSql}`");
        docs.Should().Contain($"(256 for PostgreSQL)");
        PostgreSqlIngestStore.BatchSize.Should().Be(256);
    }

    private static string DocsPath(string name, [CallerFilePath] string callerFile = "") =>
        Path.Combine(Path.GetDirectoryName(SourceFiles.Resolve(callerFile))!, "..", "..", "docs", name);
}
