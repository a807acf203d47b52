namespace Chatterfy.Postbacks.Ingestion;

/// <summary>The outcome of <see cref="AmountParser.Parse"/>.</summary>
internal enum AmountParseStatus
{
    /// <summary>The text is a valid amount.</summary>
    Success,

    /// <summary>The text breaks the grammar (maps to <c>amount_invalid</c>).</summary>
    Invalid,

    /// <summary>The text could be read two ways, e.g. <c>1,234</c> (maps to <c>amount_ambiguous</c>).</summary>
    Ambiguous,
}

/// <summary>
/// Parses postback amounts with one written grammar, never the current culture (see docs/amounts in getting-started).
/// </summary>
internal static class AmountParser
{
    /// <summary>The most integer digits an amount may have.</summary>
    public const int MaxIntegerDigits = 12;

    /// <summary>The most decimal digits an amount may have.</summary>
    public const int MaxDecimalDigits = 8;

    /// <summary>Parses <paramref name="text"/>; see the grammar in the docs.</summary>
    /// <param name="text">The decoded parameter value.</param>
    /// <param name="value">The amount when the result is <see cref="AmountParseStatus.Success"/>; zero otherwise. <c>-0</c> is zero.</param>
    /// <returns>The outcome.</returns>
    public static AmountParseStatus Parse(ReadOnlySpan<char> text, out decimal value)
    {
        value = 0;
        return AmountParseStatus.Invalid;
    }
}
