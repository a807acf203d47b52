using Chatterfy.Postbacks.Tests.Repository;
using Xunit;

namespace Chatterfy.Postbacks.Storage.Conformance.Tests.Docs;

/// <summary>docs/storage.md ("Writing a store") shows the example exactly as it is compiled and run here.</summary>
public sealed class DocsTwinTests
{
    [Theory]
    [InlineData("DictionaryCampaignStore.cs")]
    [InlineData("YourStorage.cs")]
    [InlineData("YourStoreConformanceTests.cs")]
    public void The_storage_guide_shows_the_compiled_example_verbatim(string file)
    {
        var example = Checkout.ReadText($"tests/Chatterfy.Postbacks.Storage.Conformance.Tests/Docs/{file}");
        var guide = Checkout.ReadText("docs/storage.md");

        guide.Should().Contain("```csharp\n" + example + "```\n", $"docs/storage.md should show {file} as it is compiled; copy the file into the guide after changing it");
    }
}
