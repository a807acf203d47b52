using System.Buffers;

namespace Chatterfy.Postbacks.Ingestion;

/// <summary>
/// Recognises values that are a network macro the network did not replace: <c>{sub1}</c>, <c>%7Bsub1%7D</c>,
/// <c>[subid]</c>, <c>#clickid#</c>, <c>%subid%</c>, <c>{{tracker.clickid}}</c>, <c>OPTIONAL</c>, <c>REPLACE</c>.
/// </summary>
internal static class UnsubstitutedMacro
{
    // Every macro form below but the two words contains one of these.
    private static readonly SearchValues<char> MacroMarks = SearchValues.Create("{}%[#$");

    public static bool Matches(ReadOnlySpan<char> value)
    {
        var text = value.Trim();
        if (text.Length == 0)
        {
            return false;
        }

        // Fast path for the usual, real value: one vectorized search rules out every form but the words.
        if (!text.ContainsAny(MacroMarks))
        {
            return IsPlaceholderWord(text);
        }

        if (text.ContainsAny('{', '}'))
        {
            return true;
        }

        // Double-encoded braces survive one round of decoding as %7B / %7D.
        if (text.Contains("%7B", StringComparison.OrdinalIgnoreCase) || text.Contains("%7D", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (IsWrapped(text, '[', ']') || IsWrapped(text, '#', '#') || IsWrapped(text, '%', '%') || IsWrapped(text, '$', '$'))
        {
            return true;
        }

        return IsPlaceholderWord(text);
    }

    private static bool IsPlaceholderWord(ReadOnlySpan<char> text) =>
        text.Equals("OPTIONAL", StringComparison.OrdinalIgnoreCase) || text.Equals("REPLACE", StringComparison.OrdinalIgnoreCase);

    private static bool IsWrapped(ReadOnlySpan<char> text, char open, char close) =>
        text.Length >= 3 && text[0] == open && text[^1] == close && IsMacroName(text[1..^1]);

    private static bool IsMacroName(ReadOnlySpan<char> name)
    {
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
