using Chatterfy.Postbacks.Currencies;

namespace Chatterfy.Postbacks.Tests.Currencies;

internal static class ReportingCurrencyExample
{
    // ecbFile: eurofxref-hist.xml or eurofxref-hist.csv, fetched by the host; the library never downloads it.
    public static ReportingAmount? ToUsd(string ecbFile, decimal amount, string currency, DateTimeOffset receivedAt)
    {
        var converter = new ReportingCurrencyConverter(EcbExchangeRateFile.Load(ecbFile), "USD");
        return converter.TryConvert(amount, currency, receivedAt, out var usd)
            ? usd     // e.g. 100 BRL on 2024-01-05 → 20.39 USD at 0.2039…, rates of 2024-01-05
            : null;   // no rate from that day back to 7 days earlier: at ingest, exchange_rate_missing
    }
}
