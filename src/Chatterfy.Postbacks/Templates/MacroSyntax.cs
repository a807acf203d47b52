namespace Chatterfy.Postbacks.Templates;

/// <summary>
/// The <c>{{ name }}</c> macro grammar shared by the template compiler and the link checker, so both agree on what a
/// macro is.
/// </summary>
internal static class MacroSyntax
{
    /// <summary>The longest macro name accepted; longer runs are almost certainly pasted data, not a macro.</summary>
    internal const int MaxNameLength = LinkTemplate.MaxMacroNameLength;

    /// <summary>The canonical normalized name of the click-id macro.</summary>
    internal const string ClickIdName = "tracker.clickid";

    // Chatterfy documents both spellings; folding keeps value sources and the link check to one name.
    private const string ChatClickIdName = "chat.tracker.clickid";

    /// <summary>Finds the first well-formed macro at or after <paramref name="start"/>.</summary>
    /// <param name="text">The text to search.</param>
    /// <param name="start">Where to start searching.</param>
    /// <param name="macroStart">The index of the macro's opening <c>{{</c>.</param>
    /// <param name="macroLength">The length of the macro including both brace pairs.</param>
    /// <param name="name">The range of the name (without surrounding whitespace) within <paramref name="text"/>.</param>
    /// <returns><see langword="true"/> when a macro was found.</returns>
    internal static bool TryFindNext(ReadOnlySpan<char> text, int start, out int macroStart, out int macroLength, out Range name)
    {
        var position = start;
        while (position < text.Length - 1)
        {
            var offset = text[position..].IndexOf("{{", StringComparison.Ordinal);
            if (offset < 0)
            {
                break;
            }

            macroStart = position + offset;
            if (TryReadAt(text, macroStart, out macroLength, out name))
            {
                return true;
            }

            // Malformed braces stay literal; retrying one character later lets "{{{x}}}" still find "{{x}}".
            position = macroStart + 1;
        }

        macroStart = -1;
        macroLength = 0;
        name = default;
        return false;
    }

    /// <summary>Normalizes a macro name that <see cref="TryFindNext"/> accepted.</summary>
    /// <param name="name">The name as written, without surrounding whitespace.</param>
    /// <returns>The lower-case name, with <c>chat.tracker.clickid</c> folded into <c>tracker.clickid</c>.</returns>
    internal static string Normalize(ReadOnlySpan<char> name)
    {
        if (IsClickIdName(name))
        {
            return ClickIdName;
        }

        // Name characters are ASCII by grammar, so invariant lower-casing is exactly ASCII lower-casing.
        Span<char> lower = stackalloc char[MaxNameLength];
        var length = name.ToLowerInvariant(lower);
        return new string(lower[..length]);
    }

    /// <summary>Tells whether a macro name, in any case, names the click id.</summary>
    /// <param name="name">The name as written, without surrounding whitespace.</param>
    /// <returns><see langword="true"/> for <c>tracker.clickid</c> and <c>chat.tracker.clickid</c>.</returns>
    internal static bool IsClickIdName(ReadOnlySpan<char> name) =>
        name.Equals(ClickIdName, StringComparison.OrdinalIgnoreCase)
        || name.Equals(ChatClickIdName, StringComparison.OrdinalIgnoreCase);

    private static bool TryReadAt(ReadOnlySpan<char> text, int macroStart, out int macroLength, out Range name)
    {
        macroLength = 0;
        name = default;
        var position = SkipWhiteSpace(text, macroStart + 2);
        var nameStart = position;

        // Stop one past the limit: enough to reject an over-long name without scanning the whole run.
        while (position < text.Length && position - nameStart <= MaxNameLength && IsNameChar(text[position]))
        {
            position++;
        }

        var nameLength = position - nameStart;
        if (nameLength is 0 or > MaxNameLength)
        {
            return false;
        }

        var nameEnd = position;
        position = SkipWhiteSpace(text, position);
        if (position + 1 >= text.Length || text[position] != '}' || text[position + 1] != '}')
        {
            return false;
        }

        macroLength = position + 2 - macroStart;
        name = nameStart..nameEnd;
        return true;
    }

    private static int SkipWhiteSpace(ReadOnlySpan<char> text, int position)
    {
        while (position < text.Length && char.IsWhiteSpace(text[position]))
        {
            position++;
        }

        return position;
    }

    /// <summary>Tells whether a name is 1 to <see cref="MaxNameLength"/> name characters.</summary>
    /// <param name="name">The name, without surrounding whitespace.</param>
    /// <returns><see langword="true"/> when it is.</returns>
    internal static bool IsName(ReadOnlySpan<char> name)
    {
        if (name.Length is 0 or > MaxNameLength)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!IsNameChar(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-';
}
