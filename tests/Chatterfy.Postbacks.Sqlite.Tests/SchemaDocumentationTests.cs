namespace Chatterfy.Postbacks.Sqlite.Tests;

public sealed class SchemaDocumentationTests
{
    [Fact]
    public void StorageDoc_QuotesEveryMigrationVerbatim()
    {
        var doc = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "storage-sqlite.md")).ReplaceLineEndings("\n");

        foreach (var migration in SqliteSchema.Migrations)
        {
            doc.Should().Contain(migration.Sql.ReplaceLineEndings("\n").Trim(), $"docs/storage-sqlite.md quotes migration {migration.Version} as executed");
        }
    }

    [Fact]
    public void Migrations_AreNumberedFromOneWithoutGaps()
    {
        SqliteSchema.Migrations.Select(m => m.Version).Should().Equal(Enumerable.Range(1, SqliteSchema.Migrations.Count));
        SqliteSchema.LatestVersion.Should().Be(SqliteSchema.Migrations.Count);
    }
}
