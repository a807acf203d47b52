namespace Chatterfy.Postbacks.Currencies;

/// <summary>What a currency code is to the exchange-rate sources: three ASCII upper-case letters (ISO 4217 alphabetic code).</summary>
internal static class CurrencyCode
{
    /// <summary>The euro, the base of every reference rate (1 on every day).</summary>
    public const string Euro = "EUR";

    /// <summary>Whether <paramref name="code"/> is three ASCII upper-case letters.</summary>
    public static bool IsValid(string? code) =>
        code is { Length: 3 } && char.IsAsciiLetterUpper(code[0]) && char.IsAsciiLetterUpper(code[1]) && char.IsAsciiLetterUpper(code[2]);
}
