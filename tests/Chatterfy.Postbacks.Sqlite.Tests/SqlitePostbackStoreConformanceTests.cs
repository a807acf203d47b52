using Chatterfy.Postbacks.Storage;
using Chatterfy.Postbacks.Storage.Conformance;

namespace Chatterfy.Postbacks.Sqlite.Tests;

/// <summary>The store contract (the conformance suite), on a fresh database file per test.</summary>
public sealed class SqlitePostbackStoreConformanceTests : PostbackStorageConformanceTests, IDisposable
{
    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    protected override async ValueTask<PostbackStorage> CreateStorageAsync(TimeProvider timeProvider)
    {
        var store = _database.CreateStore(timeProvider: timeProvider);
        await store.InitializeAsync();
        return store.Storage;
    }

    // A second process's store on the same file.
    protected override async ValueTask<PostbackStorage> OpenSecondInstanceAsync(PostbackStorage storage, TimeProvider timeProvider)
    {
        var store = _database.CreateStore(timeProvider: timeProvider);
        await store.InitializeAsync();
        return store.Storage;
    }
}
