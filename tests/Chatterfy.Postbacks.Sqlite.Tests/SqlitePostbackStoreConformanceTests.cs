using Chatterfy.Postbacks.ConformanceTests;
using Chatterfy.Postbacks.Storage;

namespace Chatterfy.Postbacks.Sqlite.Tests;

/// <summary>The shared store contract, on a fresh database file per test.</summary>
public sealed class SqlitePostbackStoreConformanceTests : PostbackStoreConformanceTests, IDisposable
{
    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    protected override async ValueTask<PostbackStore> CreateStoreAsync()
    {
        var store = _database.CreateStore();
        await store.InitializeAsync();
        return store;
    }
}
