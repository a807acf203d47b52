using Chatterfy.Postbacks.Sqlite;
using Chatterfy.Postbacks.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Chatterfy.Postbacks.Tests.Ingestion;

/// <summary>The status scenarios on the in-memory store, two instances sharing one store.</summary>
public sealed class InMemoryStatusIngestionTests : StatusIngestionScenarios
{
    private readonly PostbackStorage _storage = InMemoryPostbackStorage.Create();

    protected override void UseStore(IChatterfyPostbacksBuilder builder) => builder.UseStorage(_ => _storage);
}

/// <summary>The status scenarios on SQLite, two instances (two stores, two writers) over one file.</summary>
public sealed class SqliteStatusIngestionTests : StatusIngestionScenarios
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "chatterfy-status-tests", Guid.NewGuid().ToString("N"));

    public SqliteStatusIngestionTests() => Directory.CreateDirectory(_directory);

    protected override void UseStore(IChatterfyPostbacksBuilder builder) => builder.UseSqlite(Path.Combine(_directory, "postbacks.db"));

    protected override async Task InitializeStoreAsync(IServiceProvider services) =>
        await services.GetRequiredService<SqlitePostbackStore>().InitializeAsync();

    protected override ValueTask DisposeStoreAsync()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open is left to the temporary directory's cleanup.
        }

        return ValueTask.CompletedTask;
    }
}
