using System.Globalization;
using Chatterfy.Postbacks.Dashboard.Html;
using Chatterfy.Postbacks.Dashboard.Layout;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Reconciliation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Chatterfy.Postbacks.Dashboard.Pages.Reconciliation;

/// <summary>
/// A set's Reconciliation page: upload the network's conversion report (CSV, at most
/// <see cref="ReconciliationService.MaxReportBytes"/>) to compare it with the set's stored conversions
/// (<see cref="ReconciliationService"/>), then see the kept report on its own page (post, redirect, get); the set's kept
/// reports, newest first; the set's report layout. A kept report with rows missing here offers to ingest them
/// (<see cref="ReconciliationService.IngestMissingAsync"/>, as the tracker API's <c>…/ingest</c> does).
/// </summary>
internal static class ReconciliationPages
{
    /// <summary>The kept reports listed per page.</summary>
    public const int ReportsPerPage = 20;

    /// <summary>The file field's name.</summary>
    private const string FileField = "report";

    // The layout form's fields, named as the layout's members are in the API's body and in its validation errors.
    private static readonly (string Name, string Label, Func<ReconciliationLayout, string> Value)[] LayoutFields =
    [
        ("clickId", "Click id column", l => l.ClickId),
        ("event", "Event column", l => l.Event),
        ("amount", "Amount column", l => l.Amount),
        ("currency", "Currency column", l => l.Currency),
        ("transactionId", "Transaction id column", l => l.TransactionId),
        ("time", "Time column", l => l.Time),
    ];

    /// <summary>Maps the page and its upload.</summary>
    /// <param name="group">The dashboard's route group.</param>
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/postbacks/{id}/reconciliation", ShowAsync);

