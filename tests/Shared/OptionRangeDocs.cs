using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Chatterfy.Postbacks.Tests.Approvals;

/// <summary>
/// Checks that each option's range attribute (the one home of the range) agrees with the range its XML doc
/// <c>&lt;value&gt;</c> tells readers: the doc must name the minimum and the maximum (unless the maximum is the type's own,
/// "at least …"), in any of the usual wordings (<c>10,000</c>, <c>10 000</c>, <c>1 KiB</c>, <c>zero</c>, <c>5 minutes</c>).
/// </summary>
internal static class OptionRangeDocs
{
    private static readonly (long Ticks, string Unit)[] Units =
    [
        (TimeSpan.TicksPerDay, "day"), (TimeSpan.TicksPerHour, "hour"), (TimeSpan.TicksPerMinute, "minute"),
        (TimeSpan.TicksPerSecond, "second"), (TimeSpan.TicksPerMillisecond, "millisecond"),
    ];

    /// <summary>Lists the options of an assembly whose documented range disagrees with their attribute.</summary>
    /// <param name="assembly">The assembly; its XML documentation file lies beside it.</param>
    /// <param name="checkedCount">How many ranged options were checked.</param>
    /// <returns>One line per disagreement.</returns>
    public static List<string> Mismatches(Assembly assembly, out int checkedCount)
    {
        var docs = XDocument.Load(Path.ChangeExtension(assembly.Location, ".xml"));
        var values = docs.Descendants("member").ToDictionary(m => (string)m.Attribute("name")!, m => m.Element("value")?.Value);
        var problems = new List<string>();
        checkedCount = 0;
        foreach (var type in assembly.GetTypes())
        {
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            {
                if (property.GetCustomAttribute<RangeAttribute>() is not { } range)
                {
                    continue;
                }

                checkedCount++;
                var member = $"P:{type.FullName!.Replace('+', '.')}.{property.Name}";
                var text = values.GetValueOrDefault(member) is { } value ? Regex.Replace(value, @"\s+", " ") : null;
                if (text is null)
                {
                    problems.Add($"{member} has a range but no <value> doc.");
                    continue;
                }

                var (minimum, maximum, unbounded) = Limits(range);
                if (!Names(text, minimum))
                {
                    problems.Add($"{member}: the <value> doc '{text}' does not name the minimum {minimum}.");
                }

                if (!unbounded && !Names(text, maximum))
                {
                    problems.Add($"{member}: the <value> doc '{text}' does not name the maximum {maximum}.");
                }
            }
        }

        return problems;
    }

    private static (object Minimum, object Maximum, bool Unbounded) Limits(RangeAttribute range)
    {
        if (range.OperandType == typeof(TimeSpan))
        {
            var minimum = TimeSpan.Parse((string)range.Minimum, CultureInfo.InvariantCulture);
            var maximum = TimeSpan.Parse((string)range.Maximum, CultureInfo.InvariantCulture);
            return (minimum, maximum, maximum == TimeSpan.MaxValue);
        }

        return (range.Minimum, range.Maximum, range.Maximum is int.MaxValue or double.MaxValue);
    }

    private static bool Names(string text, object limit) =>
        Wordings(limit).Any(w => Regex.IsMatch(text, $@"(?<![\w.,]){Regex.Escape(w)}(?![\w]|[.,]\d)", RegexOptions.IgnoreCase));

    private static IEnumerable<string> Wordings(object limit)
    {
        switch (limit)
        {
            case TimeSpan span when span == TimeSpan.Zero:
                return ["zero", "0", "00:00:00"];
            case TimeSpan span:
                return Units.Where(u => span.Ticks * 10 % u.Ticks == 0).SelectMany(u =>
                {
                    var count = (double)span.Ticks / u.Ticks;
                    var unit = count == 1 ? u.Unit : u.Unit + "s";
                    return Numbers(count).Select(n => $"{n} {unit}");
                }).Append(span.ToString("c", CultureInfo.InvariantCulture));
            case int number:
                var bytes = number % (1024 * 1024) == 0 ? [$"{number / (1024 * 1024)} MiB"] : number % 1024 == 0 ? new[] { $"{number / 1024} KiB" } : [];
                return Numbers(number).Concat(bytes);
            default:
                return Numbers(Convert.ToDouble(limit, CultureInfo.InvariantCulture));
        }
    }

    private static IEnumerable<string> Numbers(double number)
    {
        var plain = number.ToString(CultureInfo.InvariantCulture);
        return number == Math.Floor(number) && number >= 1000
            ? [plain, number.ToString("N0", CultureInfo.InvariantCulture), number.ToString("N0", CultureInfo.InvariantCulture).Replace(',', ' ')]
            : [plain];
    }
}
