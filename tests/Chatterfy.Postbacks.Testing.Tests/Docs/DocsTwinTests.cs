using Xunit;

namespace Chatterfy.Postbacks.Testing.Tests.Docs;

/// <summary>docs/testing.md shows the examples exactly as they are compiled and run here.</summary>
public sealed class DocsTwinTests
{
    [Theory]
    [InlineData("InMemoryReceiverExample.cs")]
    [InlineData("WebApplicationFactoryExample.cs")]
    public void The_testing_guide_shows_the_compiled_example_verbatim(string file)
    {
        var root = RepositoryRoot();
        var example = File.ReadAllText(Path.Combine(root, "tests", "Chatterfy.Postbacks.Testing.Tests", "Docs", file)).ReplaceLineEndings("\n");
        var guide = File.ReadAllText(Path.Combine(root, "docs", "testing.md")).ReplaceLineEndings("\n");

        guide.Should().Contain("```csharp\n" + example + "```\n", $"docs/testing.md should show {file} as it is compiled; copy the file into the guide after changing it");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Postbacks.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Cannot find the checkout (Postbacks.sln) above {AppContext.BaseDirectory}.");
    }
}
