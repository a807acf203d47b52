using System.Globalization;
using Chatterfy.Postbacks.Currencies;
using Chatterfy.Postbacks.Tests.Repository;

namespace Chatterfy.Postbacks.Tests.Currencies;

public sealed class ReportingCurrencyConverterTests
{
    [Fact]
    public void TryConvert_RatesOnTheDay_ConvertsThroughEuroAndCarriesTheRate()
    {
        var converter = new ReportingCurrencyConverter(EcbFixture.Load(), "BRL");

        converter.TryConvert(100m, "USD", EcbFixture.Friday, out var converted).Should().BeTrue();

        // 100 × 5.3551 ÷ 1.0921 = 490.34886915…
        converted.Should().BeEquivalentTo(new ReportingAmount(490.35m, "BRL", 5.3551m / 1.0921m, EcbFixture.Friday));
    }

    [Theory]
    [InlineData("USD", 1000, "INR", "12.00")]
    [InlineData("USD", 5, "USD", "5.00")]
    [InlineData("JPY", 1000, "INR", "1621")]
    [InlineData("KWD", 2, "EUR", "0.672")]
    public void TryConvert_AnExactResult_IsWrittenWithTheCurrencysMinorUnits(string reportingCurrency, int amount, string currency, string expected)
    {
        var rates = new FixedExchangeRates([new("INR", 100m), new("USD", 1.2m), new("JPY", 162.1m), new("KWD", 0.336m)]);
        var converter = new ReportingCurrencyConverter(rates, reportingCurrency);

        converter.TryConvert(amount, currency, EcbFixture.Friday, out var converted).Should().BeTrue();

        converted!.Amount.ToString(CultureInfo.InvariantCulture).Should().Be(expected, "an amount in USD has two decimals, in JPY none, in KWD three");
    }

    [Theory]
    [InlineData("eurofxref-hist.csv")]
    [InlineData("eurofxref-hist.xml")]
    public void TryConvert_OnAWeekend_UsesFridaysRates(string fileName)
    {
        var converter = new ReportingCurrencyConverter(EcbFixture.Load(fileName), "INR");

        converter.TryConvert(250m, "BRL", EcbFixture.Sunday, out var converted).Should().BeTrue();

        // 250 × 90.7625 ÷ 5.3551 = 4237.19911859…
        converted!.RateDate.Should().Be(EcbFixture.Friday);
        converted.Amount.Should().Be(4237.20m);
    }

    [Fact]
    public void TryConvert_ReceivedAtLateSundayElsewhere_UsesItsUtcDay()
    {
        var converter = new ReportingCurrencyConverter(EcbFixture.Load(), "USD");

        // Monday 00:30 at UTC+2 is Sunday 22:30 UTC: Friday's rates, not Monday's.
        converter.TryConvert(100m, "EUR", new DateTimeOffset(2024, 1, 8, 0, 30, 0, TimeSpan.FromHours(2)), out var converted).Should().BeTrue();

        converted!.RateDate.Should().Be(EcbFixture.Friday);
        converted.Amount.Should().Be(109.21m);
    }

    [Fact]
    public void TryConvert_OneCurrencyNotAvailable_LooksBackToADayWithBoth()
    {
        var converter = new ReportingCurrencyConverter(EcbFixture.Load(), "USD");

        // JPY is N/A on Monday; Friday has both.
        converter.TryConvert(10000m, "JPY", EcbFixture.Monday, out var converted).Should().BeTrue();

        converted!.RateDate.Should().Be(EcbFixture.Friday);
        converted.Amount.Should().Be(68.85m);
    }

    [Fact]
    public void TryConvert_SevenDaysAfterTheLastRates_UsesThem()
    {
        var converter = new ReportingCurrencyConverter(EcbFixture.Load(), "USD");

        converter.TryConvert(10m, "BRL", EcbFixture.Monday.AddDays(ReportingCurrencyConverter.LookbackDays), out var converted).Should().BeTrue();

        converted!.RateDate.Should().Be(EcbFixture.Monday);
    }

