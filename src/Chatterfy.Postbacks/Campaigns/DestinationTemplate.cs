using System.Globalization;
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
/// A macro in the host part is refused when a campaign is saved, and renders empty for a campaign saved before that rule.
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
    private readonly int _hostEnd;

    private DestinationTemplate(string text, Macro[] macros, int hostEnd)
    {
        _text = text;
        _macros = macros;
        _hostEnd = hostEnd;
    }

    /// <summary>Gets the normalized names of the macros, as written (repeats included).</summary>
    public IEnumerable<string> MacroNames => _macros.Select(m => m.Name);

    /// <summary>Gets a value indicating whether a macro stands in the host part (scheme, user info, host or port).</summary>
    public bool HasMacroInHost => _macros.Any(m => m.Start < _hostEnd);

    /// <summary>Reads a template; any text is accepted.</summary>
    /// <param name="text">The template.</param>
    /// <returns>The template.</returns>
    public static DestinationTemplate Parse(string text)
    {
        var macros = new List<Macro>();
        var position = 0;
        while (MacroSyntax.TryFindNext(text, position, out var start, out var length, out var name))
        {
            macros.Add(new Macro(start, length, MacroSyntax.Normalize(text.AsSpan()[name])));
            position = start + length;
        }

        return new DestinationTemplate(text, [.. macros], HostEnd(text));
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
        var hostMacrosOmitted = HasMacroInHost;
        if (ToLocation(Build(values, budget: 0, omitted: null)) is not { } fixedPart)
        {
            return null;
        }

        var omitted = new List<string>();
        var budget = CampaignService.MaxLocationLength - fixedPart.Length;
        if (budget <= 0 || !_macros.Any(m => m.Start >= _hostEnd && !IsClickId(m) && values.TryGetValue(m.Name, out var value) && value.Length > 0))
        {
            return new RenderedDestination(fixedPart, [], hostMacrosOmitted);
        }

        // Every rendered value adds its escaped length to the fixed part; should Uri's own reading of a non-ASCII
        // template still make it longer, or the text no URL, the fields are left out (never for an ASCII template).
        if (ToLocation(Build(values, budget, omitted)) is { Length: <= CampaignService.MaxLocationLength } location)
        {
            return new RenderedDestination(location, omitted, hostMacrosOmitted);
        }

        var fields = _macros.Where(m => m.Start >= _hostEnd && !IsClickId(m) && values.TryGetValue(m.Name, out var value) && value.Length > 0).Select(m => m.Name);
        return new RenderedDestination(fixedPart, [.. fields.Distinct(StringComparer.Ordinal).Select(KeyOf)], hostMacrosOmitted);
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
                if (macro.Start < _hostEnd || !values.TryGetValue(macro.Name, out var value))
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
