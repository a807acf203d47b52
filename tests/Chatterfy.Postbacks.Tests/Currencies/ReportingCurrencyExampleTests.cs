using Chatterfy.Postbacks.Currencies;
using Chatterfy.Postbacks.Tests.Repository;

namespace Chatterfy.Postbacks.Tests.Currencies;

public sealed class ReportingCurrencyExampleTests
{
    [Fact]
    public void ToUsd_AsDocumented_ConvertsAndReportsMissing()
    {
        var file = EcbFixture.PathOf("eurofxref-hist.xml");
        var friday = new DateTimeOffset(2024, 1, 5, 12, 0, 0, TimeSpan.Zero);

        ReportingCurrencyExample.ToUsd(file, 100m, "BRL", friday).Should().BeEquivalentTo(new ReportingAmount(20.39m, "USD", 1.0921m / 5.3551m, EcbFixture.Friday));
        ReportingCurrencyExample.ToUsd(file, 100m, "BRL", friday.AddDays(11)).Should().BeNull();
    }

    [Fact]
    public void AmountsPage_ShowsTheCompiledExampleVerbatim()
    {
        var sample = Checkout.ReadText("tests/Chatterfy.Postbacks.Tests/Currencies/ReportingCurrencyExample.cs");

        Checkout.ReadText("docs/amounts.md").Should().Contain("```csharp\n" + sample + "```\n", "docs/amounts.md shows the example as it is compiled here");
    }
}
