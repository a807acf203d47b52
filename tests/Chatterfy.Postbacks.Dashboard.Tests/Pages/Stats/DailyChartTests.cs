using Chatterfy.Postbacks.Dashboard.Pages.Stats;
using Chatterfy.Postbacks.Storage;

namespace Chatterfy.Postbacks.Dashboard.Tests.Pages.Stats;

/// <summary>The daily chart: every UTC day of the range, as bars, axis labels and the same numbers in a table.</summary>
public sealed class DailyChartTests
{
    [Fact]
    public void DailyChart_DaysWithAndWithoutFigures_HasEveryDayOfTheRangeInItsTable()
    {
        var html = StatsPages.DailyChart(
            new DateOnly(2026, 12, 1),
            new DateOnly(2026, 12, 3),
            [new PostbackDayStats { Day = new DateOnly(2026, 12, 1), Clicks = 4, Registrations = 2, FirstDeposits = 1, Deposits = 0 }, new PostbackDayStats { Day = new DateOnly(2026, 12, 3), Clicks = 2, Registrations = 1, FirstDeposits = 0, Deposits = 3, RepeatDeposits = new RepeatDepositCounts(2, 0, 1), Statuses = new StatusCounts(4, 5, 6) }]).Html;

        html.Should().Contain("""<tr><th scope="row">2026-12-01</th><td class="number">4</td><td class="number">2</td><td class="number">1</td><td class="number">0</td><td class="number">0</td><td class="number">0</td><td class="number">0</td><td class="number">0</td><td class="number">0</td><td class="number">0</td></tr>""")
            .And.Contain("""<tr><th scope="row">2026-12-02</th><td class="number">0</td><td class="number">0</td><td class="number">0</td><td class="number">0</td><td class="number">0</td><td class="number">0</td><td class="number">0</td><td class="number">0</td><td class="number">0</td><td class="number">0</td></tr>""")
            .And.Contain("""<tr><th scope="row">2026-12-03</th><td class="number">2</td><td class="number">1</td><td class="number">0</td><td class="number">3</td><td class="number">2</td><td class="number">0</td><td class="number">1</td><td class="number">4</td><td class="number">5</td><td class="number">6</td></tr>""");
    }

    [Fact]
    public void DailyChart_RepeatDeposits_AreTableColumnsAfterTheDepositsAndNotBars()
    {
        var html = StatsPages.DailyChart(new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 1), [new PostbackDayStats { Day = new DateOnly(2026, 12, 1), Clicks = 1, Deposits = 9, RepeatDeposits = new RepeatDepositCounts(5, 3, 1) }]).Html;

        html.Should().Contain("""<th scope="col" class="number">Deposits</th><th scope="col" class="number">Deposit #2</th><th scope="col" class="number">Deposit #3</th><th scope="col" class="number">Deposit #4&#x2B;</th><th scope="col" class="number">Pending</th>""")
            .And.Contain("""<td class="number">9</td><td class="number">5</td><td class="number">3</td><td class="number">1</td><td class="number">0</td>""");
        html.Should().NotContain("series-4").And.Contain("""<rect class="series-3" x="90" y="12" width="9" height="180">""", "the tallest bar is the deposits, not a table-only column");
    }

    [Fact]
    public void DailyChart_StatusCounts_AreTableColumnsAfterTheRepeatDepositsAndNotBars()
    {
        var html = StatsPages.DailyChart(new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 1), [new PostbackDayStats { Day = new DateOnly(2026, 12, 1), Clicks = 2, Statuses = new StatusCounts(7, 8, 9) }]).Html;

        html.Should().Contain("""<th scope="col" class="number">Deposit #4&#x2B;</th><th scope="col" class="number">Pending</th><th scope="col" class="number">Rejected</th><th scope="col" class="number">Chargeback</th></tr>""")
            .And.Contain("""<td class="number">0</td><td class="number">7</td><td class="number">8</td><td class="number">9</td></tr>""");
        html.Should().NotContain("series-4").And.Contain("""<rect class="series-0" x="60" y="12" width="9" height="180">""", "the tallest bar is the clicks, not a status column");
    }

    [Fact]
    public void DailyChart_AnyRange_IsAnImageWithItsSummaryTitleLegendAndUtcDayAxis()
    {
        var html = StatsPages.DailyChart(new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 2), [new PostbackDayStats { Day = new DateOnly(2026, 12, 2), Clicks = 4, Registrations = 2, FirstDeposits = 1, Deposits = 1 }]).Html;

        html.Should().Contain("""role="img" aria-label="Daily counts per UTC day from 2026-12-01 to 2026-12-02: clicks 4, registrations 2, first deposits 1, deposits 1.""")
            .And.Contain("""<title id="daily-chart-title">Daily counts</title>""")
            .And.Contain(">UTC day</text>")
            .And.Contain("""<ul class="legend"><li><span class="swatch series-0" aria-hidden="true"></span>Clicks</li>""")
            .And.Contain("<th scope=\"col\">UTC day</th>");
        html.Should().NotContain("<script").And.NotContain("style=");
    }

    [Fact]
    public void DailyChart_TallestBar_IsTheFullPlotHeightAndOthersInProportion()
    {
        var html = StatsPages.DailyChart(new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 1), [new PostbackDayStats { Day = new DateOnly(2026, 12, 1), Clicks = 4, Registrations = 2, FirstDeposits = 1, Deposits = 0 }]).Html;

        html.Should().Contain("""<rect class="series-0" x="60" y="12" width="9" height="180"><title>2026-12-01: Clicks 4</title></rect>""")
            .And.Contain("""<rect class="series-1" x="70" y="102" width="9" height="90"><title>2026-12-01: Registrations 2</title></rect>""")
            .And.Contain("""<rect class="series-3" x="90" y="192" width="9" height="0"><title>2026-12-01: Deposits 0</title></rect>""");
    }
}
