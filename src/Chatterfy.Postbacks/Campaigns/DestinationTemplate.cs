using System.Globalization;
using System.Text;
using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Templates;

namespace Chatterfy.Postbacks.Campaigns;

/// <summary>
/// A campaign's destination template as the click redirect reads it: its macros, where its host ends, and how it renders
/// into a <c>Location</c> that no click value can move to another host or push past
/// <see cref="CampaignService.MaxLocationLength"/>.
/// </summary>
/// <remarks>
/// <para>
/// The <b>host part</b> runs from the start to the first <c>/</c>, <c>\</c>, <c>?</c> or <c>#</c> after <c>scheme:</c>
/// and the slashes that follow it: the scheme, user info, host and port. Values are percent-encoded, so they can never
/// hold one of those characters, and a macro after the host part can only ever render into the path, query or fragment.
/// A macro in the host part is refused when a campaign is saved. For a campaign saved before that rule it renders empty,
/// and the host part is read again without it, until no macro is left there.
/// </para>
/// <para>
/// Rendering never throws. The click id is always rendered; every other macro (a tracker field) renders its
/// percent-encoded value only while the <c>Location</c> stays within the limit, and empty (reported in
/// <see cref="RenderedDestination.OmittedFields"/>) once it would not.
/// </para>
/// </remarks>
internal sealed class DestinationTemplate
{
    private readonly string _text;
    private readonly Macro[] _macros;

    private DestinationTemplate(string text, Macro[] macros, string[] macroNames, bool hasMacroInHost)
    {
        _text = text;
        _macros = macros;
        MacroNames = macroNames;
        HasMacroInHost = hasMacroInHost;
    }

    /// <summary>Gets the normalized names of the macros as written, those in the host part included (repeats too).</summary>
    public IReadOnlyList<string> MacroNames { get; }

    /// <summary>Gets a value indicating whether a macro stands in the host part (scheme, user info, host or port) as written.</summary>
    public bool HasMacroInHost { get; }

    /// <summary>Reads a template; any text is accepted. Macros in the host part are dropped, so they render empty.</summary>
    /// <param name="text">The template.</param>
    /// <returns>The template.</returns>
    public static DestinationTemplate Parse(string text)
    {
        var hasMacroInHost = false;
        string[]? macroNames = null;
        while (true)
        {
            var macros = FindMacros(text);
            macroNames ??= [.. macros.Select(m => m.Name)];
            var hostEnd = HostEnd(text);
            if (macros.Count == 0 || macros[0].Start >= hostEnd)
            {
                return new DestinationTemplate(text, [.. macros], macroNames, hasMacroInHost);
            }

            // Without its macros the host part may end elsewhere ("tg:{{tracker.a}}//{{tracker.b}}/" becomes
            // "tg://{{tracker.b}}/"), so it is read again until no macro is left in it. Each pass removes text: it ends.
            hasMacroInHost = true;
            var builder = new StringBuilder(text.Length);
            var position = 0;
            foreach (var macro in macros.TakeWhile(m => m.Start < hostEnd))
            {
                builder.Append(text, position, macro.Start - position);
                position = macro.Start + macro.Length;
            }

            text = builder.Append(text, position, text.Length - position).ToString();
        }
    }

    /// <summary>
    /// Renders the template with <paramref name="clickId"/> and tracker fields that are all empty: the fixed part of every
    /// <c>Location</c> of this template.
    /// </summary>
    /// <param name="clickId">The click id.</param>
    /// <returns>The <c>Location</c>, or <see langword="null"/> when the text is not an absolute URL.</returns>
    public string? RenderFixedPart(string clickId) => ToLocation(Build(new TemplateValues { ClickId = clickId }, budget: 0, omitted: null));

    /// <summary>Renders the template for a click; see the remarks of <see cref="DestinationTemplate"/>.</summary>
    /// <param name="click">The click.</param>
    /// <returns>The destination, or <see langword="null"/> when the template does not render to an absolute URL.</returns>
    public RenderedDestination? Render(Click click)
    {
        var values = TemplateValues.ForClick(click);
        if (ToLocation(Build(values, budget: 0, omitted: null)) is not { } fixedPart)
        {
            return null;
        }

        var fields = _macros.Where(m => !IsClickId(m) && values.TryGetValue(m.Name, out var value) && value.Length > 0).Select(m => KeyOf(m.Name)).Distinct(StringComparer.Ordinal).ToList();
        if (fields.Count == 0)
        {
            return new RenderedDestination(fixedPart, [], HasMacroInHost);
        }

        // Every rendered value adds its escaped length to the fixed part. Should Uri's own reading of a non-ASCII template
        // still make the result longer, or no URL (never for an ASCII template), the fields are all left out.
        var omitted = new List<string>();
        var budget = CampaignService.MaxLocationLength - fixedPart.Length;
        if (budget > 0 && ToLocation(Build(values, budget, omitted)) is { Length: <= CampaignService.MaxLocationLength } location)
        {
            return new RenderedDestination(location, omitted, HasMacroInHost);
        }

        return new RenderedDestination(fixedPart, fields, HasMacroInHost);
    }

