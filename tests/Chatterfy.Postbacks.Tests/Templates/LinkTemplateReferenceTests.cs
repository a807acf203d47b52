using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.RegularExpressions;
using Chatterfy.Postbacks.Templates;
using CsCheck;

namespace Chatterfy.Postbacks.Tests.Templates;

/// <summary>
/// <see cref="LinkTemplate"/> against a deliberately plain reference (a regular expression, <see cref="StringBuilder"/>,
/// <see cref="Encoding.UTF8"/>) over generated templates and values: the same text, unknown macros and exceptions.
/// </summary>
public sealed class LinkTemplateReferenceTests
{
    // Each macro name the generator writes, with how TemplateValues holds its value; null: nowhere (always unknown).
    private static readonly (string Name, string? Family, string? Key)[] Names =
    [
        ("tracker.clickid", "click", null),
        ("chat.tracker.clickid", "click", null),
        ("tracker.ad_name", "tracker", "Ad_Name"),
        ("tracker.sub1", "tracker", "SUB1"),
        ("fields.country", "fields", "country"),
        ("fields.a", "fields", "A"),
        ("chatId", "chat", null),
        ("username", "user", null),
        ("click.id", "variable", "Click.Id"),
        ("conversion.amount", "variable", "conversion.amount"),
        ("x", "variable", "X"),
        ("unknown.y", null, null),
    ];

    // The value of each name in Names (the two click-id spellings share one), or null when it is missing.
    private static readonly Gen<string?[]> ValueSet = Gen.OneOf(
        Gen.String,
        Gen.String["&=#/?% +{}\\\r\n\0azAZ09-._~é日\uD83D\uDE00\uD800\uDC00"],
        Gen.String["abcXYZ0189-_"],
        Gen.Const(string.Empty)).Null(0.2).Array[Names.Length];

    private static readonly Gen<string> MacroText = Gen.Select(
        Gen.Int[0, Names.Length - 1],
        Gen.Bool,
        Gen.OneOf(Gen.Const(string.Empty), Gen.Const(" "), Gen.Const("\t "), Gen.Const("\n")),
        Gen.OneOf(Gen.Const(string.Empty), Gen.Const(" "), Gen.Const("  ")))
        .Select((index, upper, before, after) =>
        {
            var name = Names[index].Name;
            return "{{" + before + (upper ? name.ToUpperInvariant() : name) + after + "}}";
        });

    // Near misses stay literal text: single braces, unclosed or empty macros, characters a name cannot hold.
    private static readonly Gen<string> Literal = Gen.OneOf(
        Gen.String["a&/?=: {}%é\t"],
        Gen.OneOf(Gen.Const("{{"), Gen.Const("}}"), Gen.Const("{sub1}"), Gen.Const("{{ }}"), Gen.Const("{{a b}}"), Gen.Const("{{{")),
        Gen.Char["abc"].Array[129].Select(c => "{{" + new string(c) + "}}"));

    // From no macro to well past the 16 occurrences a render keeps on the stack.
    private static readonly Gen<string> TemplateText = Gen.Select(
        Gen.OneOf(Gen.Const("https://x.example/p?"), Gen.Const("tg://resolve?d="), Gen.Const("HTTP:x"), Gen.Const("Hi "), Gen.Const("a: "), Gen.Const(string.Empty)),
        Gen.Frequency((3, MacroText), (2, Literal)).Array[0, 40])
        .Select((start, parts) => start + string.Concat(parts));

    private static readonly Regex Macro = new(@"\{\{\s*([A-Za-z0-9_.-]{1,128})\s*\}\}", RegexOptions.CultureInvariant);

    private static readonly Regex Scheme = new(@"^[A-Za-z][A-Za-z0-9+.-]*:\S", RegexOptions.CultureInvariant);

