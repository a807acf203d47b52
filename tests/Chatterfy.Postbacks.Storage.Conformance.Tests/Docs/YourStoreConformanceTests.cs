using Chatterfy.Postbacks.Storage;
using Chatterfy.Postbacks.Storage.Conformance;

namespace YourStore.Tests;

// Every test of the suite, run against your store: a fresh, empty one per test.
public sealed class YourStoreConformanceTests : PostbackStorageConformanceTests
{
    protected override ValueTask<PostbackStorage> CreateStorageAsync(TimeProvider timeProvider) =>
        ValueTask.FromResult(YourStorage.Create());
}
