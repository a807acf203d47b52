using Chatterfy.Postbacks.Tests.Repository;
using Xunit;

namespace Chatterfy.Postbacks.Storage.Conformance.Tests.Docs;

/// <summary>
/// docs/storage.md ("Writing a store") shows the example exactly as it is compiled and run here, and the package's README
/// shows its conformance class.
/// </summary>
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

    [Fact]
    public void The_package_readme_shows_the_compiled_conformance_class_verbatim()
    {
        var example = Checkout.ReadText("tests/Chatterfy.Postbacks.Storage.Conformance.Tests/Docs/YourStoreConformanceTests.cs");
        var readme = Checkout.ReadText("src/Chatterfy.Postbacks.Storage.Conformance/README.md");

        readme.Should().Contain("```csharp\n" + example + "```\n", "the package's README should show YourStoreConformanceTests.cs as it is compiled");
    }
}
