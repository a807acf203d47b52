using System.Text.RegularExpressions;
using BenchmarkDotNet.Attributes;
using Chatterfy.Postbacks.Templates;

namespace Chatterfy.Postbacks.Benchmarks;

/// <summary>
/// Renders a three-macro affiliate link, one value of which needs percent-encoding: a typical <see cref="Regex"/>
/// implementation (the baseline), chained <see cref="string.Replace(string, string)"/> calls, and the SDK's
/// <see cref="LinkTemplate"/> (<see cref="LinkTemplate.Render"/> and <see cref="LinkTemplate.RenderToString"/>). All
/// produce the same string; <see cref="Setup"/> checks that.
/// </summary>
[MemoryDiagnoser]
public class MacroRenderingBenchmarks
{
    private const string Template =
        "https://binomo.com/en/promo/a21?open=register&click_id={{tracker.clickid}}&utm_content={{tracker.ad_name}}&chat={{chatId}}";

    private const string ClickId = "67wgwWkaR0Ab";
    private const string AdName = "video 1/spring";
    private const string ChatId = "123456789";

    private const string Expected =
        "https://binomo.com/en/promo/a21?open=register&click_id=67wgwWkaR0Ab&utm_content=video%201%2Fspring&chat=123456789";

    // The way a typical implementation does it: one static, compiled pattern with the same macro grammar as the SDK.
    private static readonly Regex MacroPattern = new(
        @"\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}",
        RegexOptions.Compiled | RegexOptions.CultureInvariant);

    private Dictionary<string, string> _values = null!;
    private MatchEvaluator _evaluator = null!;
    private LinkTemplate _template = null!;
    private TemplateValues _templateValues = null!;

    /// <summary>Builds the value sources, parses the template once and checks that all three ways agree.</summary>
    /// <exception cref="InvalidOperationException">A way renders something other than the expected link.</exception>
    [GlobalSetup]
    public void Setup()
    {
        _values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["tracker.clickid"] = ClickId,
            ["tracker.ad_name"] = AdName,
            ["chatId"] = ChatId,
        };

        // Built once, like a field initializer in a real service; unknown macros stay as written, as in the SDK.
        _evaluator = match => _values.TryGetValue(match.Groups[1].Value, out var value)
            ? Uri.EscapeDataString(value)
            : match.Value;

        _template = LinkTemplate.Parse(Template);
        _templateValues = new TemplateValues { ClickId = ClickId, ChatId = ChatId };
        _templateValues.TrackerFields["ad_name"] = AdName;

        Check(nameof(RegexReplace), RegexReplace());
        Check(nameof(ChainedStringReplace), ChainedStringReplace());
        Check(nameof(LinkTemplateRender), LinkTemplateRender());
        Check(nameof(LinkTemplateRenderToString), LinkTemplateRenderToString());

        static void Check(string way, string actual)
        {
            if (!string.Equals(actual, Expected, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{way} rendered '{actual}', expected '{Expected}'.");
            }
        }
    }

    /// <summary>The baseline: <see cref="Regex.Replace(string, MatchEvaluator)"/> with a dictionary lookup per macro.</summary>
    /// <returns>The rendered link.</returns>
    [Benchmark(Baseline = true)]
    public string RegexReplace() => MacroPattern.Replace(Template, _evaluator);

    /// <summary>One <see cref="string.Replace(string, string)"/> per macro with the escaped value.</summary>
    /// <returns>The rendered link.</returns>
    [Benchmark]
    public string ChainedStringReplace() => Template
        .Replace("{{tracker.clickid}}", Uri.EscapeDataString(_values["tracker.clickid"]), StringComparison.Ordinal)
        .Replace("{{tracker.ad_name}}", Uri.EscapeDataString(_values["tracker.ad_name"]), StringComparison.Ordinal)
        .Replace("{{chatId}}", Uri.EscapeDataString(_values["chatId"]), StringComparison.Ordinal);

    /// <summary>The SDK: a <see cref="LinkTemplate"/> parsed once, rendered per operation with the unknown macros.</summary>
    /// <returns>The rendered link.</returns>
    [Benchmark]
    public string LinkTemplateRender() => _template.Render(_templateValues).Value;

    /// <summary>The SDK's text-only render: the same link, without the <see cref="LinkRenderResult"/>.</summary>
    /// <returns>The rendered link.</returns>
    [Benchmark]
    public string LinkTemplateRenderToString() => _template.RenderToString(_templateValues);
}
