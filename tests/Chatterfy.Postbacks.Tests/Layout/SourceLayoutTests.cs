using System.Text.RegularExpressions;
using Chatterfy.Postbacks.Storage;
using Chatterfy.Postbacks.Tests.Repository;

namespace Chatterfy.Postbacks.Tests.Layout;

/// <summary>
/// The shared conventions of docs/contributing.md, checked over the sources under src/: a folder is a namespace, and the
/// store packages share one layout.
/// </summary>
public sealed partial class SourceLayoutTests
{
    // Folders not checked yet, each with its reason.
    private static readonly string[] UncheckedFolders = [];

    // By convention (ASP.NET Core, dotnet/extensions), the registration surface lives in these namespaces so a host calls
    // AddChatterfyPostbacks / Use… / MapChatterfy… without a using: a file declaring only extension classes
    // (static class …Extensions) may use one of them, wherever it lies.
    private static readonly string[] ConventionNamespaces = ["Microsoft.Extensions.DependencyInjection", "Microsoft.AspNetCore.Builder"];

    // Files other than extension classes that deliberately use a convention namespace, each with its reason.
    private static readonly Dictionary<string, string> DeliberateExceptions = new(StringComparer.Ordinal)
    {
        // The builder the Use…/Add… extensions of store and network packages extend; beside AddChatterfyPostbacks, as
        // IHttpClientBuilder and IHealthChecksBuilder are, so an extension author needs no using either.
        ["Chatterfy.Postbacks/DependencyInjection/IChatterfyPostbacksBuilder.cs"] = "Microsoft.Extensions.DependencyInjection",

        // The builder's internal implementation, beside its interface.
        ["Chatterfy.Postbacks/DependencyInjection/ChatterfyPostbacksBuilder.cs"] = "Microsoft.Extensions.DependencyInjection",

        // Internal, registered by AddChatterfyPostbacks; it stays until the options validators are generated
        // ([OptionsValidator], issue 11 item 2), which gives it a home beside ChatterfyPostbacksOptions.
        ["Chatterfy.Postbacks/DependencyInjection/ChatterfyPostbacksOptionsValidator.cs"] = "Microsoft.Extensions.DependencyInjection",
    };

    // The store packages and the prefix of each of their files and types.
    private static readonly (string Folder, string Prefix)[] StorePackages =
    [
        ("Chatterfy.Postbacks.Sqlite", "Sqlite"),
        ("Chatterfy.Postbacks.PostgreSql", "PostgreSql"),
    ];

    [Fact]
    public void Namespaces_EqualFolders_InEveryPackage()
    {
        var checkedFiles = 0;
        var mismatches = new List<string>();
        foreach (var file in SourceFiles())
        {
            if (UncheckedFolders.Any(folder => file.StartsWith(folder, StringComparison.Ordinal)))
            {
                continue;
            }

            checkedFiles++;
            var text = File.ReadAllText(Path.Combine(Checkout.Root, "src", file));
            var namespaces = Namespace().Matches(text).Select(m => m.Groups["name"].Value).ToList();
            var expected = ExpectedNamespace(file);
            if (namespaces.Count != 1)
            {
                mismatches.Add($"{file} declares {namespaces.Count} namespaces; expected one, {expected}");
                continue;
            }

            var actual = namespaces[0];
            if (actual == expected
                || (DeliberateExceptions.TryGetValue(file, out var allowed) && actual == allowed)
                || (ConventionNamespaces.Contains(actual) && DeclaresOnlyExtensionClasses(text)))
            {
                continue;
            }

            mismatches.Add($"{file} is in namespace {actual}; its folder says {expected}");
        }

        checkedFiles.Should().BeGreaterThan(150, "the check reads every package's sources");
        string.Join(Environment.NewLine, mismatches).Should().BeEmpty("a folder is a namespace (docs/contributing.md, shared conventions)");
    }

    [Fact]
    public void DeliberateExceptions_AreStillNeeded()
    {
        foreach (var (file, allowed) in DeliberateExceptions)
        {
            var path = Path.Combine(Checkout.Root, "src", file);
            File.Exists(path).Should().BeTrue($"{file} is listed as an exception; remove the entry when the file goes");
            var actual = Namespace().Match(File.ReadAllText(path)).Groups["name"].Value;
            actual.Should().Be(allowed, $"{file} is listed as an exception for {allowed}; remove the entry when it follows its folder");
            actual.Should().NotBe(ExpectedNamespace(file));
        }
    }

