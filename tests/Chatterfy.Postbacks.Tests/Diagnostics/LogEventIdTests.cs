using System.Text.RegularExpressions;
using Chatterfy.Postbacks.Tests.Repository;

namespace Chatterfy.Postbacks.Tests.Diagnostics;

/// <summary>
/// Every <c>[LoggerMessage]</c> of every package has an event id of its package's own range, no two share one, and
/// docs/logging.md lists each with its level.
/// </summary>
public sealed partial class LogEventIdTests
{
    // The source folder (under src/) and the ids it owns.
    private static readonly (string Folder, int First, int Last)[] Ranges =
    [
        ("Chatterfy.Postbacks/", 1000, 1999),
        ("Chatterfy.Postbacks.Forwarding/", 2000, 2999),
        ("Chatterfy.Postbacks.AspNetCore/", 3000, 3999),
        ("Chatterfy.Postbacks.Sqlite/", 4000, 4999),
        ("Chatterfy.Postbacks.PostgreSql/", 5000, 5999),
        ("Chatterfy.Postbacks.Testing/", 6000, 6999),
        ("Chatterfy.Postbacks.Dashboard/", 7000, 7999),
    ];

    [Fact]
    public void EventIds_AreUniqueAcrossThePackages()
    {
        var events = Events();

        events.Should().HaveCountGreaterThan(40);
        events.GroupBy(e => e.Id).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(e => e.File))}")
            .Should().BeEmpty("an event id names one log line");
    }

    [Fact]
    public void EventIds_LieInTheRangeOfTheirPackage()
    {
        foreach (var (id, _, file) in Events())
        {
            var (folder, first, last) = Ranges.FirstOrDefault(r => file.StartsWith(r.Folder, StringComparison.Ordinal));
            folder.Should().NotBeNull($"{file} belongs to a package with a range of event ids (docs/logging.md)");
            id.Should().BeInRange(first, last, $"{file} is in {folder}, which owns {first}–{last}");
        }
    }

    [Fact]
    public void TheLoggingPage_ListsEveryEventWithItsLevel_AndNoOther()
    {
        var rows = DocRow().Matches(Checkout.ReadText("docs/logging.md"))
            .Select(m => (Id: int.Parse(m.Groups["id"].Value, System.Globalization.CultureInfo.InvariantCulture), Level: m.Groups["level"].Value))
            .ToList();

        rows.Should().BeEquivalentTo(Events().Select(e => (e.Id, e.Level)), "docs/logging.md lists every log event of the packages with its level");
    }

    private static List<(int Id, string Level, string File)> Events()
    {
        var src = Path.Combine(Checkout.Root, "src");
        return [.. Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => LoggerMessage().Matches(File.ReadAllText(f)).Select(m => (
                int.Parse(m.Groups["id"].Value, System.Globalization.CultureInfo.InvariantCulture),
                m.Groups["level"].Value,
                Path.GetRelativePath(src, f).Replace(Path.DirectorySeparatorChar, '/'))))];
    }

    [GeneratedRegex(@"\[LoggerMessage\(EventId = (?<id>\d+), Level = LogLevel\.(?<level>\w+)")]
    private static partial Regex LoggerMessage();

    [GeneratedRegex(@"^\| (?<id>\d{4}) \| (?<level>\w+) \|", RegexOptions.Multiline)]
    private static partial Regex DocRow();
}
