using Chatterfy.Postbacks.ConformanceTests;
using Chatterfy.Postbacks.Storage;

namespace Chatterfy.Postbacks.Sqlite.Tests;

/// <summary>The shared store contract, on a fresh database file per test.</summary>
public sealed class SqlitePostbackStoreConformanceTests : PostbackStoreConformanceTests, IAsyncDisposable
{
    private readonly TestDatabase _database = new();

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    protected override async ValueTask<PostbackStore> CreateStoreAsync()
    {
        var store = _database.CreateStore();
        await store.InitializeAsync();
        return store;
    }
}
