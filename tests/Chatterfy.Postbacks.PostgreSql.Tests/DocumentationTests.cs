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

        // Each migration as executed: in its transaction, ending with its version row.
        for (var version = 1; version <= PostgreSqlSchema.Migrations.Count; version++)
        {
            docs.Should().Contain($"INSERT INTO {schema}.schema_version (version) VALUES ({version});\nCOMMIT;", "migration {0} is shown as executed", version);
        }

        var lockKey = PostgreSqlPostbackStore.LockKey(PostgreSqlPostbackStoreOptions.DefaultSchema, "migrations", "");
        docs.Should().Contain($"SELECT pg_advisory_xact_lock({lockKey});");
        docs.Should().Contain("## PostgreSQL").And.Contain("## SQLite").And.Contain("docs/storage-sqlite.md");

        // The batching it describes: the lock statement as executed, and the batch size.
        docs.Should().Contain($"`{PostgreSqlIngestStore.LockSql}`");
        docs.Should().Contain($"(256 for PostgreSQL)");
        PostgreSqlIngestStore.BatchSize.Should().Be(256);
    }

    // docs/storage.md gives the key locks' formula; a long value (past the stack buffer) and a non-ASCII one hash the same way.
    [Theory]
    [InlineData("set:first-deposit:click")]
    [InlineData("é€😀 key")]
    [InlineData(null)]
    public void LockKey_OfAKeyValue_IsTheFirst8BytesOfTheSha256OfTheDocumentedText(string? value)
    {
        value ??= new string('k', 3000);
        var text = System.Text.Encoding.UTF8.GetBytes($"Chatterfy.Postbacks.PostgreSql\npostbacks\nkey\n{value}");
        var expected = System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(System.Security.Cryptography.SHA256.HashData(text));

        PostgreSqlPostbackStore.LockKey("postbacks", "key", value).Should().Be(expected);
        PostgreSqlPostbackStore.LockKey(System.Text.Encoding.UTF8.GetBytes("Chatterfy.Postbacks.PostgreSql\npostbacks\nkey\n"), value).Should().Be(expected);
    }

    private static string DocsPath(string name, [CallerFilePath] string callerFile = "") =>
        Path.Combine(Path.GetDirectoryName(SourceFiles.Resolve(callerFile))!, "..", "..", "docs", name);
}
