using System.Diagnostics.CodeAnalysis;
using Chatterfy.Postbacks.Templates;

namespace Chatterfy.Postbacks.Forwarding.HttpPostback;

/// <summary>The rules of a postback URL template, checked when a rule is created so no literal macro ever reaches a destination.</summary>
internal static class PostbackUrlTemplate
{
    internal const string TrackerPrefix = "tracker.";
    internal const string FieldsPrefix = "fields.";

    private const string LiteralAuthority = "The scheme, host and port of the URL template must be literal; macros may appear in the path and query only.";

    internal static readonly string[] FixedMacros =
        ["click.id", "tracker.clickid", "conversion.event", "conversion.amount", "conversion.currency", "conversion.tid", "conversion.id", "conversion.deposit_number", "conversion.status", "conversion.status_at"];

    private const string KnownList =
        "{{click.id}}, {{conversion.event}}, {{conversion.amount}}, {{conversion.currency}}, {{conversion.tid}}, {{conversion.id}}, {{conversion.deposit_number}}, {{conversion.status}}, {{conversion.status_at}}, {{fields.<key>}}, {{tracker.<key>}}";

    internal static bool IsKnown(string name) =>
        Array.IndexOf(FixedMacros, name) >= 0
        || (name.StartsWith(FieldsPrefix, StringComparison.Ordinal) && name.Length > FieldsPrefix.Length)
        || (name.StartsWith(TrackerPrefix, StringComparison.Ordinal) && name.Length > TrackerPrefix.Length);

    /// <summary>Returns what is wrong with a template, or <see langword="null"/> when it is valid.</summary>
    internal static string? Validate(string text)
    {
        var template = LinkTemplate.Parse(text, UnknownMacroBehavior.Empty);
        var unknown = template.Macros.Where(m => !IsKnown(m)).ToList();
        if (unknown.Count > 0)
        {
            return $"Unknown macro{(unknown.Count == 1 ? "" : "s")} {string.Join(", ", unknown.Select(m => "{{" + m + "}}"))}; known macros are {KnownList}.";
        }

        // The scheme, host and port are checked against the outbound policy when the rule is created, so no macro may move them.
        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd > 0)
        {
            var authorityEnd = text.AsSpan(schemeEnd + 3).IndexOfAny('/', '?', '#');
            var authority = authorityEnd < 0 ? text : text[..(schemeEnd + 3 + authorityEnd)];
            if (LinkTemplate.Parse(authority).Macros.Count > 0)
            {
                return LiteralAuthority;
            }
        }

        // Render with two different probe values: the macros must not move the scheme, host or port, which are checked
        // against the outbound policy when the rule is created.
        var first = template.Render(new ProbeValues("zqmacroa")).Value;
        var second = template.Render(new ProbeValues("zqmacrob")).Value;
        if (!template.IsUrl
            || !Uri.TryCreate(first, UriKind.Absolute, out var firstUrl)
            || !Uri.TryCreate(second, UriKind.Absolute, out var secondUrl)
            || (firstUrl.Scheme != Uri.UriSchemeHttps && firstUrl.Scheme != Uri.UriSchemeHttp))
        {
            return "The URL template must be an absolute http(s) URL, e.g. \"https://tracker.example/postback?clickid={{click.id}}\".";
        }

        if (!string.Equals(firstUrl.GetLeftPart(UriPartial.Authority), secondUrl.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal)
            || firstUrl.Authority.Contains("zqmacro", StringComparison.Ordinal))
        {
            return LiteralAuthority;
        }

        if (!string.IsNullOrEmpty(firstUrl.UserInfo))
        {
            return "The URL template must not carry user info (user:password@).";
        }

        if (first.Contains("{{", StringComparison.Ordinal) || first.Contains("}}", StringComparison.Ordinal))
        {
            return "The URL template contains '{{' or '}}' that is not a well-formed macro such as {{click.id}}; fix the braces or the macro name.";
        }

        return null;
    }

    /// <summary>
    /// Gets the literal path segments and query values of a template that look like keys (a tracker's postback path such
    /// as <c>/form/aDsHSQnhenrV</c>, <c>?key=Zx81kQ2m</c>): six characters or more mixing letters with digits, or lower- with
    /// upper-case letters past the first. They are masked in what the destination answers; words such as <c>postback</c> are not.
    /// </summary>
    internal static IEnumerable<string> LiteralKeys(string text)
    {
        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        var rest = schemeEnd < 0 ? text : text[(schemeEnd + 3)..];
        var fragment = rest.IndexOf('#', StringComparison.Ordinal);
        rest = fragment < 0 ? rest : rest[..fragment];
        var query = rest.IndexOf('?', StringComparison.Ordinal);
        var path = query < 0 ? rest : rest[..query];
        var pieces = path.Split('/').Skip(1).ToList();
        if (query >= 0)
        {
            pieces.AddRange(rest[(query + 1)..].Split('&').Select(pair => pair[(pair.IndexOf('=', StringComparison.Ordinal) + 1)..]));
        }

        foreach (var piece in pieces)
        {
            if (piece.Contains("{{", StringComparison.Ordinal))
            {
                continue;
            }

            var value = Uri.UnescapeDataString(piece);
            if (LooksLikeKey(value))
            {
                yield return value;
            }
        }
    }

    private static bool LooksLikeKey(string value)
    {
        if (value.Length < 6)
        {
            return false;
        }

        var letters = value.Any(char.IsAsciiLetter);
        var digits = value.Any(char.IsAsciiDigit);
        var mixedCase = value.Any(char.IsAsciiLetterLower) && value.Skip(1).Any(char.IsAsciiLetterUpper);
        return (letters && digits) || mixedCase;
    }

    /// <summary>Gets the scheme, host and port a valid template calls.</summary>
    internal static Uri GetAuthority(LinkTemplate template) =>
        new(new Uri(template.Render(new ProbeValues("zqmacroa")).Value).GetLeftPart(UriPartial.Authority) + "/");

    private sealed class ProbeValues(string probe) : IMacroValueSource
    {
        public bool TryGetValue(string name, [NotNullWhen(true)] out string? value)
        {
            value = probe;
            return true;
        }
    }
}