        // The upload is a multipart form: each part (the file) is read up to the report's limit, the file part buffered
        // to disk beyond 64 KB by ASP.NET Core's form reader, then streamed to the reconciliation once.
        group.MapPost("/postbacks/{id}/reconciliation", UploadAsync)
            .WithFormOptions(multipartBodyLengthLimit: ReconciliationService.MaxReportBytes);
        group.MapPost("/postbacks/{id}/reconciliation/layout", SetLayoutAsync);
        group.MapGet("/postbacks/{id}/reconciliations/{rid}", ShowReportAsync);
        group.MapPost("/postbacks/{id}/reconciliations/{rid}/ingest", IngestAsync);
    }

    private static async Task<IResult> ShowAsync(
        HttpContext context,
        string id,
        string? before,
        string? layoutSaved,
        PostbackSetService sets,
        ReconciliationService reconciliation,
        CancellationToken cancellationToken)
    {
        var page = DashboardPage.For(context);
        var set = await sets.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (set is null)
        {
            return NotFound(page, id);
        }

        var layout = await LayoutFormAsync(set, reconciliation, cancellationToken).ConfigureAwait(false);
        var notice = Markup.If(layoutSaved == "1", Markup.Of($"""<p class="notice" role="status" id="layout-notice">Layout saved: the next reports are read with these columns.</p>"""));
        var reports = await ReportListAsync(page, set, FormText.Blank(before), reconciliation, cancellationToken).ConfigureAwait(false);
        return page.Render($"Reconcile {set.Name}", NavSection.Postbacks, Body(page, set, new Form(null, null), layout, notice, reports));
    }

    private static async Task<IResult> SetLayoutAsync(
        HttpContext context,
        string id,
        PostbackSetService sets,
        ReconciliationService reconciliation,
        CancellationToken cancellationToken)
    {
        var page = DashboardPage.For(context);
        var set = await sets.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (set is null)
        {
            return NotFound(page, id);
        }

        var posted = await context.Request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
        var values = LayoutFields.ToDictionary(f => f.Name, f => posted[f.Name].ToString(), StringComparer.Ordinal);
        var layout = new ReconciliationLayout
        {
            ClickId = values["clickId"],
            Event = values["event"],
            Amount = values["amount"],
            Currency = values["currency"],
            TransactionId = values["transactionId"],
            Time = values["time"],
        };
        try
        {
            return await reconciliation.SetLayoutAsync(set.Id, layout, cancellationToken).ConfigureAwait(false) is null
                ? NotFound(page, id)
                : page.RedirectTo($"postbacks/{Uri.EscapeDataString(set.Id)}/reconciliation?layoutSaved=1#layout-heading");
        }
        catch (ReconciliationLayoutValidationException exception)
        {
            var form = new LayoutForm(values, exception.Errors.ToDictionary(e => e.Key, e => string.Join(" ", e.Value), StringComparer.Ordinal));
            var reports = await ReportListAsync(page, set, null, reconciliation, cancellationToken).ConfigureAwait(false);
            return page.Render($"Reconcile {set.Name}", NavSection.Postbacks, Body(page, set, new Form(null, null), form, Markup.Empty, reports), StatusCodes.Status400BadRequest);
        }
    }

    private static async Task<IResult> ShowReportAsync(
        HttpContext context,
        string id,
        string rid,
        string? added,
        string? already,
        string? rejected,
        string? forwarded,
        PostbackSetService sets,
        ReconciliationService reconciliation,
        CancellationToken cancellationToken)
    {
        var page = DashboardPage.For(context);
        var set = await sets.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (set is null)
        {
            return NotFound(page, id);
        }

        var report = await reconciliation.GetAsync(set.Id, rid, cancellationToken).ConfigureAwait(false);
        if (report is null)
        {
            return ReportNotFound(page, set, rid);
        }

        var notice = Count(added) is { } addedCount && Count(already) is { } alreadyCount
            ? Markup.Of($"""
                <p class="notice" role="status" id="ingest-notice">Ingested: {addedCount} added, {alreadyCount} already there{Markup.If(Count(rejected) is > 0, Markup.Of($", {Count(rejected)} rejected (see the log)"))}{(forwarded == "1" ? Markup.Of($"; the new ones are forwarded to the destinations") : Markup.Of($"; none forwarded"))}.</p>
                """)
            : Markup.Empty;
        var setUrl = "postbacks/" + Uri.EscapeDataString(set.Id);
        return page.Render($"Reconciliation {report.Id}", NavSection.Postbacks, Markup.Of($"""
            <h1>Reconciliation of {set.Name}</h1>
            <p class="hint" id="report-created">Uploaded {Display.Time(report.CreatedAt)}, kept as <code>{report.Id}</code>.</p>
            {notice}
            {IngestForm(page, set, report)}
            {ReconciliationReportView.Write(page, report)}
            <p><a href="{page.Url(setUrl + "/reconciliation")}" id="report-back">Back to the reconciliation of {set.Name}</a></p>
            """));
    }

    private static async Task<IResult> IngestAsync(
        HttpContext context,
        string id,
        string rid,
        PostbackSetService sets,
        ReconciliationService reconciliation,
        CancellationToken cancellationToken)
    {
        var page = DashboardPage.For(context);
        var set = await sets.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (set is null)
        {
            return NotFound(page, id);
        }

        var posted = await context.Request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
        var forward = posted["forward"].Any(v => v == "true");
        var result = await reconciliation.IngestMissingAsync(set.Id, rid, forward, cancellationToken).ConfigureAwait(false);
        if (result is null)
        {
            return await reconciliation.GetAsync(set.Id, rid, cancellationToken).ConfigureAwait(false) is null
                ? ReportNotFound(page, set, rid)
                : page.Render("Set disabled", NavSection.Postbacks, Markup.Of($"""
                    <h1>Not ingested</h1>
                    <p role="alert">The postback set '{set.Name}' is disabled: enable it to ingest its missing conversions. <a href="{page.Url($"postbacks/{Uri.EscapeDataString(set.Id)}/reconciliations/{Uri.EscapeDataString(rid)}")}">Back to the report</a></p>
                    """), StatusCodes.Status409Conflict);
        }

        return page.RedirectTo(string.Create(
            CultureInfo.InvariantCulture,
            $"postbacks/{Uri.EscapeDataString(set.Id)}/reconciliations/{Uri.EscapeDataString(rid)}?added={result.Stored}&already={result.Duplicates}&rejected={result.Rejected}&forwarded={(forward ? 1 : 0)}"));
    }

    private static async Task<IResult> UploadAsync(
        HttpContext context,
        string id,
        PostbackSetService sets,
        ReconciliationService reconciliation,
        CancellationToken cancellationToken)
    {
        var page = DashboardPage.For(context);
        var set = await sets.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (set is null)
        {
            return NotFound(page, id);
        }

        var posted = await context.Request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
        var form = new Form(FormText.Blank(posted["from"]), FormText.Blank(posted["to"]));
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var from = FormText.ParseUtcTime(form.From, "from", errors);
        var to = FormText.ParseUtcTime(form.To, "to", errors);
        if (from is not null && to is not null && from > to)
        {
            errors["to"] = "'To' must not be before 'From'.";
        }

        var file = posted.Files.GetFile(FileField);
        if (file is null || file.Length == 0)
        {
            errors[FileField] = "Choose the network's report, a CSV file.";
        }

        if (errors.Count > 0)
        {
            return await UploadRefusedAsync(page, set, form with { Errors = errors }, reconciliation, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            var stream = file!.OpenReadStream();
            await using (stream.ConfigureAwait(false))
            {
                var report = await reconciliation.ReconcileAsync(set.Id, stream, null, from, to, cancellationToken).ConfigureAwait(false);
                return report is null
                    ? NotFound(page, id)
                    : page.RedirectTo($"postbacks/{Uri.EscapeDataString(set.Id)}/reconciliations/{Uri.EscapeDataString(report.Id)}");
            }
        }
        catch (ReconciliationFormatException exception)
        {
            errors[FileField] = exception.Message;
            return await UploadRefusedAsync(page, set, form with { Errors = errors }, reconciliation, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<IResult> UploadRefusedAsync(DashboardPage page, PostbackSet set, Form form, ReconciliationService reconciliation, CancellationToken cancellationToken)
    {
        var layout = await LayoutFormAsync(set, reconciliation, cancellationToken).ConfigureAwait(false);
        var reports = await ReportListAsync(page, set, null, reconciliation, cancellationToken).ConfigureAwait(false);
        return page.Render($"Reconcile {set.Name}", NavSection.Postbacks, Body(page, set, form, layout, Markup.Empty, reports), StatusCodes.Status400BadRequest);
    }

    private static async Task<LayoutForm> LayoutFormAsync(PostbackSet set, ReconciliationService reconciliation, CancellationToken cancellationToken)
    {
        var layout = await reconciliation.GetLayoutAsync(set.Id, cancellationToken).ConfigureAwait(false) ?? ReconciliationLayout.Generic;
        return new LayoutForm(LayoutFields.ToDictionary(f => f.Name, f => f.Value(layout), StringComparer.Ordinal), null);
    }

    // The set's kept reports, newest first, a page at a time (the cursor is the last id of the previous page, as in the log).
    private static async Task<Markup> ReportListAsync(DashboardPage page, PostbackSet set, string? before, ReconciliationService reconciliation, CancellationToken cancellationToken)
    {
        var summaries = await reconciliation.ListAsync(set.Id, ReportsPerPage, before, cancellationToken).ConfigureAwait(false) ?? [];
        var setUrl = "postbacks/" + Uri.EscapeDataString(set.Id);
        if (summaries.Count == 0)
        {
            return Markup.Of($"""<p id="reports-empty">{(before is null ? "No report uploaded yet." : "No older reports.")}</p>""");
        }

        var rows = summaries.Select(r => Markup.Of($"""
            <tr><td><a href="{page.Url($"{setUrl}/reconciliations/{Uri.EscapeDataString(r.Id)}")}">{Display.Time(r.CreatedAt)}</a></td><td>{Display.Time(r.From)} – {Display.Time(r.To)}</td><td class="number">{r.Rows}</td><td class="number">{r.Matched}</td><td class="number">{r.MissingHereCount}</td><td class="number">{r.MissingThereCount}</td><td class="number">{r.MismatchCount}</td></tr>
            """));
        var older = Markup.If(summaries.Count == ReportsPerPage, Markup.Of($"""
            <p class="actions"><a id="reports-older" href="{page.Url($"{setUrl}/reconciliation?before={Uri.EscapeDataString(summaries[^1].Id)}#reports-heading")}">Older reports</a></p>
            """));
        return Markup.Of($"""
            {Display.ScrollingTable("Kept reports", Markup.Of($"""
                <table id="reports-table">
                <thead><tr><th scope="col">Uploaded</th><th scope="col">Range</th><th scope="col" class="number">Rows</th><th scope="col" class="number">Matched</th><th scope="col" class="number">Missing here</th><th scope="col" class="number">Missing there</th><th scope="col" class="number">Mismatches</th></tr></thead>
                <tbody>{rows}</tbody>
                </table>
                """))}
            {older}
            """);
    }

    private static Markup IngestForm(DashboardPage page, PostbackSet set, ReconciliationReport report)
    {
        var listed = report.MissingHere.Count;
        if (listed == 0)
        {
            return Markup.Empty;
        }

        var unlisted = Markup.If(report.MissingHereCount > listed, Markup.Of($"""
            <p class="hint" id="ingest-unlisted">Only the {listed} listed rows of the {report.MissingHereCount} missing here can be ingested: reconcile a shorter range to reach the others.</p>
            """));
        return Markup.Of($"""
            <h2 id="ingest-heading">Ingest the missing conversions</h2>
            <form method="post" action="{page.Url($"postbacks/{Uri.EscapeDataString(set.Id)}/reconciliations/{Uri.EscapeDataString(report.Id)}/ingest")}" class="stack" id="ingest-form">
            {page.AntiforgeryField()}
            <p class="hint" id="ingest-hint">Each row missing here becomes a conversion through the normal pipeline with the row's time, logged with method <code>{PostbackRequest.ReconcileMethod}</code>. A row already stored (an earlier ingest, or a postback that came late) is not added again.</p>
            {unlisted}
            <label class="checkbox" for="ingest-forward"><input type="checkbox" id="ingest-forward" name="forward" value="true" aria-describedby="ingest-forward-hint"> Also forward them</label>
            <p class="hint" id="ingest-forward-hint">Forwarding sends the new conversions to the destinations of the set's forwarding rules (e.g. the Facebook Conversions API) and to the reaction rules. Leave it unticked when the destinations already had them another way.</p>
            <button type="submit" id="ingest-submit">Ingest {listed} missing conversions</button>
            </form>
            """);
    }

    private static int? Count(string? text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static Markup Body(DashboardPage page, PostbackSet set, Form form, LayoutForm layoutForm, Markup notice, Markup reports)
    {
        var columns = layoutForm.Errors is null ? layoutForm.Values : null;
        var limitMb = ReconciliationService.MaxReportBytes / (1024 * 1024);
        var setUrl = "postbacks/" + Uri.EscapeDataString(set.Id);
        var columnList = columns is null
            ? Markup.Of($"the columns of the layout below")
            : Markup.Of($"the columns {Columns(columns)}");
        return Markup.Of($"""
            <h1>Reconcile {set.Name}</h1>
            <p>Compare the network's own conversion report with the conversions this set stored: which rows match, which the network has and no postback brought (missing here), which are stored here and not in the report (missing there), and where the amount or currency differs. Each report is kept; the conversions missing here can be ingested from its page.</p>
            {notice}
            <h2 id="reconcile-upload-heading">Upload the network's report</h2>
            <form method="post" enctype="multipart/form-data" action="{page.Url(setUrl + "/reconciliation")}" class="stack" id="reconcile-form">
            {page.AntiforgeryField()}
            <label for="reconcile-file">Network's report (CSV, at most {limitMb} MB)</label>
            <p class="hint" id="reconcile-file-hint">A header row, then one row per conversion, with {columnList} (time in ISO 8601).</p>
            <input type="file" id="reconcile-file" name="report" accept=".csv,text/csv" required{Described(form.Errors, "reconcile", FileField, "reconcile-file-hint")}>{Error(form.Errors, "reconcile", FileField)}
            <label for="reconcile-from">From (UTC, optional)</label>
            <input type="datetime-local" id="reconcile-from" name="from" value="{form.From}"{Described(form.Errors, "reconcile", "from", null)}>{Error(form.Errors, "reconcile", "from")}
            <label for="reconcile-to">To (UTC, optional)</label>
            <p class="hint" id="reconcile-to-hint">Without a range, the report's first and last times.</p>
            <input type="datetime-local" id="reconcile-to" name="to" value="{form.To}"{Described(form.Errors, "reconcile", "to", "reconcile-to-hint")}>{Error(form.Errors, "reconcile", "to")}
            <button type="submit" id="reconcile-submit">Reconcile</button>
            </form>
            <h2 id="reports-heading">Kept reports</h2>
            {reports}
            <h2 id="layout-heading">Report layout</h2>
            <p class="hint" id="layout-hint">The header names of the network's report, compared ignoring case; the generic layout's are {Columns(ReconciliationLayout.Generic)}. Amount, currency and transaction id may be absent from a file.</p>
            <form method="post" action="{page.Url(setUrl + "/reconciliation/layout")}" class="stack" id="layout-form">
            {page.AntiforgeryField()}
            {Markup.Join(LayoutFields.Select(f => Markup.Of($"""
                <label for="layout-{f.Name}">{f.Label}</label>
                <input type="text" id="layout-{f.Name}" name="{f.Name}" value="{layoutForm.Values[f.Name]}" maxlength="{ReconciliationLayout.MaxColumnNameLength}" required{Described(layoutForm.Errors, "layout", f.Name, null)}>{Error(layoutForm.Errors, "layout", f.Name)}
                """)))}
            <button type="submit" id="layout-submit">Save layout</button>
            </form>
            <p><a href="{page.Url(setUrl)}">Back to {set.Name}</a></p>
            """);
    }

    // Column names one <code> each (a long list wraps between them on a narrow screen).
    private static Markup Columns(ReconciliationLayout layout) => Columns(LayoutFields.ToDictionary(f => f.Name, f => f.Value(layout), StringComparer.Ordinal));

    private static Markup Columns(IReadOnlyDictionary<string, string> columns) =>
        Markup.Join(LayoutFields.Select((f, i) => Markup.Of($"{(i == 0 ? "" : ", ")}<code>{columns[f.Name]}</code>")));

    // An input's aria-describedby (its hint, and its error when it has one) and aria-invalid.
    private static Markup Described(IReadOnlyDictionary<string, string>? errors, string prefix, string name, string? hintId)
    {
        var hasError = errors?.ContainsKey(name) == true;
        var ids = string.Join(' ', new[] { hintId, hasError ? $"{prefix}-{name}-error" : null }.OfType<string>());
        var describedBy = ids.Length > 0 ? Markup.Of($" aria-describedby=\"{ids}\"") : Markup.Empty;
        return Markup.Of($"{describedBy}{Markup.If(hasError, Markup.Of($" aria-invalid=\"true\""))}");
    }

    private static Markup Error(IReadOnlyDictionary<string, string>? errors, string prefix, string name) => errors?.GetValueOrDefault(name) is { } error
        ? Markup.Of($"""<span class="error" role="alert" id="{prefix}-{name}-error">{error}</span>""")
        : Markup.Empty;

    private static IResult NotFound(DashboardPage page, string id) =>
        page.Render("Postback not found", NavSection.Postbacks, Markup.Of($"""
            <h1>Postback not found</h1>
            <p role="alert">No postback set has the id '{id}'. <a href="{page.Url("postbacks")}">Back to the postbacks</a></p>
            """), StatusCodes.Status404NotFound);

    private static IResult ReportNotFound(DashboardPage page, PostbackSet set, string rid) =>
        page.Render("Report not found", NavSection.Postbacks, Markup.Of($"""
            <h1>Report not found</h1>
            <p role="alert">The postback set '{set.Name}' has no reconciliation '{rid}'. <a href="{page.Url($"postbacks/{Uri.EscapeDataString(set.Id)}/reconciliation")}">Back to its reports</a></p>
            """), StatusCodes.Status404NotFound);

    private sealed record Form(string? From, string? To)
    {
        public Dictionary<string, string>? Errors { get; init; }
    }

    // The layout form's values by field name, and its errors when a save was refused (then the values are the posted ones).
    private sealed record LayoutForm(IReadOnlyDictionary<string, string> Values, IReadOnlyDictionary<string, string>? Errors);
}