    /// <summary>
    /// Turns a rendered destination into a <c>Location</c> header value: the text as written when it is printable ASCII,
    /// otherwise <see cref="Uri"/>'s escaped form with an internationalized host in its IDNA (punycode) form.
    /// </summary>
    /// <param name="rendered">The rendered destination.</param>
    /// <returns>The value, or <see langword="null"/> when <paramref name="rendered"/> is not an absolute URL.</returns>
    internal static string? ToLocation(string rendered)
    {
        if (!Uri.TryCreate(rendered, UriKind.Absolute, out var uri))
        {
            return null;
        }

        if (IsPrintableAscii(rendered))
        {
            return rendered;
        }

        var escaped = uri.AbsoluteUri;
        if (IsPrintableAscii(escaped))
        {
            return escaped;
        }

        var port = uri.IsDefaultPort ? "" : ":" + uri.Port.ToString(CultureInfo.InvariantCulture);
        var idn = $"{uri.Scheme}://{uri.IdnHost}{port}{uri.GetComponents(UriComponents.PathAndQuery | UriComponents.Fragment, UriFormat.UriEscaped)}";
        return IsPrintableAscii(idn) ? idn : null;
    }

    private static List<Macro> FindMacros(string text)
    {
        var macros = new List<Macro>();
        var position = 0;
        while (MacroSyntax.TryFindNext(text, position, out var start, out var length, out var name))
        {
            macros.Add(new Macro(start, length, MacroSyntax.Normalize(text.AsSpan()[name])));
            position = start + length;
        }

        return macros;
    }

    // The end of the host part: see the remarks. Browsers read any run of '/' and '\' after "https:" as the start of the
    // host, and '\' as the end of it, so both count here too. A template without a ':' has no scheme: all of it is the
    // host part.
    private static int HostEnd(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return text.Length;
        }

        var afterScheme = text.AsSpan(colon + 1);
        var start = colon + 1 + (afterScheme.Length - afterScheme.TrimStart("/\\").Length);
        var end = text.AsSpan(start).IndexOfAny("/\\?#");
        return end < 0 ? text.Length : start + end;
    }

    private static bool IsClickId(Macro macro) => string.Equals(macro.Name, MacroSyntax.ClickIdName, StringComparison.Ordinal);

    // A field's key for OmittedFields: tracker.utm_source -> utm_source.
    private static string KeyOf(string name) =>
        TemplateValues.KeyOf(TemplateValues.Classify(name), name) ?? name;

    private static bool IsPrintableAscii(string value)
    {
        foreach (var c in value)
        {
            if (c is < '!' or > '~')
            {
                return false;
            }
        }

        return true;
    }

    // With omitted null, the fixed part: the click id only. Otherwise each field value that fits what is left of the
    // budget, in the template's order; the others render empty and are added to omitted.
    private string Build(TemplateValues values, int budget, List<string>? omitted)
    {
        var buffer = new RenderBuffer(stackalloc char[512]);
        try
        {
            var position = 0;
            foreach (var macro in _macros)
            {
                buffer.Append(_text.AsSpan(position, macro.Start - position));
                position = macro.Start + macro.Length;
                if (!values.TryGetValue(macro.Name, out var value))
                {
                    continue;
                }

                if (!IsClickId(macro))
                {
                    if (omitted is null)
                    {
                        continue;
                    }

                    var length = UriDataEscaper.GetEscapedLength(value);
                    if (length > budget)
                    {
                        var key = KeyOf(macro.Name);
                        if (!omitted.Contains(key))
                        {
                            omitted.Add(key);
                        }

                        continue;
                    }

                    budget -= (int)length;
                }

                buffer.AppendUriData(value);
            }

            buffer.Append(_text.AsSpan(position));
            return buffer.ToString();
        }
        finally
        {
            buffer.Dispose();
        }
    }

    /// <summary>One macro of the template: where it is and its normalized name.</summary>
    private readonly record struct Macro(int Start, int Length, string Name);
}