    [Fact]
    public void TryConvert_EightDaysAfterTheLastRates_IsMissing()
    {
        var converter = new ReportingCurrencyConverter(EcbFixture.Load(), "USD");

        converter.TryConvert(10m, "BRL", EcbFixture.Monday.AddDays(8), out var converted).Should().BeFalse();

        converted.Should().BeNull();
    }

    [Fact]
    public void TryConvert_BeforeTheFirstRatesOrUnknownCurrency_IsMissing()
    {
        var converter = new ReportingCurrencyConverter(EcbFixture.Load(), "USD");

        converter.TryConvert(10m, "BRL", EcbFixture.Thursday.AddDays(-1), out _).Should().BeFalse();
        converter.TryConvert(10m, "GBP", EcbFixture.Friday, out _).Should().BeFalse();
    }

    [Fact]
    public void TryConvert_SameCurrency_UsesRateOneWithoutAnyRates()
    {
        var converter = new ReportingCurrencyConverter(new FixedExchangeRates([]), "USD");

        converter.TryConvert(12.345m, "USD", EcbFixture.Sunday, out var converted).Should().BeTrue();

        converted.Should().BeEquivalentTo(new ReportingAmount(12.34m, "USD", 1m, EcbFixture.Sunday), "rounded once to two minor units, half to even");
    }

    [Fact]
    public void TryConvert_EuroOnEitherSide_IsOneWithoutAskingTheSource()
    {
        var source = new FixedExchangeRates([new("USD", 1.08m)]);

        new ReportingCurrencyConverter(source, "USD").TryConvert(100m, "EUR", EcbFixture.Friday, out var toUsd).Should().BeTrue();
        new ReportingCurrencyConverter(source, "EUR").TryConvert(108m, "USD", EcbFixture.Friday, out var toEur).Should().BeTrue();
        new ReportingCurrencyConverter(new NoEuroSource(), "EUR").TryConvert(5m, "EUR", EcbFixture.Friday, out var same).Should().BeTrue();

        toUsd.Should().BeEquivalentTo(new ReportingAmount(108.00m, "USD", 1.08m, EcbFixture.Friday));
        toEur.Should().BeEquivalentTo(new ReportingAmount(100.00m, "EUR", 1m / 1.08m, EcbFixture.Friday));
        same!.Amount.Should().Be(5m);
        new ReportingCurrencyConverter(new NoEuroSource(), "USD").TryConvert(1m, "EUR", EcbFixture.Friday, out _).Should().BeTrue();
    }

    [Theory]
    // Rates: USD 2, BRL 5, JPY 250, KWD 0.5 per euro; each amount lands exactly on half a minor unit.
    [InlineData("0.01", "BRL", "0.02")]   // 0.025 → 0.02
    [InlineData("0.03", "BRL", "0.08")]   // 0.075 → 0.08
    [InlineData("0.011", "BRL", "0.03")]  // 0.0275 → 0.03 (not a midpoint)
    [InlineData("0.02", "JPY", "2")]      // 2.5 → 2
    [InlineData("0.06", "JPY", "8")]      // 7.5 → 8
    [InlineData("0.01", "KWD", "0.002")]  // 0.0025 → 0.002
    [InlineData("0.03", "KWD", "0.008")]  // 0.0075 → 0.008
    public void TryConvert_Midpoint_RoundsHalfToEvenToTheMinorUnits(string usd, string reporting, string expected)
    {
        var source = new FixedExchangeRates([new("USD", 2m), new("BRL", 5m), new("JPY", 250m), new("KWD", 0.5m)]);

        new ReportingCurrencyConverter(source, reporting).TryConvert(Dec(usd), "USD", EcbFixture.Friday, out var converted).Should().BeTrue();

        converted!.Amount.Should().Be(Dec(expected));
        converted.Amount.Scale.Should().Be(Dec(expected).Scale);
    }

