using Chatterfy.Postbacks.Networks;

namespace Chatterfy.Postbacks.Templates;

/// <summary>
/// Finds the common mistakes in affiliate link templates before a marketer saves them: a click id that would not
/// reach the network, and links mangled by copying from HTML or Markdown.
/// </summary>
public static class AffiliateLinkChecker
{
    private const string ClickIdMacro = "{{tracker.clickid}}";

    /// <summary>Checks an affiliate link template.</summary>
    /// <param name="link">The link template, e.g. <c>https://binomo.com/en/promo/a21?open=register&amp;click_id={{tracker.clickid}}</c>.</param>
    /// <param name="profile">
    /// The profile of the network the link points to; when its <see cref="NetworkProfile.ClickIdLinkParameter"/> is set,
    /// that query parameter must carry the click-id macro.
    /// </param>
    /// <returns>The warnings, most important first; empty for a correct link.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="link"/> is <see langword="null"/>.</exception>
    public static IReadOnlyList<LinkCheckWarning> Check(string link, NetworkProfile? profile = null)
    {
        ArgumentNullException.ThrowIfNull(link);
        var text = link.AsSpan();
        var warnings = new List<LinkCheckWarning>();

        if (profile?.ClickIdLinkParameter is { Length: > 0 } parameter
            && CheckClickIdParameter(text, parameter) is { } message)
        {
            warnings.Add(new LinkCheckWarning(LinkCheckCodes.ClickIdMacroMissing, message));
        }

        if (text.Contains("&amp;", StringComparison.OrdinalIgnoreCase))
        {
            warnings.Add(new LinkCheckWarning(
                LinkCheckCodes.HtmlEscaped,
                "The link contains &amp;, so it was copied from HTML: replace every &amp; with &."));
        }

        if (text.Contains(@"\{{", StringComparison.Ordinal)
            || text.Contains(@"\}}", StringComparison.Ordinal)
            || text.Contains(@"\_", StringComparison.Ordinal))
        {
            warnings.Add(new LinkCheckWarning(
                LinkCheckCodes.MarkdownEscaped,
                @"The link contains Markdown escapes (\{{, \}} or \_): remove the backslashes."));
        }

        // '?' cannot occur inside a macro (names are [A-Za-z0-9_.-]), so a plain count is "outside macros". The
        // fragment is left out because a '?' there (client-side routes) is harmless to the network.
        var fragmentStart = text.IndexOf('#');
        var beforeFragment = fragmentStart < 0 ? text : text[..fragmentStart];
        if (beforeFragment.Count('?') > 1)
        {
            warnings.Add(new LinkCheckWarning(
                LinkCheckCodes.MultipleQuestionMarks,
                "The link has more than one '?': keep the first one and separate the other parameters with &."));
        }

        return warnings;
    }

    /// <summary>
    /// Describes a macro that had no value when a link was rendered (one of <see cref="LinkRenderResult.UnknownMacros"/>,
    /// or the <see cref="UnknownMacroException.MacroName"/> of a refused render), saying what the render did with it.
    /// </summary>
    /// <param name="macroName">The macro's name, e.g. <c>fields.country</c>.</param>
    /// <param name="behavior">What the template did with the macro (<see cref="ChatterfyPostbacksOptions.UnknownMacros"/>).</param>
    /// <returns>A warning with the code <see cref="LinkCheckCodes.UnknownMacro"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="macroName"/> is <see langword="null"/>.</exception>
    public static LinkCheckWarning UnknownMacro(string macroName, UnknownMacroBehavior behavior)
    {
        ArgumentNullException.ThrowIfNull(macroName);
        var treatment = behavior switch
        {
            UnknownMacroBehavior.Empty => "; it was replaced with nothing.",
            UnknownMacroBehavior.Throw => ", so the link cannot be rendered.",
            _ => "; it was left in the link as written.",
        };
        return new LinkCheckWarning(LinkCheckCodes.UnknownMacro, $"The macro {{{{{macroName}}}}} has no value{treatment}");
    }

    // Returns the warning message, or null when the parameter carries the macro.
    private static string? CheckClickIdParameter(ReadOnlySpan<char> link, string parameter)
    {
        var fragmentStart = link.IndexOf('#');
        var beforeFragment = fragmentStart < 0 ? link : link[..fragmentStart];
        var queryStart = beforeFragment.IndexOf('?');
        var addition = queryStart < 0 ? "?" : "&";
        var expectation = $"The network expects the click id in the {parameter} parameter";

        var parameterWithoutMacro = false;
        string? parameterWithMacro = null;
        if (queryStart >= 0)
        {
            var query = beforeFragment[(queryStart + 1)..];
            foreach (var pairRange in query.Split('&'))
            {
                var pair = query[pairRange];
                var equals = pair.IndexOf('=');
                var name = equals < 0 ? pair : pair[..equals];
                var hasMacro = equals >= 0 && ContainsClickIdMacro(pair[(equals + 1)..]);
                if (name.SequenceEqual(parameter))
                {
                    if (hasMacro)
                    {
                        return null;
                    }

                    parameterWithoutMacro = true;
                }
                else if (hasMacro)
                {
                    parameterWithMacro ??= name.ToString();
                }
            }
        }

        if (parameterWithMacro is not null)
        {
            return $"{expectation}, but the link passes the click-id macro in {parameterWithMacro}: use {parameter}={ClickIdMacro} instead.";
        }

        if (parameterWithoutMacro)
        {
            return $"{expectation}, but its value has no click-id macro: use {parameter}={ClickIdMacro}.";
        }

        if (ContainsClickIdMacro(link))
        {
            return $"{expectation}, but the link has the click-id macro outside the query: add {addition}{parameter}={ClickIdMacro}.";
        }

        return $"{expectation}: add {addition}{parameter}={ClickIdMacro}.";
    }

    private static bool ContainsClickIdMacro(ReadOnlySpan<char> text)
    {
        var position = 0;
        while (MacroSyntax.TryFindNext(text, position, out var macroStart, out var macroLength, out var name))
        {
            if (MacroSyntax.IsClickIdName(text[name]))
            {
                return true;
            }

            position = macroStart + macroLength;
        }

        return false;
    }
}
