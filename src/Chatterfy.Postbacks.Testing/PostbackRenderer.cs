using System.Globalization;
using System.Text;

namespace Chatterfy.Postbacks.Testing;

/// <summary>
/// Turns a network's values into URL text under one call's options: amounts in the chosen format, values
/// percent-encoded, and the macros the network leaves unsubstituted in the chosen style.
/// </summary>
internal sealed class PostbackRenderer(PostbackSimulationOptions options)
{
    private readonly HashSet<string> _leaveUnsubstituted = new(options.LeaveUnsubstituted, StringComparer.Ordinal);

    public string? FormatAmount(decimal? amount)
    {
        if (amount is not { } value)
        {
            return null;
        }

        var text = value.ToString(CultureInfo.InvariantCulture);
        return options.CommaDecimals ? text.Replace('.', ',') : text;
    }

    /// <summary>Binomo's way: <c>name=value</c> pairs, leaving out values it does not have.</summary>
    public string RenderParameters(IReadOnlyList<(string Name, string? Value)> parameters)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        var query = new StringBuilder();
        foreach (var (name, value) in parameters)
        {
            var macro = "{" + name + "}";
            string text;
            if (_leaveUnsubstituted.Contains(macro))
            {
                used.Add(macro);
                text = Unsubstituted(macro);
            }
            else if (value is not null)
            {
                text = QueryText.Escape(value);
            }
            else
            {
                continue;
            }

            query.Append(query.Length == 0 ? "" : "&").Append(QueryText.Escape(name)).Append('=').Append(text);
        }

        var unknown = _leaveUnsubstituted.Where(m => !used.Contains(m)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException(
                $"{string.Join(", ", unknown)} cannot be left unsubstituted: this network sends the parameters {string.Join(", ", parameters.Select(p => p.Name))}; name one as {{name}}.");
        }

        return query.ToString();
    }

    /// <summary>The textual way (1Win, custom networks): each macro of <paramref name="values"/> replaced in one pass.</summary>
    public string RenderTemplate(string template, IReadOnlyDictionary<string, string?> values)
    {
        var missing = _leaveUnsubstituted.Where(m => !template.Contains(m, StringComparison.Ordinal)).ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException(
                $"{string.Join(", ", missing)} cannot be left unsubstituted: the URL '{template}' does not contain it.");
        }

        var replacements = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (macro, value) in values)
        {
            if (macro.Length > 0)
            {
                replacements[macro] = QueryText.Escape(value ?? "");
            }
        }

        foreach (var macro in _leaveUnsubstituted)
        {
            replacements[macro] = Unsubstituted(macro);
        }

        // One pass, longest macro first at each position, so a substituted value is never scanned for macros again.
        var ordered = replacements.Keys.OrderByDescending(k => k.Length).ToArray();
        var result = new StringBuilder(template.Length);
        for (var i = 0; i < template.Length;)
        {
            var match = Array.Find(ordered, m => string.CompareOrdinal(template, i, m, 0, m.Length) == 0);
            if (match is null)
            {
                result.Append(template[i++]);
                continue;
            }

            result.Append(replacements[match]);
            i += match.Length;
        }

        return result.ToString();
    }

    private string Unsubstituted(string macro) => options.UnsubstitutedMacroStyle switch
    {
        UnsubstitutedMacroStyle.PercentEncoded => QueryText.Escape(QueryText.Escape(macro)),
        _ => macro,
    };
}
