using Chatterfy.Postbacks.Currencies;

namespace Chatterfy.Postbacks.Tests.Currencies;

/// <summary>
/// The hand-written ECB files under Resources/Currencies, the same rates in both formats: Thursday 2024-01-04 (no ISK),
/// Friday 2024-01-05, then the weekend, then Monday 2024-01-08 (JPY N/A).
/// </summary>
internal static class EcbFixture
{
    public static readonly DateOnly Thursday = new(2024, 1, 4);
    public static readonly DateOnly Friday = new(2024, 1, 5);
    public static readonly DateOnly Sunday = new(2024, 1, 7);
    public static readonly DateOnly Monday = new(2024, 1, 8);

    public static string PathOf(string fileName) => Path.Combine(AppContext.BaseDirectory, "Resources", "Currencies", fileName);

    public static EcbExchangeRateFile Load(string fileName = "eurofxref-hist.csv") => EcbExchangeRateFile.Load(PathOf(fileName));
}
