using Chatterfy.Postbacks.Storage;
using Chatterfy.Postbacks.Storage.Conformance;

namespace Chatterfy.Postbacks.Tests.Storage;

/// <summary>The in-memory store held to the conformance suite, as every store is.</summary>
public sealed class InMemoryPostbackStorageConformanceTests : PostbackStorageConformanceTests
{
    protected override ValueTask<PostbackStorage> CreateStorageAsync(TimeProvider timeProvider) =>
        ValueTask.FromResult(InMemoryPostbackStorage.Create());
}
