using System.Text.RegularExpressions;
using Chatterfy.Postbacks.Tests.Repository;

namespace Chatterfy.Postbacks.Tests.Layout;

/// <summary>docs/architecture.md names the one home of each rule; those homes must exist, so the page cannot drift.</summary>
public sealed partial class ArchitectureDocTests
{
    [Fact]
    public void ArchitecturePage_EveryCoreFileItNames_Exists()
    {
        var page = File.ReadAllText(Path.Combine(Checkout.Root, "docs", "architecture.md"));

        var named = CoreFile().Matches(page).Select(m => m.Groups["path"].Value).Distinct(StringComparer.Ordinal).ToList();

        named.Should().HaveCountGreaterThanOrEqualTo(10, "the page's table of rules names the core files that hold them");
        named.Where(path => !File.Exists(Path.Combine(Checkout.Root, "src", "Chatterfy.Postbacks", path)))
            .Should().BeEmpty("every file docs/architecture.md names is in src/Chatterfy.Postbacks/");
    }

    [Fact]
    public void ArchitecturePage_EveryPackageItListsAndOnlyThose_IsShipped()
    {
        var page = File.ReadAllText(Path.Combine(Checkout.Root, "docs", "architecture.md"));
        var shipped = Directory.GetDirectories(Path.Combine(Checkout.Root, "src"))
            .Select(Path.GetFileName)
            .Where(name => File.Exists(Path.Combine(Checkout.Root, "src", name!, name + ".csproj")))
            .ToList();

        var listed = PackageRow().Matches(page).SelectMany(m => PackageName().Matches(m.Value).Select(n => n.Value.Trim('`')))
            .Distinct(StringComparer.Ordinal).ToList();

        listed.Should().BeEquivalentTo(shipped, "the page's package table lists every shipped package once");
    }

    [GeneratedRegex(@"`(?<path>[A-Z][A-Za-z]+/[A-Za-z/]+\.cs)`")]
    private static partial Regex CoreFile();

    // The first cell of each row of the package table.
    [GeneratedRegex(@"(?m)^\| `Chatterfy\.Postbacks[^|]*\|")]
    private static partial Regex PackageRow();

    [GeneratedRegex(@"`Chatterfy\.Postbacks(\.[A-Za-z]+)*`")]
    private static partial Regex PackageName();
}