    // 3,000 cases: each template mixes known, missing and malformed macros, so this covers far more renders.
    [Fact]
    public void Render_GeneratedTemplatesAndValues_MatchesReference()
    {
        Gen.Select(TemplateText, Gen.Enum<UnknownMacroBehavior>(), ValueSet, Gen.Bool).Sample((text, behavior, valueSet, custom) =>
        {
            var template = LinkTemplate.Parse(text, behavior);
            IMacroValueSource values = custom ? new DictionarySource(valueSet) : ToTemplateValues(valueSet);
            var expected = ReferenceRender(text, behavior, values);

            if (expected.ThrownFor is { } name)
            {
                template.Invoking(t => t.Render(values)).Should().Throw<UnknownMacroException>().Which.MacroName.Should().Be(name);
                template.Invoking(t => t.RenderToString(values)).Should().Throw<UnknownMacroException>().Which.MacroName.Should().Be(name);
                return;
            }

            var result = template.Render(values);
            result.Value.Should().Be(expected.Text);
            result.UnknownMacros.Should().Equal(expected.Unknown);
            template.RenderToString(values).Should().Be(expected.Text);
        }, iter: 3_000);
    }

    // A macro per regular-expression match, looked up through the public TryGetValue by its normalized name, escaped
    // through UTF-8 byte by byte.
    private static (string Text, List<string> Unknown, string? ThrownFor) ReferenceRender(string text, UnknownMacroBehavior behavior, IMacroValueSource values)
    {
        var isUrl = Scheme.IsMatch(text);
        var builder = new StringBuilder();
        var unknown = new List<string>();
        var last = 0;
        foreach (Match match in Macro.Matches(text))
        {
            builder.Append(text, last, match.Index - last);
            last = match.Index + match.Length;
            var name = match.Groups[1].Value.ToLowerInvariant();
            name = name == "chat.tracker.clickid" ? "tracker.clickid" : name;
            if (values.TryGetValue(name, out var value))
            {
                builder.Append(isUrl ? EscapeDataReference(value) : value);
                continue;
            }

            if (behavior == UnknownMacroBehavior.Throw)
            {
                return (string.Empty, unknown, name);
            }

            if (!unknown.Contains(name))
            {
                unknown.Add(name);
            }

            if (behavior == UnknownMacroBehavior.LeaveAsIs)
            {
                builder.Append(match.Value);
            }
        }

        builder.Append(text, last, text.Length - last);
        return (builder.ToString(), unknown, null);
    }

    // Lone surrogates: Encoding.UTF8 writes U+FFFD for each, as the renderer promises.
    private static string EscapeDataReference(string value)
    {
        var builder = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~')
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private static TemplateValues ToTemplateValues(string?[] valueSet)
    {
        var values = new TemplateValues();
        for (var i = 0; i < Names.Length; i++)
        {
            if (valueSet[i] is not { } value)
            {
                continue;
            }

            var (_, family, key) = Names[i];
            switch (family)
            {
                case "click":
                    values.ClickId = value;
                    break;
                case "chat":
                    values.ChatId = value;
                    break;
                case "user":
                    values.Username = value;
                    break;
                case "tracker":
                    values.TrackerFields[key!] = value;
                    break;
                case "fields":
                    values.Fields[key!] = value;
                    break;
                case "variable":
                    values.Variables[key!] = value;
                    break;
            }
        }

        return values;
    }

    /// <summary>A source of the generator's values by normalized name, taking the last of the two click-id spellings, as <see cref="ToTemplateValues"/> does.</summary>
    private sealed class DictionarySource : IMacroValueSource
    {
        private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

        public DictionarySource(string?[] valueSet)
        {
            for (var i = 0; i < Names.Length; i++)
            {
                if (valueSet[i] is { } value && Names[i].Family is not null)
                {
                    var name = Names[i].Name.ToLowerInvariant();
                    _values[name == "chat.tracker.clickid" ? "tracker.clickid" : name] = value;
                }
            }
        }

        public bool TryGetValue(string name, [NotNullWhen(true)] out string? value) => _values.TryGetValue(name, out value);
    }
}
