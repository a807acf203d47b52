using Chatterfy.Postbacks.Currencies;
using Microsoft.Extensions.Configuration;

namespace Chatterfy.Postbacks.Tests.Currencies;

public sealed class FixedExchangeRatesTests
{
    [Fact]
    public void TryGetRate_AnyDay_ReturnsTheFixedRate()
    {
        var rates = new FixedExchangeRates([new("USD", 1.08m), new("BRL", 5.9m)]);

        rates.TryGetRate("USD", new DateOnly(2001, 1, 1), out var early).Should().BeTrue();
        rates.TryGetRate("USD", new DateOnly(2099, 12, 31), out var late).Should().BeTrue();
        early.Should().Be(1.08m);
        late.Should().Be(1.08m);
        rates.TryGetRate("INR", new DateOnly(2024, 1, 5), out _).Should().BeFalse();
    }

    [Theory]
    [InlineData("usd", "1.08", "three upper-case letters")]
    [InlineData("US", "1.08", "three upper-case letters")]
    [InlineData("USDT", "1.08", "three upper-case letters")]
    [InlineData("USD", "0", "greater than zero, not 0")]
    [InlineData("USD", "-1.08", "greater than zero, not -1.08")]
    [InlineData("EUR", "1.1", "the euro is the base of every rate")]
    public void Constructor_InvalidCodeOrRate_ThrowsNamingIt(string currency, string rate, string expected)
    {
        var create = () => new FixedExchangeRates([new(currency, decimal.Parse(rate, System.Globalization.CultureInfo.InvariantCulture))]);

        create.Should().Throw<ArgumentException>().WithMessage($"The fixed rate of '{currency}': *{expected}*");
    }

    [Fact]
    public void Constructor_EuroAtOne_IsAccepted()
    {
        new FixedExchangeRates([new("EUR", 1m)]).Rates.Should().ContainKey("EUR");
    }

    [Fact]
    public void FromConfiguration_Section_ReadsInvariantDecimals()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Postbacks:ExchangeRates:Fixed:USD"] = "1.08", ["Postbacks:ExchangeRates:Fixed:INR"] = "90.7625" })
            .Build();

        var rates = FixedExchangeRates.FromConfiguration(configuration.GetSection("Postbacks:ExchangeRates:Fixed"));

        rates.Rates.Should().BeEquivalentTo(new Dictionary<string, decimal> { ["USD"] = 1.08m, ["INR"] = 90.7625m });
    }

    [Theory]
    [InlineData("USD", "1,08", "Postbacks:ExchangeRates:Fixed:USD must be a decimal such as 1.08*not '1,08'*")]
    [InlineData("USD", "", "Postbacks:ExchangeRates:Fixed:USD must be a decimal*")]
    [InlineData("USD", "0", "Postbacks:ExchangeRates:Fixed:USD: the rate must be greater than zero*")]
    [InlineData("usd", "1.08", "Postbacks:ExchangeRates:Fixed:usd: a currency code is three upper-case letters*")]
    public void FromConfiguration_InvalidEntry_ThrowsNamingThePath(string key, string value, string expected)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [$"Postbacks:ExchangeRates:Fixed:{key}"] = value })
            .Build();

        var read = () => FixedExchangeRates.FromConfiguration(configuration.GetSection("Postbacks:ExchangeRates:Fixed"));

        read.Should().Throw<InvalidOperationException>().WithMessage(expected);
    }
}
