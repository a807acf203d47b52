using System.Diagnostics.CodeAnalysis;

namespace Chatterfy.Postbacks.Currencies;

/// <summary>
/// The one rule that turns an amount into the reporting currency: the rates of the receive day (UTC), or of the latest
/// earlier day up to <see cref="LookbackDays"/> days back for which the source has both currencies, through the euro, in
/// <see cref="decimal"/>, rounded once to the reporting currency's ISO 4217 minor units, half to even.
/// </summary>
/// <remarks>
/// For an amount <c>a</c> in currency C and reporting currency R, with euro rates r(C) and r(R) (units per euro, EUR
/// being 1 on every day without asking the source), the reporting amount is <c>a × r(R) ÷ r(C)</c>, which is
/// <c>a ÷ r(C) × r(R)</c> multiplied first so that only the one division can be inexact. The same currency uses rate 1
/// on the receive day, and is rounded to the minor units too.
/// </remarks>
public sealed class ReportingCurrencyConverter
{
    /// <summary>How many days before the receive day a rate may come from (weekends, holidays); 7.</summary>
    public const int LookbackDays = 7;

    private readonly IExchangeRateSource source;
    private readonly int minorUnits;

    /// <summary>Creates the converter into <paramref name="reportingCurrency"/>.</summary>
    /// <param name="source">The euro rates.</param>
    /// <param name="reportingCurrency">An ISO 4217 code the converter knows the minor units of (e.g. USD, EUR, BRL, INR, JPY, KWD).</param>
    /// <exception cref="ArgumentException"><paramref name="reportingCurrency"/> is not such a code.</exception>
    public ReportingCurrencyConverter(IExchangeRateSource source, string reportingCurrency)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(reportingCurrency);
        if (!CurrencyCode.IsValid(reportingCurrency) || !CurrencyMinorUnits.TryGet(reportingCurrency, out minorUnits))
        {
            throw new ArgumentException(
                $"The reporting currency '{reportingCurrency}' is not an ISO 4217 currency this library knows the minor units of; use an upper-case code such as USD, EUR, BRL or INR.",
                nameof(reportingCurrency));
        }

        this.source = source;
        ReportingCurrency = reportingCurrency;
    }

    /// <summary>The currency amounts are converted into.</summary>
    public string ReportingCurrency { get; }

    /// <summary>Converts an amount received at <paramref name="receivedAt"/> (its UTC day counts).</summary>
    /// <inheritdoc cref="TryConvert(decimal, string, DateOnly, out ReportingAmount)"/>
    public bool TryConvert(decimal amount, string currency, DateTimeOffset receivedAt, [NotNullWhen(true)] out ReportingAmount? converted) =>
        TryConvert(amount, currency, DateOnly.FromDateTime(receivedAt.UtcDateTime), out converted);

    /// <summary>Converts an amount received on the UTC day <paramref name="day"/>.</summary>
    /// <param name="amount">The amount as the network reported it.</param>
    /// <param name="currency">Its currency, three upper-case letters.</param>
    /// <param name="day">The UTC day the amount was received.</param>
    /// <param name="converted">The reporting amount, or <see langword="null"/> when the rates are missing.</param>
    /// <returns><see langword="false"/> when no day from <paramref name="day"/> back to <see cref="LookbackDays"/> days earlier has both rates.</returns>
    /// <exception cref="ArgumentException"><paramref name="currency"/> is not three upper-case letters.</exception>
    public bool TryConvert(decimal amount, string currency, DateOnly day, [NotNullWhen(true)] out ReportingAmount? converted)
    {
        if (!CurrencyCode.IsValid(currency))
        {
            throw new ArgumentException($"'{currency}' is not a currency code of three upper-case letters.", nameof(currency));
        }

        if (currency == ReportingCurrency)
        {
            converted = new ReportingAmount(Round(amount), ReportingCurrency, 1m, day);
            return true;
        }

        for (var back = 0; back <= LookbackDays; back++)
        {
            var rateDay = day.AddDays(-back);
            if (TryGetRate(currency, rateDay, out var from) && TryGetRate(ReportingCurrency, rateDay, out var to))
            {
                converted = new ReportingAmount(Round(amount * to / from), ReportingCurrency, to / from, rateDay);
                return true;
            }
        }

        converted = null;
        return false;
    }

    private bool TryGetRate(string currency, DateOnly day, out decimal unitsPerEuro)
    {
        if (currency == CurrencyCode.Euro)
        {
            unitsPerEuro = 1m;
            return true;
        }

        return source.TryGetRate(currency, day, out unitsPerEuro) && unitsPerEuro > 0;
    }

    // Rounded once, half to even, then written with exactly the minor units (12.0 becomes 12.00 in USD): adding a zero of
    // that scale keeps the value and raises the scale, which Round alone never does.
    private decimal Round(decimal value) => decimal.Round(value, minorUnits, MidpointRounding.ToEven) + new decimal(0, 0, 0, false, (byte)minorUnits);
}
