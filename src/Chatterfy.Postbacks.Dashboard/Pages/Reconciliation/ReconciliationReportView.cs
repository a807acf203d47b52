using System.Globalization;
using Chatterfy.Postbacks.Dashboard.Html;
using Chatterfy.Postbacks.Dashboard.Layout;
using Chatterfy.Postbacks.Reconciliation;

namespace Chatterfy.Postbacks.Dashboard.Pages.Reconciliation;

/// <summary>
/// How a reconciliation report is shown, in one place (a report just made from an upload, or one stored and read again):
/// the counts, the totals per currency, then the rows missing here, the conversions missing there, the mismatches and the
/// unreadable rows.
/// </summary>
internal static class ReconciliationReportView
{
    /// <summary>Writes the report.</summary>
    /// <param name="page">The request.</param>
    /// <param name="report">The report.</param>
    /// <returns>The report's section.</returns>
    public static Markup Write(DashboardPage page, ReconciliationReport report) => Markup.Of($"""
        <section id="reconciliation-report" aria-labelledby="report-heading">
        <h2 id="report-heading">Report</h2>
        <p class="hint" id="report-range">From {Display.Time(report.From)} to {Display.Time(report.To)}.</p>
        <dl class="facts" id="report-counts">
        <dt>Rows read</dt><dd id="report-rows">{report.Rows}</dd>
        <dt>Matched</dt><dd id="report-matched">{report.Matched}</dd>
        <dt>Missing here</dt><dd id="report-missing-here">{report.MissingHereCount}</dd>
        <dt>Missing there</dt><dd id="report-missing-there">{report.MissingThereCount}</dd>
        <dt>Amount or currency mismatches</dt><dd id="report-mismatches">{report.MismatchCount}</dd>
        <dt>Unreadable rows</dt><dd id="report-invalid">{report.InvalidCount}</dd>
        </dl>
        <h3>Totals per currency</h3>
        {Totals(report.Totals)}
        <h3>Missing here (the network has them, no postback came)</h3>
        {Rows("report-missing-here-table", "Rows missing here", report.MissingHere, "None.")}
        <h3>Missing there (stored here, not in the network's report)</h3>
        {MissingThere(page, report.MissingThere)}
        <h3>Mismatches</h3>
        {Mismatches(page, report.Mismatches)}
        <h3>Unreadable rows</h3>
        {Invalid(report.Invalid)}
        </section>
        """);

    private static Markup Totals(IReadOnlyList<ReconciliationTotal> totals)
    {
        if (totals.Count == 0)
        {
            return Markup.Of($"""<p id="report-totals-none">No amounts on either side.</p>""");
        }

        var rows = totals.Select(t => Markup.Of($"""
            <tr><th scope="row">{t.Currency}</th><td class="number">{t.Network}</td><td class="number">{t.Here}</td><td class="number">{t.Network - t.Here}</td></tr>
            """));
        return Display.ScrollingTable("Totals per currency", Markup.Of($"""
            <table id="report-totals">
            <thead><tr><th scope="col">Currency</th><th scope="col" class="number">Network</th><th scope="col" class="number">Here</th><th scope="col" class="number">Difference</th></tr></thead>
            <tbody>{rows}</tbody>
            </table>
            """));
    }

    private static Markup Rows(string id, string label, IReadOnlyList<ReconciliationRow> rows, string empty)
    {
        if (rows.Count == 0)
        {
            return Markup.Of($"""<p id="{id}-none">{empty}</p>""");
        }

        return Display.ScrollingTable(label, Markup.Of($"""
            <table id="{id}">
            <thead><tr><th scope="col">Line</th><th scope="col">Time</th><th scope="col">Event</th><th scope="col">Click id</th><th scope="col" class="number">Amount</th><th scope="col">Transaction id</th></tr></thead>
            <tbody>{rows.Select(r => Markup.Of($"""<tr><td>{r.Line}</td><td>{Display.Time(r.Time)}</td><td>{r.Event}</td><td><code>{r.ClickId}</code></td><td class="number">{Money(r.Amount, r.Currency)}</td><td><code>{r.TransactionId}</code></td></tr>"""))}</tbody>
            </table>
            """));
    }

    private static Markup MissingThere(DashboardPage page, IReadOnlyList<ReconciledConversion> conversions)
    {
        if (conversions.Count == 0)
        {
            return Markup.Of($"""<p id="report-missing-there-table-none">None.</p>""");
        }

        return Display.ScrollingTable("Conversions missing there", Markup.Of($"""
            <table id="report-missing-there-table">
            <thead><tr><th scope="col">Received</th><th scope="col">Event</th><th scope="col">Click id</th><th scope="col" class="number">Amount</th><th scope="col">Transaction id</th><th scope="col">Conversion</th></tr></thead>
            <tbody>{conversions.Select(c => Markup.Of($"""<tr><td>{Display.Time(c.ReceivedAt)}</td><td>{c.Event}</td><td><code>{c.ClickId}</code></td><td class="number">{Money(c.Amount, c.Currency)}</td><td><code>{c.TransactionId}</code></td><td>{ConversionLink(page, c.ConversionId)}</td></tr>"""))}</tbody>
            </table>
            """));
    }

    private static Markup Mismatches(DashboardPage page, IReadOnlyList<ReconciliationMismatch> mismatches)
    {
        if (mismatches.Count == 0)
        {
            return Markup.Of($"""<p id="report-mismatches-table-none">None.</p>""");
        }

        return Display.ScrollingTable("Mismatches", Markup.Of($"""
            <table id="report-mismatches-table">
            <thead><tr><th scope="col">Line</th><th scope="col">Event</th><th scope="col">Click id</th><th scope="col" class="number">Network</th><th scope="col" class="number">Here</th><th scope="col">Conversion</th></tr></thead>
            <tbody>{mismatches.Select(m => Markup.Of($"""<tr><td>{m.Row.Line}</td><td>{m.Row.Event}</td><td><code>{m.Row.ClickId}</code></td><td class="number">{Money(m.Row.Amount, m.Row.Currency)}</td><td class="number">{Money(m.Conversion.Amount, m.Conversion.Currency)}</td><td>{ConversionLink(page, m.Conversion.ConversionId)}</td></tr>"""))}</tbody>
            </table>
            """));
    }

    private static Markup Invalid(IReadOnlyList<ReconciliationRowError> errors)
    {
        if (errors.Count == 0)
        {
            return Markup.Of($"""<p id="report-invalid-list-none">None.</p>""");
        }

        var more = Markup.If(errors.Count == ReconciliationService.MaxInvalidRows, Markup.Of($"""<p class="hint">The first {ReconciliationService.MaxInvalidRows} are listed.</p>"""));
        return Markup.Of($"""
            <ul id="report-invalid-list">{errors.Select(e => Markup.Of($"<li>Line {e.Line}: {e.Message}</li>"))}</ul>
            {more}
            """);
    }

    private static Markup Money(decimal? amount, string? currency) =>
        amount is { } value ? Markup.Of($"{value.ToString(CultureInfo.InvariantCulture)} {currency}") : Markup.Empty;

    private static Markup ConversionLink(DashboardPage page, string conversionId) =>
        Markup.Of($"""<a href="{page.Url("conversions/" + Uri.EscapeDataString(conversionId))}"><code>{conversionId}</code></a>""");
}
