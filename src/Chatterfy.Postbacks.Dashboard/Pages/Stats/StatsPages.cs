using System.Globalization;
using Chatterfy.Postbacks.Campaigns;
using Chatterfy.Postbacks.Dashboard.Html;
using Chatterfy.Postbacks.Dashboard.Layout;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Chatterfy.Postbacks.Dashboard.Pages.Stats;

/// <summary>
/// The Stats page: per set and campaign over a range of UTC days, the funnel (clicks → registrations → first deposits →
/// deposits) of approved conversions with the other statuses' counts, unattributed and rejected counts, daily counts as a
/// chart, and amounts per currency (with chargebacks) as a chart and a table.
/// The figures are <see cref="PostbackStatsService"/>'s; this page only chooses the range and shows them.
/// </summary>
internal static class StatsPages
{
    /// <summary>The default range: the last 30 UTC days, ending today.</summary>
    public const int DefaultDays = 30;

    /// <summary>The longest range the page shows, in days (the daily chart has one group of bars per day).</summary>
    public const int MaxDays = 366;

    private const string DateFormat = "yyyy-MM-dd";

    private static readonly string[] FunnelSteps = ["Clicks", "Registrations", "First deposits", "Deposits"];

    // The repeat deposits by deposit number (PostbackStats.RepeatDeposits), as the funnel and the daily table label them.
    private static readonly string[] RepeatColumns = ["Deposit #2", "Deposit #3", "Deposit #4+"];

    // The credited conversions that are not approved (PostbackStats.Statuses), as the status line and the daily table label them.
    private static readonly string[] StatusColumns = ["Pending", "Rejected", "Chargeback"];

    /// <summary>Maps <c>stats</c>.</summary>
    /// <param name="group">The dashboard's route group.</param>
    public static void Map(RouteGroupBuilder group) => group.MapGet("/stats", ShowAsync);

    /// <summary>Writes the daily chart (<see cref="PostbackStatsService.GetDailyAsync"/>'s days) over every day of [<paramref name="from"/>, <paramref name="to"/>], zero where <paramref name="days"/> has none.</summary>
    /// <param name="from">The first UTC day.</param>
    /// <param name="to">The last UTC day (included).</param>
    /// <param name="days">The days with figures.</param>
    /// <returns>The chart, legend and table.</returns>
    internal static Markup DailyChart(DateOnly from, DateOnly to, IReadOnlyList<PostbackDayStats> days)
    {
        var byDay = days.ToDictionary(d => d.Day);
        var groups = new List<(string, IReadOnlyList<decimal>)>();
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            var figures = byDay.GetValueOrDefault(day) ?? new PostbackDayStats { Day = day };
            var (repeats, statuses) = (figures.RepeatDeposits, figures.Statuses);
            groups.Add((day.ToString(DateFormat, CultureInfo.InvariantCulture), [figures.Clicks, figures.Registrations, figures.FirstDeposits, figures.Deposits, repeats.Second, repeats.Third, repeats.FourthOrLater, statuses.Pending, statuses.Rejected, statuses.Chargeback]));
        }

