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
/// Parses postback amounts with one written grammar, never the current culture (written out in docs/amounts.md).
/// </summary>
/// <remarks>
/// ## Amount grammar
///
/// An amount is read into a `decimal` with one fixed grammar; the current culture is never used.
///
/// 1. **Trim.** Unicode white space (including NBSP) is trimmed at both ends. A form-decoded `+` has become
///    a space, so `+12` may arrive as ` 12`. Empty text is invalid.
/// 2. **Sign.** An optional `+` or `-` directly before the first digit. `-0` and `-0.00` are zero.
///    The parser does not decide whether negative amounts are allowed; the caller does.
/// 3. **Digits** are ASCII `0`-`9` only.
/// 4. **Decimal point.**
///    - One `.` and no `,`: the `.` is the decimal point (`12.50`, and `1.234` is 1.234).
///    - One `,` and no `.`: the `,` is the decimal point (`12,50`, `12,5`, `1,2345`), except that a `,`
///      followed by exactly three digits and nothing else is **ambiguous** (`1,234`).
///    - Both `.` and `,`: the last one is the decimal point and appears once; the other one groups the
///      integer part (`1,234.56`, `1.234,56`, `1.234.567,5`).
///    - Several `.` and no `,` (or several `,` and no `.`): they group digits and there is no decimal
///      point (`1,234,567`, `1.234.567`).
///    - A decimal point needs a digit on each side (`.5`, `5.` and `,5` are invalid).
/// 5. **Grouping.** Besides `.` and `,` as above, a space (U+0020), NBSP (U+00A0), narrow NBSP (U+202F)
///    or `'` may group the integer part (`1 234,56`, `1'234.50`, `1 234 567`). One amount uses at most one
///    grouping character. The first group has 1-3 digits, every later group exactly 3 (`1 2`, `1  234` and
///    `12,345,67` are invalid). Grouping never appears after the decimal point.
/// 6. **Limits.** At most 12 integer digits, not counting leading zeros (`000012` is fine), and at most
///    8 decimal digits, counting trailing zeros (`1.000000000` is invalid).
/// 7. **Anything else is invalid**: letters, currency symbols or codes (`12.50 USD`, `$12`), exponents
///    (`1e5`), `NaN`, `Infinity`, hex, two signs, a sign after the digits.
///
/// The value keeps the scale as written: `12.50` is `12.50m`.
///
/// | Text | Result |
/// |---|---|
/// | `12.50`, `12,50` | 12.50 |
/// | `1,234.56`, `1.234,56`, `1 234,56`, `1'234.56` | 1234.56 |
/// | `1,234,567`, `1.234.567` | 1234567 |
/// | `1.234` | 1.234 |
/// | `1,234` | ambiguous |
/// | `-0` | 0 |
/// | `1e5`, `$5`, `NaN`, `.5`, `1,23.45` | invalid |
/// </remarks>
internal static class AmountParser
{
    /// <summary>The most integer digits an amount may have.</summary>
    public const int MaxIntegerDigits = 12;

    /// <summary>The most decimal digits an amount may have.</summary>
    public const int MaxDecimalDigits = 8;

    private const char NoChar = '\0';

    /// <summary>Parses <paramref name="text"/>; see the grammar in the remarks of <see cref="AmountParser"/>.</summary>
    /// <param name="text">The decoded parameter value.</param>
    /// <param name="value">The amount when the result is <see cref="AmountParseStatus.Success"/>; zero otherwise. <c>-0</c> is zero.</param>
    /// <returns>The outcome.</returns>
    public static AmountParseStatus Parse(ReadOnlySpan<char> text, out decimal value)
    {
        value = decimal.Zero;

        var body = text.Trim();
        if (body.IsEmpty)
        {
            return AmountParseStatus.Invalid;
        }

        var negative = false;
        if (body[0] is '+' or '-')
        {
            negative = body[0] == '-';
            body = body[1..];
        }

        // One pass to learn which separators occur; any other character is invalid.
        int dotCount = 0, commaCount = 0, lastDot = -1, lastComma = -1;
        var spaceGroup = NoChar;
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            switch (c)
            {
                case >= '0' and <= '9':
                    break;
                case '.':
                    dotCount++;
                    lastDot = i;
                    break;
                case ',':
                    commaCount++;
                    lastComma = i;
                    break;
                case ' ' or '\u00A0' or '\u202F' or '\'':
                    if (spaceGroup == NoChar)
                    {
                        spaceGroup = c;
                    }
                    else if (spaceGroup != c)
                    {
                        return AmountParseStatus.Invalid;
                    }

                    break;
                default:
                    return AmountParseStatus.Invalid;
            }
        }

