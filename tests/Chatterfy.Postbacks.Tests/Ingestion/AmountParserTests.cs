using System.Globalization;
using System.Text;
using Chatterfy.Postbacks.Ingestion;
using CsCheck;

namespace Chatterfy.Postbacks.Tests.Ingestion;

public class AmountParserTests
{
    private const NumberStyles InvariantNumber = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint;

    /// <summary>Sign, integer part with 1-12 digits (uniform digit count, so small values are common) and written fraction digits (0-8).</summary>
    private static readonly Gen<(bool Negative, long Integer, string Fraction)> AmountParts = Gen.Select(
        Gen.Bool,
        Gen.Int[1, AmountParser.MaxIntegerDigits].SelectMany(digits =>
            Gen.Long[digits == 1 ? 0 : Pow10(digits - 1), Pow10(digits) - 1]),
        Gen.Int[0, AmountParser.MaxDecimalDigits].SelectMany(count => Gen.Char['0', '9'].Array[count])
            .Select(chars => new string(chars)));

    [Theory]
    // A lone '.' is the decimal point.
    [InlineData("12.50", "12.50")]
    [InlineData("1.234", "1.234")]
    [InlineData("0.5", "0.5")]
    [InlineData("00.5", "0.5")]
    [InlineData("1234.5", "1234.5")]
    // A lone ',' is the decimal point unless exactly three digits follow.
    [InlineData("12,50", "12.50")]
    [InlineData("12,5", "12.5")]
    [InlineData("0,5", "0.5")]
    [InlineData("1,2345", "1.2345")]
    [InlineData("123,4567", "123.4567")]
    [InlineData("1,23", "1.23")]
    // Both '.' and ',': the last one is the decimal point.
    [InlineData("1,234.56", "1234.56")]
    [InlineData("1.234,56", "1234.56")]
    [InlineData("1,234.5", "1234.5")]
    [InlineData("1.234,5", "1234.5")]
    [InlineData("1,234.567", "1234.567")]
    [InlineData("1.234,567", "1234.567")]
    [InlineData("1,234,567.89", "1234567.89")]
    [InlineData("1.234.567,5", "1234567.5")]
    [InlineData("999,999,999,999.99999999", "999999999999.99999999")]
    // Several of one separator group by threes.
    [InlineData("1,234,567", "1234567")]
    [InlineData("1.234.567", "1234567")]
    [InlineData("12,345,678", "12345678")]
    // Spaces, NBSP, narrow NBSP and apostrophes group the integer part.
    [InlineData("1 234,56", "1234.56")]
    [InlineData("1 234.5", "1234.5")]
    [InlineData("1\u00a0234,56", "1234.56")]
    [InlineData("1\u202f234,56", "1234.56")]
    [InlineData("1'234.50", "1234.50")]
    [InlineData("12'345'678", "12345678")]
    [InlineData("1 234 567", "1234567")]
    // White space is trimmed at both ends.
    [InlineData("\u00a01 234,56\u00a0", "1234.56")]
    [InlineData(" 12", "12")]
    [InlineData("\t12.50\r\n", "12.50")]
    [InlineData("\u202f7\u202f", "7")]
    // Signs.
    [InlineData("+12", "12")]
    [InlineData("-5", "-5")]
    [InlineData("-12,50", "-12.50")]
    [InlineData("-1,234.56", "-1234.56")]
    [InlineData("+1 234,56", "1234.56")]
    [InlineData("-0", "0")]
    [InlineData("-0.00", "0")]
    [InlineData("+0.0", "0.0")]
    [InlineData("0", "0")]
    // Limits.
    [InlineData("999999999999", "999999999999")]
    [InlineData("000012", "12")]
    [InlineData("0000000000000001", "1")]
    [InlineData("0.12345678", "0.12345678")]
    [InlineData("1.00000000", "1.00000000")]
    public void Parse_ValidAmount_ReturnsSuccessWithValue(string text, string expected)
    {
        var expectedValue = decimal.Parse(expected, InvariantNumber, CultureInfo.InvariantCulture);

        var status = AmountParser.Parse(text, out var value);

        status.Should().Be(AmountParseStatus.Success);
        value.Should().Be(expectedValue);
        value.Scale.Should().Be(expectedValue.Scale, "the scale is kept as written");
        decimal.IsNegative(value).Should().Be(expectedValue < 0, "-0 is plain zero");
    }

