namespace Chatterfy.Postbacks.Currencies;

/// <summary>
/// The built-in exchange-rate sources of <see cref="ChatterfyPostbacksOptions.ReportingCurrency"/>, bound from
/// <c>Postbacks:ExchangeRates</c>. Set at most one of them, and none when the host registers its own
/// <see cref="IExchangeRateSource"/>. Read once, at startup.
/// </summary>
public sealed class ExchangeRateOptions
{
    /// <summary>
    /// Gets the fixed euro rates (<see cref="FixedExchangeRates"/>): currency code → units of it one euro buys, the same on
    /// every day, e.g. <c>Postbacks:ExchangeRates:Fixed:USD = 1.08</c>.
    /// </summary>
    /// <value>Defaults to empty (no fixed rates). Codes of three upper-case letters; rates greater than zero; EUR, if given, 1.</value>
    public IDictionary<string, decimal> Fixed { get; } = new Dictionary<string, decimal>(StringComparer.Ordinal);

    /// <summary>
    /// Gets or sets the path of an ECB reference-rate file (<c>eurofxref-hist.xml</c> or <c>eurofxref-hist.csv</c>,
    /// <see cref="EcbExchangeRateFile"/>) that the host keeps up to date; loaded at startup. The library never downloads it.
    /// </summary>
    /// <value>Defaults to <see langword="null"/>: no ECB file.</value>
    public string? EcbFile { get; set; }
}