        var chart = new BarChart
        {
            Id = "daily-chart",
            Title = "Daily counts",
            CategoryAxis = "UTC day",
            ValueAxis = "Count",
            Series = FunnelSteps,
            TableOnly = [.. RepeatColumns, .. StatusColumns],
            Groups = groups,
        };
        return chart.Write(
            $"Daily counts per UTC day from {from.ToString(DateFormat, CultureInfo.InvariantCulture)} to {to.ToString(DateFormat, CultureInfo.InvariantCulture)}: " +
            $"clicks {days.Sum(d => d.Clicks)}, registrations {days.Sum(d => d.Registrations)}, first deposits {days.Sum(d => d.FirstDeposits)}, deposits {days.Sum(d => d.Deposits)}.");
    }

    private static async Task<IResult> ShowAsync(
        HttpContext context,
        string? setId,
        string? campaignId,
        string? from,
        string? to,
        PostbackStatsService statistics,
        PostbackSetService sets,
        CampaignService campaigns,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var page = DashboardPage.For(context);
        var today = DateOnly.FromDateTime(timeProvider.GetUtcNow().UtcDateTime);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var fromDay = ParseDay(from, "from", today.AddDays(1 - DefaultDays), errors);
        var toDay = ParseDay(to, "to", today, errors);
        if (errors.Count == 0 && toDay < fromDay)
        {
            errors["to"] = "The last day must not be before the first day.";
        }
        else if (errors.Count == 0 && toDay.DayNumber - fromDay.DayNumber + 1 > MaxDays)
        {
            errors["to"] = $"The range is at most {MaxDays} days.";
        }

        var filter = new Filter(FormText.Blank(setId), FormText.Blank(campaignId), from ?? fromDay.ToString(DateFormat, CultureInfo.InvariantCulture), to ?? toDay.ToString(DateFormat, CultureInfo.InvariantCulture));
        var form = await FormAsync(page, filter, errors, sets, campaigns, cancellationToken).ConfigureAwait(false);
        if (errors.Count > 0)
        {
            return page.Render("Stats", NavSection.Stats, Markup.Of($"""
                <h1>Stats</h1>
                {form}
                <p class="error" role="alert">Correct the range to see the stats.</p>
                """), StatusCodes.Status400BadRequest);
        }

        var query = new PostbackStatsQuery
        {
            SetId = filter.SetId,
            CampaignId = filter.CampaignId,
            From = new DateTimeOffset(fromDay.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
            To = new DateTimeOffset(toDay.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
        };
        var stats = await statistics.GetAsync(query, cancellationToken).ConfigureAwait(false);
        if (stats is null)
        {
            return page.Render("Stats", NavSection.Stats, Markup.Of($"""
                <h1>Stats</h1>
                {form}
                <p class="error" role="alert">No postback set has the id '{filter.SetId}'.</p>
                """), StatusCodes.Status404NotFound);
        }

        var days = await statistics.GetDailyAsync(query, cancellationToken).ConfigureAwait(false) ?? [];
        return page.Render("Stats", NavSection.Stats, Markup.Of($"""
            <h1>Stats</h1>
            {form}
            <p class="hint" id="stats-range">From {fromDay.ToString(DateFormat, CultureInfo.InvariantCulture)} 00:00 UTC to {toDay.ToString(DateFormat, CultureInfo.InvariantCulture)} 24:00 UTC.</p>
            <h2 id="funnel-heading">Funnel</h2>
            {Funnel(stats)}
            {Statuses(stats.Statuses)}
            <dl class="facts" id="stats-other">
            <dt>Unattributed</dt><dd id="stats-unattributed">{stats.Unattributed}</dd>
            <dt>Rejected postbacks</dt><dd id="stats-rejected">{stats.Rejected}</dd>
            </dl>
            <h2 id="daily-heading">Daily counts</h2>
            {DailyChart(fromDay, toDay, days)}
            <h2 id="amounts-heading">Amounts per currency</h2>
            {Amounts(stats.Amounts)}
            {Reporting(stats.Reporting)}
            """));
    }

    // The repeat deposits next to the deposits: every credited deposit by its number counts, whatever its event.
    private static Markup RepeatDeposits(RepeatDepositCounts repeats)
    {
        long[] counts = [repeats.Second, repeats.Third, repeats.FourthOrLater];
        string[] ids = ["2", "3", "4plus"];
        return Markup.Of($"""
             <dl class="repeats" id="funnel-repeat-deposits" aria-label="Repeat deposits by deposit number">{Markup.Join(counts.Select((count, i) => Markup.Of($"""<dt>{RepeatColumns[i]}</dt><dd id="funnel-repeat-{ids[i]}">{count}</dd>""")))}</dl>
            """);
    }

    // Every figure of the page counts approved conversions; the other statuses' counts are next to that sentence.
    private static Markup Statuses(StatusCounts statuses) => Markup.Of($"""
        <p class="hint" id="stats-statuses">These figures count approved conversions only. Other statuses: <span id="stats-status-pending">pending {statuses.Pending}</span>, <span id="stats-status-rejected">rejected {statuses.Rejected}</span>, <span id="stats-status-chargeback">chargeback {statuses.Chargeback}</span>.</p>
        """);

    private static Markup Funnel(PostbackStats stats)
    {
        long[] figures = [stats.Clicks, stats.Registrations, stats.FirstDeposits, stats.Deposits];
        string[] ids = ["clicks", "registrations", "first-deposits", "deposits"];
        var steps = figures.Select((figure, i) =>
        {
            var rate = i == 0
                ? Markup.Empty
                : figures[i - 1] == 0
                    ? Markup.Of($"""<span class="rate">no {FunnelSteps[i - 1].ToLowerInvariant()} to compare</span>""")
                    : Markup.Of($"""<span class="rate">{Math.Round(figure * 100m / figures[i - 1], 1).ToString("0.0", CultureInfo.InvariantCulture)} % of {FunnelSteps[i - 1].ToLowerInvariant()}</span>""");
            var repeats = Markup.If(ids[i] == "deposits", RepeatDeposits(stats.RepeatDeposits));
            return Markup.Of($"""<li id="funnel-{ids[i]}"><span class="label">{FunnelSteps[i]}</span> <span class="figure">{figure}</span> {rate}{repeats}</li>""");
        });
        return Markup.Of($"""<ol class="funnel" id="stats-funnel" aria-labelledby="funnel-heading">{steps}</ol>""");
    }

    private static Markup Amounts(IReadOnlyList<CurrencyAmounts> amounts)
    {
        if (amounts.Count == 0)
        {
            return Markup.Of($"""<p id="amounts-none">No credited deposits in this range.</p>""");
        }

        var rows = amounts.Select(a => Markup.Of($"""
            <tr><th scope="row">{a.Currency}</th><td class="number">{a.FirstDeposits}</td><td class="number">{a.Deposits}</td><td class="number">{a.FirstDeposits + a.Deposits}</td><td class="number">{a.Chargebacks}</td></tr>
            """));
        var table = Display.ScrollingTable("Amounts per currency", Markup.Of($"""
            <table id="amounts-table">
            <thead><tr><th scope="col">Currency</th><th scope="col" class="number">First deposits</th><th scope="col" class="number">Deposits</th><th scope="col" class="number">Total</th><th scope="col" class="number">Chargebacks</th></tr></thead>
            <tbody>{rows}</tbody>
            </table>
            """));
        var chart = new BarChart
        {
            Id = "amounts-chart",
            Title = "Amounts per currency",
            CategoryAxis = "Currency",
            ValueAxis = "Amount",
            Series = ["First deposits", "Deposits"],
            Groups = [.. amounts.Select(a => (a.Currency, (IReadOnlyList<decimal>)[a.FirstDeposits, a.Deposits]))],
        };
        var summary = "Amounts per currency: " + string.Join("; ", amounts.Select(a =>
            string.Create(CultureInfo.InvariantCulture, $"{a.Currency} first deposits {a.FirstDeposits}, deposits {a.Deposits}"))) + ".";
        return Markup.Of($"""
            {table}
            <p class="hint">The chart draws each currency in its own unit; the table has the exact amounts.</p>
            {chart.Write(summary)}
            """);
    }

    // The totals in the host's reporting currency (ReportingCurrency), when it has one: the stored, rounded amounts.
    private static Markup Reporting(ReportingAmounts? reporting) => reporting is null
        ? Markup.Empty
        : Markup.Of($"""
            <h2 id="reporting-heading">Totals in {reporting.Currency}</h2>
            <p class="hint">Each deposit converted into {reporting.Currency} with the rate of its receive day when it arrived; deposits without a rate yet are not in these sums.</p>
            <dl class="facts" id="stats-reporting" aria-labelledby="reporting-heading">
            <dt>First deposits</dt><dd id="reporting-first-deposits">{reporting.FirstDeposits} {reporting.Currency}</dd>
            <dt>Deposits</dt><dd id="reporting-deposits">{reporting.Deposits} {reporting.Currency}</dd>
            <dt>Total</dt><dd id="reporting-total">{reporting.FirstDeposits + reporting.Deposits} {reporting.Currency}</dd>
            <dt>Chargebacks</dt><dd id="reporting-chargebacks">{reporting.Chargebacks} {reporting.Currency}</dd>
            </dl>
            """);

    private static async Task<Markup> FormAsync(
        DashboardPage page, Filter filter, Dictionary<string, string> errors, PostbackSetService sets, CampaignService campaigns, CancellationToken cancellationToken)
    {
        var allSets = await sets.ListAsync(cancellationToken).ConfigureAwait(false);
        var allCampaigns = await campaigns.ListAsync(cancellationToken).ConfigureAwait(false);
        var setOptions = Options(allSets.Select(s => (s.Id, s.Name)), filter.SetId);
        var campaignOptions = Options(allCampaigns.Select(c => (c.Id, c.Name ?? c.Id)), filter.CampaignId);
        return Markup.Of($"""
            <form method="get" action="{page.Url("stats")}" class="filters" id="stats-filters" aria-label="Stats filters">
            <div><label for="stats-set">Postback set</label>
            <select id="stats-set" name="setId"><option value="">All sets</option>{setOptions}</select></div>
            <div><label for="stats-campaign">Campaign</label>
            <select id="stats-campaign" name="campaignId"><option value="">All campaigns</option>{campaignOptions}</select></div>
            {DateField("from", "First day (UTC)", filter.From, errors)}
            {DateField("to", "Last day (UTC, included)", filter.To, errors)}
            <button type="submit" id="stats-show">Show stats</button>
            </form>
            """);
    }

    private static IEnumerable<Markup> Options(IEnumerable<(string Id, string Name)> items, string? selected)
    {
        var list = items.ToList();
        if (selected is not null && list.TrueForAll(i => i.Id != selected))
        {
            list.Add((selected, selected));
        }

        return list.Select(i => Display.Option(i.Id, i.Name, i.Id == selected));
    }

    private static Markup DateField(string name, string label, string value, Dictionary<string, string> errors)
    {
        if (errors.TryGetValue(name, out var error))
        {
            return Markup.Of($"""
                <div><label for="stats-{name}">{label}</label>
                <input type="date" id="stats-{name}" name="{name}" value="{value}" aria-invalid="true" aria-describedby="stats-{name}-error">
                <p class="error" id="stats-{name}-error">{error}</p></div>
                """);
        }

        return Markup.Of($"""
            <div><label for="stats-{name}">{label}</label>
            <input type="date" id="stats-{name}" name="{name}" value="{value}"></div>
            """);
    }

    private static DateOnly ParseDay(string? text, string field, DateOnly fallback, Dictionary<string, string> errors)
    {
        if (FormText.Blank(text) is not { } value)
        {
            return fallback;
        }

        if (DateOnly.TryParseExact(value, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day;
        }

        errors[field] = "A day is written YYYY-MM-DD (UTC).";
        return fallback;
    }

    private sealed record Filter(string? SetId, string? CampaignId, string From, string To);
}