    [Theory]
    // Empty.
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("\u00a0\u202f")]
    [InlineData("+")]
    [InlineData("-")]
    // Not numbers.
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("\u221e")]
    [InlineData("abc")]
    [InlineData("1e309")]
    [InlineData("1E5")]
    [InlineData("1E-3")]
    [InlineData("0x10")]
    [InlineData("1_000")]
    // Currency symbols and codes.
    [InlineData("12.50 USD")]
    [InlineData("USD 12.50")]
    [InlineData("$5")]
    [InlineData("5$")]
    [InlineData("\u20ac5")]
    // Signs in the wrong place.
    [InlineData("--5")]
    [InlineData("+-5")]
    [InlineData("5-")]
    [InlineData("5+")]
    [InlineData("- 5")]
    [InlineData("1-2")]
    // Bad grouping.
    [InlineData("1 2")]
    [InlineData("1  234")]
    [InlineData("12,345,67")]
    [InlineData("1234,567,890")]
    [InlineData("1,,234")]
    [InlineData(",123,456")]
    [InlineData("1,23.45")]
    [InlineData("12.345,67.8")]
    [InlineData("1.234,567,8")]
    [InlineData("1.23.4")]
    [InlineData("1 234'567")]
    [InlineData("1\u00a0234 567")]
    [InlineData("1 234,567.89")]
    [InlineData("1 234.567.890")]
    [InlineData("1.234 5")]
    [InlineData("1,234 567")]
    [InlineData("1 23")]
    [InlineData("1 234,56 7")]
    // A decimal point needs digits on both sides.
    [InlineData(".5")]
    [InlineData("5.")]
    [InlineData(",5")]
    [InlineData("5,")]
    [InlineData("-.5")]
    [InlineData("1,234.")]
    // Non-ASCII digits and invisible characters.
    [InlineData("\uff11\uff12")]
    [InlineData("\uff11\uff12.\uff15")]
    [InlineData("\u0661\u0662")]
    [InlineData("12.50\u200b")]
    // Limits.
    [InlineData("1000000000000")]
    [InlineData("1,000,000,000,000")]
    [InlineData("-1000000000000.5")]
    [InlineData("0.123456789")]
    [InlineData("1.000000000")]
    public void Parse_InvalidAmount_ReturnsInvalidWithZero(string text)
    {
        var status = AmountParser.Parse(text, out var value);

        status.Should().Be(AmountParseStatus.Invalid);
        value.Should().Be(0m);
    }

    [Theory]
    [InlineData("1,234")]
    [InlineData("-1,234")]
    [InlineData("+1,234")]
    [InlineData(" 12,345 ")]
    [InlineData("999,999")]
    [InlineData("0,500")]
    [InlineData("1234,567")]
    [InlineData("1 234,567")]
    public void Parse_LoneCommaBeforeThreeDigits_ReturnsAmbiguousWithZero(string text)
    {
        var status = AmountParser.Parse(text, out var value);

        status.Should().Be(AmountParseStatus.Ambiguous);
        value.Should().Be(0m);
    }

    [Theory]
    [InlineData('\0', '.')]
    [InlineData('\0', ',')]
    [InlineData(',', '.')]
    [InlineData('.', ',')]
    [InlineData(' ', ',')]
    [InlineData(' ', '.')]
    [InlineData('\u00a0', ',')]
    [InlineData('\u202f', ',')]
    [InlineData('\'', '.')]
    public void Parse_FormattedInStyle_RoundTripsExactly(char group, char point)
    {
        AmountParts.Sample((negative, integer, fraction) =>
        {
            if (group == '.' && fraction.Length == 0)
            {
                // A lone '.' is always the decimal point, so "1.234" is 1.234 by design; dot-grouping styles write a fraction.
                fraction = "0";
            }

            var text = Format(negative, integer, fraction, group, point);
            var expected = Expected(negative, integer, fraction);

            var status = AmountParser.Parse(text, out var value);

            if (IsLoneCommaBeforeThreeDigits(text))
            {
                status.Should().Be(AmountParseStatus.Ambiguous, text);
                return;
            }

            status.Should().Be(AmountParseStatus.Success, text);
            value.Should().Be(expected, text);
            ((int)value.Scale).Should().Be(expected == 0 && negative ? 0 : fraction.Length, text);
            decimal.IsNegative(value).Should().Be(expected < 0, text);
        }, iter: 2_000);
    }

    [Fact]
    public void Parse_DotNetFormattedDecimal_RoundTripsExactly()
    {
        var commaPoint = (NumberFormatInfo)CultureInfo.InvariantCulture.NumberFormat.Clone();
        commaPoint.NumberDecimalSeparator = ",";
        commaPoint.NumberGroupSeparator = ".";

        AmountParts.Sample((negative, integer, fraction) =>
        {
            var d = Expected(negative, integer, fraction);
            string[] texts =
            [
                d.ToString("0.########", CultureInfo.InvariantCulture),
                d.ToString("0.########", CultureInfo.InvariantCulture).Replace('.', ','),
                d.ToString("#,0.########", CultureInfo.InvariantCulture),
                d.ToString("#,0.00######", commaPoint),
            ];

            foreach (var text in texts)
            {
                var status = AmountParser.Parse(text, out var value);

                if (IsLoneCommaBeforeThreeDigits(text))
                {
                    status.Should().Be(AmountParseStatus.Ambiguous, text);
                }
                else
                {
                    status.Should().Be(AmountParseStatus.Success, text);
                    value.Should().Be(d, text);
                }
            }
        }, iter: 2_000);
    }

    [Fact]
    public void Parse_AnyString_NeverThrowsAndGivesZeroUnlessSuccess()
    {
        Gen.String.Sample(AssertWellBehaved, iter: 10_000);
    }

    [Fact]
    public void Parse_StringOfGrammarCharacters_NeverThrowsAndStaysInLimits()
    {
        Gen.String["0123456789.,' +-\u00a0\u202fe"].Sample(AssertWellBehaved, iter: 20_000);
    }

    private static void AssertWellBehaved(string text)
    {
        var status = AmountParser.Parse(text, out var value);

        status.Should().BeOneOf(AmountParseStatus.Success, AmountParseStatus.Invalid, AmountParseStatus.Ambiguous);
        if (status != AmountParseStatus.Success)
        {
            value.Should().Be(0m);
            return;
        }

        ((int)value.Scale).Should().BeLessThanOrEqualTo(AmountParser.MaxDecimalDigits);
        Math.Abs(value).Should().BeLessThan(1_000_000_000_000m);
        if (value == 0)
        {
            decimal.IsNegative(value).Should().BeFalse(text);
        }

        // Whatever was accepted reads back the same from its invariant form.
        AmountParser.Parse(value.ToString(CultureInfo.InvariantCulture), out var again).Should().Be(AmountParseStatus.Success);
        again.Should().Be(value);
    }

    private static string Format(bool negative, long integer, string fraction, char group, char point)
    {
        var digits = integer.ToString(CultureInfo.InvariantCulture);
        var builder = new StringBuilder();
        if (negative)
        {
            builder.Append('-');
        }

        for (var i = 0; i < digits.Length; i++)
        {
            if (group != '\0' && i > 0 && (digits.Length - i) % 3 == 0)
            {
                builder.Append(group);
            }

            builder.Append(digits[i]);
        }

        if (fraction.Length > 0)
        {
            builder.Append(point).Append(fraction);
        }

        return builder.ToString();
    }

    private static decimal Expected(bool negative, long integer, string fraction)
    {
        var invariant = (negative ? "-" : string.Empty)
            + integer.ToString(CultureInfo.InvariantCulture)
            + (fraction.Length > 0 ? "." + fraction : string.Empty);
        return decimal.Parse(invariant, InvariantNumber, CultureInfo.InvariantCulture);
    }

    /// <summary>The documented ambiguity: exactly one ',', no '.', and exactly three characters after the ','.</summary>
    private static bool IsLoneCommaBeforeThreeDigits(string text)
    {
        var trimmed = text.Trim();
        var comma = trimmed.IndexOf(',', StringComparison.Ordinal);
        return comma >= 0
            && trimmed.IndexOf(',', comma + 1) < 0
            && !trimmed.Contains('.', StringComparison.Ordinal)
            && trimmed.Length - comma - 1 == 3;
    }

    private static long Pow10(int exponent)
    {
        var result = 1L;
        for (var i = 0; i < exponent; i++)
        {
            result *= 10;
        }

        return result;
    }
}
