namespace Chatterfy.Postbacks.Currencies;

/// <summary>An amount converted into the reporting currency by <see cref="ReportingCurrencyConverter"/>.</summary>
/// <param name="Amount">The converted amount, rounded once to the currency's ISO 4217 minor units (half to even) and written with exactly that many decimals (12.00 in USD, 1621 in JPY).</param>
/// <param name="Currency">The reporting currency.</param>
/// <param name="Rate">The effective rate used: units of the reporting currency per unit of the original currency (1 for the same currency).</param>
/// <param name="RateDate">The day of the rates used: the receive day or up to <see cref="ReportingCurrencyConverter.LookbackDays"/> days earlier.</param>
public sealed record ReportingAmount(decimal Amount, string Currency, decimal Rate, DateOnly RateDate);
