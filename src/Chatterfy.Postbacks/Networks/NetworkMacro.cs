namespace Chatterfy.Postbacks.Networks;

/// <summary>Checks network macros configured in settings; they are pasted into URLs verbatim, so they must be URL-safe.</summary>
internal static class NetworkMacro
{
    public const int MaxLength = 64;

    /// <summary>
    /// Returns an error message when <paramref name="macro"/> cannot stand in a query value as is, or <see langword="null"/>.
    /// Braces, brackets, <c>%</c>, <c>#</c> at the edges and the like are allowed: they are what network macros look like.
    /// </summary>
    public static string? Validate(string? macro)
    {
        if (string.IsNullOrEmpty(macro))
        {
            return "A macro must not be empty.";
        }

        if (macro.Length > MaxLength)
        {
            return $"A macro must be at most {MaxLength} characters.";
        }

        foreach (var c in macro)
        {
            if (c is <= ' ' or >= '\u007f' or '&' or '=' or '?' or '"' or '\'' or '<' or '>' or '\\' or '`')
            {
                return $"The macro '{macro}' contains '{(c <= ' ' ? "white space or a control character" : c.ToString())}', which cannot stand in a URL query.";
            }
        }

        return null;
    }
}
