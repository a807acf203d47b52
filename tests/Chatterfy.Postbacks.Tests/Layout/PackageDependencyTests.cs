using System.Reflection;
using System.Xml.Linq;
using Chatterfy.Postbacks.Tests.Repository;

namespace Chatterfy.Postbacks.Tests.Layout;

/// <summary>
/// The dependency rule of the shipped packages (docs/contributing.md, package dependencies), checked two ways: over the
/// references each project declares (its csproj and the props files that add references to every package) and over the
/// references each assembly was compiled with.
/// </summary>
public sealed class PackageDependencyTests
{
    private const string Core = "Chatterfy.Postbacks";
    private const string ForwardingPackage = "Chatterfy.Postbacks.Forwarding";
    private const string AspNetCorePackage = "Chatterfy.Postbacks.AspNetCore";
    private const string DashboardPackage = "Chatterfy.Postbacks.Dashboard";
    private const string SqlitePackage = "Chatterfy.Postbacks.Sqlite";
    private const string PostgreSqlPackage = "Chatterfy.Postbacks.PostgreSql";
    private const string TestingPackage = "Chatterfy.Postbacks.Testing";
    private const string ConformancePackage = "Chatterfy.Postbacks.Storage.Conformance";

    // What a reference may belong to. A pattern "X.*" matches X and every name below it (Polly.* → Polly.Core); any
    // other pattern matches that name only. Package, project, framework and assembly names are matched alike.
    private static readonly Family OurPackages = new("our packages", ["Chatterfy.*"]);
    private static readonly Family AspNetCore = new("ASP.NET Core", ["Microsoft.AspNetCore.*"]);
    private static readonly Family SqliteDriver = new("the SQLite driver", ["Microsoft.Data.Sqlite.*", "SQLitePCLRaw.*"]);
    private static readonly Family PostgreSqlDriver = new("the PostgreSQL driver", ["Npgsql.*"]);
    private static readonly Family DatabaseDrivers = new("a database driver", [.. SqliteDriver.Patterns, .. PostgreSqlDriver.Patterns]);
    private static readonly Family TestFrameworks = new("a test framework", [
        "xunit.*", "FluentAssertions.*", "Microsoft.NET.Test.Sdk", "Microsoft.Extensions.TimeProvider.Testing",
        "Microsoft.Extensions.Diagnostics.Testing", "Microsoft.AspNetCore.Mvc.Testing",
    ]);
    private static readonly Family ForwardingHttp = new("forwarding's HTTP client and resilience", ["Polly.*", "Microsoft.Extensions.Http.*"]);

    // The rule: each shipped package, the packages of ours it may reference, and what it never references.
    private static readonly PackageRule[] Rules =
    [
        new(Core, Ours: [], Never: [AspNetCore, DatabaseDrivers, TestFrameworks, ForwardingHttp]),

        // Forwarding joins ingestion through the core's IngestionHook; its HTTP client and resilience are its own.
        new(ForwardingPackage, Ours: [Core], Never: [AspNetCore, DatabaseDrivers, TestFrameworks]),

        // The /forwarding-rules and /outbox endpoints call forwarding's services.
        new(AspNetCorePackage, Ours: [Core, ForwardingPackage], Never: [DatabaseDrivers, TestFrameworks, ForwardingHttp]),

        // The dashboard's pages call the same core and forwarding services as the tracker API, and use its API-key scheme.
        new(DashboardPackage, Ours: [Core, ForwardingPackage, AspNetCorePackage], Never: [DatabaseDrivers, TestFrameworks, ForwardingHttp]),
        new(SqlitePackage, Ours: [Core], Never: [AspNetCore, PostgreSqlDriver, TestFrameworks, ForwardingHttp]),
        new(PostgreSqlPackage, Ours: [Core], Never: [AspNetCore, SqliteDriver, TestFrameworks, ForwardingHttp]),

        // FakeConversionsApi hosts a small Kestrel app, so ASP.NET Core is allowed; the simulator works under any test
        // framework.
        new(TestingPackage, Ours: [Core], Never: [DatabaseDrivers, TestFrameworks]),

        // A library of xunit tests over the store contract: the test framework is allowed; the store author's test project
        // brings the store and its driver.
        new(ConformancePackage, Ours: [Core], Never: [AspNetCore, DatabaseDrivers]),
    ];

    // Deliberate exceptions to the rule, each with its reason.
    private static readonly Allowance[] Exceptions =
    [
        new(ForwardingPackage, "Microsoft.AspNetCore.DataProtection.*", "forwarding-rule secrets at rest (ForwardingOptions.ProtectSecrets); Data Protection needs no web host"),
    ];

    // Known violations of the rule, each to go with the change named.
    private static readonly Allowance[] KnownViolations = [];

