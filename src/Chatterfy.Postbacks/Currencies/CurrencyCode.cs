namespace Chatterfy.Postbacks.Currencies;

/// <summary>
/// What a currency code is, the one home of the check: three ASCII letters (ISO 4217 alphabetic code), stored in upper
/// case. The parser accepts any case from a network and upper-cases it; the exchange-rate sources and the options take
/// the upper-case form only.
/// </summary>
internal static class CurrencyCode
{
    /// <summary>The euro, the base of every reference rate (1 on every day).</summary>
    public const string Euro = "EUR";

    /// <summary>Whether <paramref name="code"/> is three ASCII upper-case letters.</summary>
    public static bool IsValid(string? code) =>
        code is { Length: 3 } && char.IsAsciiLetterUpper(code[0]) && char.IsAsciiLetterUpper(code[1]) && char.IsAsciiLetterUpper(code[2]);

    /// <summary>Whether <paramref name="code"/> is three ASCII letters in any case (what a postback may send).</summary>
    public static bool IsValidIgnoringCase(string? code) =>
        code is { Length: 3 } && char.IsAsciiLetter(code[0]) && char.IsAsciiLetter(code[1]) && char.IsAsciiLetter(code[2]);
}
