namespace Chatterfy.Postbacks.Clicks;

/// <summary>
/// The rule of a subject id (a chat user of a bot, e.g. <c>tg:123456789</c>) that a click is bound to, in one place: 1 to
/// <see cref="MaxLength"/> characters of <c>[A-Za-z0-9_.:-]</c>, so that it travels in a URL path unescaped.
/// </summary>
public static class SubjectIds
{
    /// <summary>The longest subject id, in characters.</summary>
    public const int MaxLength = 128;

    /// <summary>The rule in words, for error messages.</summary>
    public const string Rule = "A subject id is 1 to 128 characters of A-Z a-z 0-9 _ . : -, e.g. tg:123456789.";

    /// <summary>Tells whether <paramref name="subjectId"/> keeps the rule.</summary>
    /// <param name="subjectId">The subject id.</param>
    /// <returns><see langword="true"/> when it does.</returns>
    public static bool IsValid(string? subjectId) =>
        subjectId is { Length: > 0 and <= MaxLength } && subjectId.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or ':' or '-');
}