    // Files that add references to every project under src/.
    private static readonly string[] SharedProjectFiles = ["Directory.Build.props", "src/Directory.Build.props", "Directory.Packages.props"];

    [Fact]
    public void Rules_CoverEveryShippedPackage()
    {
        var packages = Directory.EnumerateDirectories(Path.Combine(Checkout.Root, "src"))
            .Select(Path.GetFileName)
            .Where(name => File.Exists(Path.Combine(Checkout.Root, "src", name!, name + ".csproj")))
            .Order(StringComparer.Ordinal);

        packages.Should().Equal(Rules.Select(r => r.Package).Order(StringComparer.Ordinal), "every package under src/ has a row in the dependency rule");
    }

    [Fact]
    public void ProjectFiles_DeclareOnlyAllowedReferences_InEveryPackage()
    {
        var violations = Rules.SelectMany(rule => Violations(rule, DeclaredReferences(rule.Package))).ToList();

        string.Join(Environment.NewLine, violations).Should().BeEmpty("the packages follow the dependency rule (docs/contributing.md)");
    }

    [Fact]
    public void Assemblies_ReferenceOnlyAllowedAssemblies_InEveryPackage()
    {
        var violations = Rules.SelectMany(rule => Violations(rule, CompiledReferences(rule.Package))).ToList();

        string.Join(Environment.NewLine, violations).Should().BeEmpty("the packages follow the dependency rule (docs/contributing.md)");
    }

    [Fact]
    public void ExceptionsAndKnownViolations_AreStillNeeded()
    {
        var unused = Exceptions.Concat(KnownViolations)
            .Where(entry => !DeclaredReferences(entry.Package).Concat(CompiledReferences(entry.Package)).Any(r => Matches(entry.Pattern, r.Name)))
            .Select(entry => $"{entry.Package} no longer references {entry.Pattern} ({entry.Reason}): remove the entry")
            .ToList();

        string.Join(Environment.NewLine, unused).Should().BeEmpty("the lists of exceptions and known violations shrink with the code");
    }

    private static IEnumerable<string> Violations(PackageRule rule, IEnumerable<Reference> references)
    {
        foreach (var reference in references)
        {
            if (Exceptions.Concat(KnownViolations).Any(e => e.Package == rule.Package && Matches(e.Pattern, reference.Name)))
            {
                continue;
            }

            if (OurPackages.Contains(reference.Name) && reference.Name != rule.Package && !rule.Ours.Contains(reference.Name))
            {
                var allowed = rule.Ours.Length == 0 ? "none of our packages" : "only " + string.Join(", ", rule.Ours) + " of our packages";
                yield return $"{rule.Package} references {reference}: it may reference {allowed}";
            }

            foreach (var family in rule.Never.Where(f => f.Contains(reference.Name)))
            {
                yield return $"{rule.Package} references {reference}: it never references {family.Name}";
            }
        }
    }

    // The references a package's project declares: its own csproj and the shared props files.
    private static IEnumerable<Reference> DeclaredReferences(string package)
    {
        foreach (var file in SharedProjectFiles.Append($"src/{package}/{package}.csproj"))
        {
            var project = XDocument.Parse(Checkout.ReadText(file));
            foreach (var item in project.Descendants().Where(e => e.Attribute("Include") is not null))
            {
                var include = item.Attribute("Include")!.Value;
                switch (item.Name.LocalName)
                {
                    case "ProjectReference":
                        yield return new(Path.GetFileNameWithoutExtension(include.Replace('\\', '/')), $"ProjectReference in {file}");
                        break;
                    case "PackageReference" or "GlobalPackageReference" or "FrameworkReference":
                        yield return new(include, $"{item.Name.LocalName} in {file}");
                        break;
                }
            }
        }
    }

    // The assemblies a package's assembly was compiled against, loaded from the test's output folder by name.
    private static IEnumerable<Reference> CompiledReferences(string package) =>
        Assembly.Load(new AssemblyName(package)).GetReferencedAssemblies()
            .Select(name => new Reference(name.Name!, $"assembly reference of {package}.dll"));

    private static bool Matches(string pattern, string name) =>
        pattern.EndsWith(".*", StringComparison.Ordinal)
            ? name == pattern[..^2] || name.StartsWith(pattern[..^1], StringComparison.Ordinal)
            : name == pattern;

    private sealed record PackageRule(string Package, string[] Ours, Family[] Never);

    private sealed record Family(string Name, string[] Patterns)
    {
        public bool Contains(string name) => Patterns.Any(p => Matches(p, name));
    }

    private sealed record Allowance(string Package, string Pattern, string Reason);

    private sealed record Reference(string Name, string Source)
    {
        public override string ToString() => $"{Name} ({Source})";
    }
}
