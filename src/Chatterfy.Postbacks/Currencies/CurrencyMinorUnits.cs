using System.Collections.Frozen;

namespace Chatterfy.Postbacks.Currencies;

/// <summary>
/// The minor units (digits after the decimal point) of the currencies a reporting amount may be in, from the ISO 4217
/// list of currency codes (ISO 4217:2015, table A.1, "Minor unit"; maintained by SIX as the ISO 4217 maintenance
/// agency).
/// </summary>
/// <remarks>
/// Covers every currency of the ECB reference rates still in circulation (including HRK and RUB, which older rows of
/// the ECB files carry) and the payout currencies of the networks: BRL, INR, USD, EUR, GBP, and the ones without minor
/// units (JPY, KRW, ISK, CLP, VND, …) or with three (KWD, BHD, OMR, …). The ECB's pre-euro currencies (CYP, EEK, LTL,
/// LVL, MTL, SIT, SKK) and the replaced ROL and TRL may be converted from, but are not reporting currencies.
/// </remarks>
internal static class CurrencyMinorUnits
{
    private static readonly FrozenDictionary<string, int> Digits = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        // ECB reference-rate currencies (and EUR itself).
        ["EUR"] = 2, ["USD"] = 2, ["JPY"] = 0, ["BGN"] = 2, ["CZK"] = 2, ["DKK"] = 2, ["GBP"] = 2, ["HUF"] = 2,
        ["PLN"] = 2, ["RON"] = 2, ["SEK"] = 2, ["CHF"] = 2, ["ISK"] = 0, ["NOK"] = 2, ["HRK"] = 2, ["RUB"] = 2,
        ["TRY"] = 2, ["AUD"] = 2, ["BRL"] = 2, ["CAD"] = 2, ["CNY"] = 2, ["HKD"] = 2, ["IDR"] = 2, ["ILS"] = 2,
        ["INR"] = 2, ["KRW"] = 0, ["MXN"] = 2, ["MYR"] = 2, ["NZD"] = 2, ["PHP"] = 2, ["SGD"] = 2, ["THB"] = 2,
        ["ZAR"] = 2,

        // Other payout currencies: no minor unit.
        ["CLP"] = 0, ["VND"] = 0, ["PYG"] = 0, ["UGX"] = 0, ["XOF"] = 0, ["XAF"] = 0,

        // Three minor units.
        ["KWD"] = 3, ["BHD"] = 3, ["OMR"] = 3, ["JOD"] = 3, ["TND"] = 3,

        // Two minor units.
        ["AED"] = 2, ["SAR"] = 2, ["EGP"] = 2, ["NGN"] = 2, ["KZT"] = 2, ["UAH"] = 2, ["ARS"] = 2, ["COP"] = 2,
        ["PEN"] = 2, ["PKR"] = 2, ["BDT"] = 2, ["UZS"] = 2, ["AZN"] = 2, ["GEL"] = 2, ["KES"] = 2,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Gets the minor units of <paramref name="currency"/>, if the table has it.</summary>
    public static bool TryGet(string currency, out int minorUnits) => Digits.TryGetValue(currency, out minorUnits);
}
