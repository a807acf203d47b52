namespace Chatterfy.Postbacks.Currencies;

/// <summary>
/// Euro reference rates by currency and day: the plug-in point behind the reporting currency. The built-ins are
/// <see cref="FixedExchangeRates"/> and <see cref="EcbExchangeRateFile"/>; a host may implement its own.
/// </summary>
/// <remarks>
/// A source answers for exactly the day it is asked about; looking back over weekends and holidays is the job of
/// <see cref="ReportingCurrencyConverter"/>, which also treats EUR as 1 on every day without asking the source.
/// </remarks>
public interface IExchangeRateSource
{
    /// <summary>Gets the reference rate of <paramref name="currency"/> on one UTC day.</summary>
    /// <param name="currency">An ISO 4217 code, three upper-case letters (e.g. <c>USD</c>).</param>
    /// <param name="day">The UTC day.</param>
    /// <param name="unitsPerEuro">The units of <paramref name="currency"/> one euro buys on that day (e.g. 1.0921 for USD); greater than zero.</param>
    /// <returns><see langword="true"/> when the source has a rate for that currency on that day.</returns>
    bool TryGetRate(string currency, DateOnly day, out decimal unitsPerEuro);
}