    [Fact]
    public void StorePackages_ShareOneLayout()
    {
        // One role class per role of PostbackStorage: PostbackSetStore → …SetStore.cs, PostbackLogStore → …LogStore.cs.
        var roles = typeof(PostbackStorage).GetProperties()
            .Select(p => p.PropertyType.Name)
            .Select(name => name.StartsWith("Postback", StringComparison.Ordinal) ? name["Postback".Length..] : name)
            .ToList();
        roles.Should().HaveCount(8).And.AllSatisfy(role => role.Should().EndWith("Store"));

        foreach (var (folder, prefix) in StorePackages)
        {
            var files = SourceFiles().Where(f => f.StartsWith(folder + "/", StringComparison.Ordinal)).Select(f => f[(folder.Length + 1)..]).ToList();

            string[] shared =
            [
                $"{prefix}PostbackStore.cs", $"{prefix}PostbackStoreOptions.cs", $"{prefix}PostbackStoreOptionsValidator.cs",
                $"{prefix}PostbackStoreInitializer.cs", $"{prefix}Schema.cs", $"{prefix}Values.cs", $"{prefix}Log.cs",
                $"DependencyInjection/ChatterfyPostbacks{prefix}BuilderExtensions.cs",
            ];
            files.Should().Contain(shared, $"{folder} has the store's shared parts (docs/contributing.md)");
            files.Should().Contain(roles.Select(role => $"{prefix}{role}.cs"), $"{folder} has one class per store role");
            files.Where(f => f.Contains('/', StringComparison.Ordinal))
                .Should().Equal([$"DependencyInjection/ChatterfyPostbacks{prefix}BuilderExtensions.cs"], "DependencyInjection/ holds the registration only");
            files.Where(f => !f.Contains('/', StringComparison.Ordinal)).Should().AllSatisfy(
                f => f.Should().StartWith(prefix, $"every file and type of {folder} is named with the store's prefix"));
        }

        var inMemory = SourceFiles().Where(f => f.StartsWith("Chatterfy.Postbacks/Storage/InMemory/", StringComparison.Ordinal)).Select(Path.GetFileName).ToList();
        inMemory.Should().Contain(roles.Select(role => $"InMemory{role}.cs"), "the in-memory store has one class per store role too");
    }

    // src/<Package>/<Folder>/<File>.cs → <RootNamespace of the package>.<Folder>; src/Shared/<Folder>/<File>.cs is
    // linked into several packages and is in Chatterfy.Postbacks.<Folder>.
    private static string ExpectedNamespace(string file)
    {
        var parts = file.Split('/');
        var root = parts[0] == "Shared" ? "Chatterfy.Postbacks" : RootNamespace(parts[0]);
        return string.Join('.', [root, .. parts[1..^1]]);
    }

    private static string RootNamespace(string package)
    {
        var project = File.ReadAllText(Path.Combine(Checkout.Root, "src", package, package + ".csproj"));
        var match = RootNamespaceElement().Match(project);
        return match.Success ? match.Groups["name"].Value : package;
    }

    private static bool DeclaresOnlyExtensionClasses(string text)
    {
        var types = TopLevelType().Matches(text).ToList();
        return types.Count > 0 && types.All(m => m.Groups["modifiers"].Value.Contains("static", StringComparison.Ordinal)
            && m.Groups["kind"].Value == "class" && m.Groups["name"].Value.EndsWith("Extensions", StringComparison.Ordinal));
    }

    // Paths under src/, with / separators, without build output.
    private static List<string> SourceFiles()
    {
        var src = Path.Combine(Checkout.Root, "src");
        return [.. Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(src, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];
    }

    [GeneratedRegex(@"^\s*namespace\s+(?<name>[\w.]+)\s*[;{]", RegexOptions.Multiline)]
    private static partial Regex Namespace();

    [GeneratedRegex(@"^(?<modifiers>(?:(?:public|internal|file|static|sealed|abstract|partial|readonly|ref)\s+)+)(?<kind>class|record|struct|interface|enum)\s+(?<name>\w+)", RegexOptions.Multiline)]
    private static partial Regex TopLevelType();

    [GeneratedRegex(@"<RootNamespace>(?<name>[\w.]+)</RootNamespace>")]
    private static partial Regex RootNamespaceElement();
}