        // Decide which character (if any) is the decimal point and which one groups.
        int pointIndex;
        char groupChar;
        var loneComma = false;
        if (dotCount > 0 && commaCount > 0)
        {
            if (spaceGroup != NoChar)
            {
                return AmountParseStatus.Invalid;
            }

            if (lastDot > lastComma)
            {
                if (dotCount != 1)
                {
                    return AmountParseStatus.Invalid;
                }

                pointIndex = lastDot;
                groupChar = ',';
            }
            else
            {
                if (commaCount != 1)
                {
                    return AmountParseStatus.Invalid;
                }

                pointIndex = lastComma;
                groupChar = '.';
            }
        }
        else if (dotCount > 1 || commaCount > 1)
        {
            if (spaceGroup != NoChar)
            {
                return AmountParseStatus.Invalid;
            }

            pointIndex = -1;
            groupChar = dotCount > 1 ? '.' : ',';
        }
        else if (dotCount == 1)
        {
            pointIndex = lastDot;
            groupChar = spaceGroup;
        }
        else if (commaCount == 1)
        {
            pointIndex = lastComma;
            groupChar = spaceGroup;
            loneComma = true;
        }
        else
        {
            pointIndex = -1;
            groupChar = spaceGroup;
        }

        var integerPart = pointIndex < 0 ? body : body[..pointIndex];
        var fractionPart = pointIndex < 0 ? ReadOnlySpan<char>.Empty : body[(pointIndex + 1)..];

        if (!TryParseInteger(integerPart, groupChar, out var mantissa))
        {
            return AmountParseStatus.Invalid;
        }

        if (pointIndex >= 0)
        {
            if (fractionPart.IsEmpty || fractionPart.Length > MaxDecimalDigits)
            {
                return AmountParseStatus.Invalid;
            }

            foreach (var c in fractionPart)
            {
                if (c is < '0' or > '9')
                {
                    return AmountParseStatus.Invalid;
                }

                mantissa = (mantissa * 10u) + (uint)(c - '0');
            }

            if (loneComma && fractionPart.Length == 3)
            {
                return AmountParseStatus.Ambiguous;
            }
        }

        if (mantissa == UInt128.Zero)
        {
            // Never a negative zero; a written scale is kept for a positive zero (0.00).
            value = negative ? decimal.Zero : new decimal(0, 0, 0, false, (byte)fractionPart.Length);
            return AmountParseStatus.Success;
        }

        // At most 12 + 8 = 20 digits, so the mantissa fits the 96 bits of a decimal.
        var low = (ulong)mantissa;
        var high = (ulong)(mantissa >> 64);
        value = new decimal(
            unchecked((int)(uint)low),
            unchecked((int)(uint)(low >> 32)),
            unchecked((int)(uint)high),
            negative,
            (byte)fractionPart.Length);
        return AmountParseStatus.Success;
    }

    /// <summary>
    /// Reads the integer part: digits, optionally grouped by <paramref name="groupChar"/> (first group 1-3
    /// digits, later groups exactly 3), at most <see cref="MaxIntegerDigits"/> digits after leading zeros.
    /// </summary>
    private static bool TryParseInteger(ReadOnlySpan<char> digits, char groupChar, out UInt128 value)
    {
        value = UInt128.Zero;
        var significantDigits = 0;
        var groupLength = 0;
        var groupCount = 0;
        foreach (var c in digits)
        {
            if (c is >= '0' and <= '9')
            {
                groupLength++;
                if (significantDigits > 0 || c != '0')
                {
                    if (++significantDigits > MaxIntegerDigits)
                    {
                        return false;
                    }

                    value = (value * 10u) + (uint)(c - '0');
                }
            }
            else if (c == groupChar && groupChar != NoChar)
            {
                // The first group has 1-3 digits, every later group exactly 3.
                if (groupCount == 0 ? groupLength is < 1 or > 3 : groupLength != 3)
                {
                    return false;
                }

                groupCount++;
                groupLength = 0;
            }
            else
            {
                return false;
            }
        }

        // Without grouping the digits form one run of any length; after a group character the last group has 3.
        return groupCount == 0 ? groupLength > 0 : groupLength == 3;
    }
}
