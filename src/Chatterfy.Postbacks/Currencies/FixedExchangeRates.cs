using System.Collections.Frozen;
using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Chatterfy.Postbacks.Currencies;

/// <summary>
/// Fixed euro rates, the same on every day: set in code or read from configuration
/// (<c>Postbacks:ExchangeRates:Fixed:USD = 1.08</c>).
/// </summary>
public sealed class FixedExchangeRates : IExchangeRateSource
{
    private readonly FrozenDictionary<string, decimal> rates;

    /// <summary>Creates the source from currency codes and the units of each that one euro buys.</summary>
    /// <param name="unitsPerEuro">Codes of three upper-case letters (e.g. <c>USD</c>), each once, with a rate greater than zero; EUR, if given, must be 1.</param>
    /// <exception cref="ArgumentException">A code or a rate is not valid.</exception>
    public FixedExchangeRates(IEnumerable<KeyValuePair<string, decimal>> unitsPerEuro)
    {
        ArgumentNullException.ThrowIfNull(unitsPerEuro);
        var checkedRates = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var (currency, rate) in unitsPerEuro)
        {
            if (Problem(currency, rate) is { } problem)
            {
                throw new ArgumentException($"The fixed rate of '{currency}': {problem}", nameof(unitsPerEuro));
            }

            if (!checkedRates.TryAdd(currency, rate))
            {
                throw new ArgumentException($"The fixed rate of {currency} is given twice.", nameof(unitsPerEuro));
            }
        }

        rates = checkedRates.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The rates: currency code → units per euro.</summary>
    public IReadOnlyDictionary<string, decimal> Rates => rates;

    /// <summary>
    /// Reads the rates from a configuration section whose keys are currency codes and whose values are invariant
    /// decimals, e.g. the section <c>Postbacks:ExchangeRates:Fixed</c> holding <c>USD = 1.08</c>.
    /// </summary>
    /// <param name="section">The section; an empty or missing section gives no rates.</param>
    /// <exception cref="InvalidOperationException">A key or value is not valid; the message names its configuration path.</exception>
    public static FixedExchangeRates FromConfiguration(IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var read = new List<KeyValuePair<string, decimal>>();
        foreach (var child in section.GetChildren())
        {
            var path = child.Path;
            if (!decimal.TryParse(child.Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var rate))
            {
                throw new InvalidOperationException($"{path} must be a decimal such as 1.08 (units of {child.Key} per euro), not '{child.Value}'.");
            }

            if (Problem(child.Key, rate) is { } problem)
            {
                throw new InvalidOperationException($"{path}: {problem}");
            }

            read.Add(new(child.Key, rate));
        }

        return new FixedExchangeRates(read);
    }

    /// <inheritdoc />
    public bool TryGetRate(string currency, DateOnly day, out decimal unitsPerEuro) => rates.TryGetValue(currency, out unitsPerEuro);

    private static string? Problem(string currency, decimal rate) =>
        !CurrencyCode.IsValid(currency) ? "a currency code is three upper-case letters, e.g. USD."
        : rate <= 0 ? $"the rate must be greater than zero, not {rate.ToString(CultureInfo.InvariantCulture)}."
        : currency == CurrencyCode.Euro && rate != 1 ? "the euro is the base of every rate; its rate is 1."
        : null;
}