    [Fact]
    public void TryConvert_EqualRatesOnAMidpoint_IsExact()
    {
        // 0.015 × 7 ÷ 7 is exactly 0.015, so 0.02; dividing first (0.0021428571… × 7) would give 0.0149999… and 0.01.
        var converter = new ReportingCurrencyConverter(new FixedExchangeRates([new("AUD", 7m), new("CAD", 7m)]), "CAD");

        converter.TryConvert(0.015m, "AUD", EcbFixture.Friday, out var converted).Should().BeTrue();

        converted!.Amount.Should().Be(0.02m);
    }

    [Fact]
    public void TryConvert_LargestAmount_KeepsEveryCent()
    {
        // 999,999,999,999.99 × 5 ÷ 2 = 2,499,999,999,999.975 → …98; a double has no cents at this size.
        var converter = new ReportingCurrencyConverter(new FixedExchangeRates([new("USD", 2m), new("BRL", 5m)]), "BRL");

        converter.TryConvert(999_999_999_999.99m, "USD", EcbFixture.Friday, out var converted).Should().BeTrue();

        converted!.Amount.Should().Be(2_499_999_999_999.98m);
    }

    [Theory]
    [InlineData("usd")]
    [InlineData("XYZ")]
    [InlineData("CYP")]
    [InlineData("US")]
    public void Constructor_ReportingCurrencyWithoutKnownMinorUnits_Throws(string currency)
    {
        var create = () => new ReportingCurrencyConverter(new FixedExchangeRates([]), currency);

        create.Should().Throw<ArgumentException>().WithMessage($"The reporting currency '{currency}' is not an ISO 4217 currency*");
    }

    [Theory]
    [InlineData("USD", 2)]
    [InlineData("EUR", 2)]
    [InlineData("GBP", 2)]
    [InlineData("BRL", 2)]
    [InlineData("INR", 2)]
    [InlineData("JPY", 0)]
    [InlineData("KRW", 0)]
    [InlineData("ISK", 0)]
    [InlineData("CLP", 0)]
    [InlineData("KWD", 3)]
    [InlineData("BHD", 3)]
    public void CurrencyMinorUnits_PayoutCurrencies_FollowIso4217(string currency, int expected)
    {
        CurrencyMinorUnits.TryGet(currency, out var minorUnits).Should().BeTrue();
        minorUnits.Should().Be(expected);
    }

    [Fact]
    public void CurrencyMinorUnits_EveryCurrencyOfTheEcbFile_IsKnown()
    {
        // The ECB's current list (2024): every one may be the reporting currency.
        string[] ecb = ["USD", "JPY", "BGN", "CZK", "DKK", "GBP", "HUF", "PLN", "RON", "SEK", "CHF", "ISK", "NOK", "TRY", "AUD", "BRL", "CAD", "CNY", "HKD", "IDR", "ILS", "INR", "KRW", "MXN", "MYR", "NZD", "PHP", "SGD", "THB", "ZAR", "HRK", "RUB"];

        ecb.Where(c => !CurrencyMinorUnits.TryGet(c, out _)).Should().BeEmpty();
    }

    [Fact]
    public void CurrenciesSources_NeverUseBinaryFloatingPoint()
    {
        var folder = Path.Combine(Checkout.Root, "src", "Chatterfy.Postbacks", "Currencies");
        var offenders = Directory.GetFiles(folder, "*.cs")
            .Where(f => System.Text.RegularExpressions.Regex.IsMatch(File.ReadAllText(f), @"\b(double|float|Double|Single|Math)\b"))
            .Select(Path.GetFileName);

        offenders.Should().BeEmpty("money is converted in decimal only");
    }

    private static decimal Dec(string text) => decimal.Parse(text, CultureInfo.InvariantCulture);

    // A source that fails the test if asked for the euro, which is 1 by definition.
    private sealed class NoEuroSource : IExchangeRateSource
    {
        public bool TryGetRate(string currency, DateOnly day, out decimal unitsPerEuro)
        {
            currency.Should().NotBe("EUR", "the converter never asks a source for the euro");
            unitsPerEuro = currency == "USD" ? 1.08m : 0m;
            return currency == "USD";
        }
    }
}
