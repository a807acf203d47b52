using Chatterfy.Postbacks.Dashboard.Html;
using Chatterfy.Postbacks.Dashboard.Layout;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Reconciliation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Chatterfy.Postbacks.Dashboard.Pages.Reconciliation;

/// <summary>
/// A set's Reconciliation page: upload the network's conversion report (CSV, at most
/// <see cref="ReconciliationService.MaxReportBytes"/>) and see it compared with the set's stored conversions
/// (<see cref="ReconciliationService"/>). The comparison changes nothing, so the post answers the report itself.
/// </summary>
internal static class ReconciliationPages
{
    /// <summary>The file field's name.</summary>
    private const string FileField = "report";

    /// <summary>Maps the page and its upload.</summary>
    /// <param name="group">The dashboard's route group.</param>
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/postbacks/{id}/reconciliation", ShowAsync);

        // The upload is a multipart form: each part (the file) is read up to the report's limit, the file part buffered
        // to disk beyond 64 KB by ASP.NET Core's form reader, then streamed to the reconciliation once.
        group.MapPost("/postbacks/{id}/reconciliation", UploadAsync)
            .WithFormOptions(multipartBodyLengthLimit: ReconciliationService.MaxReportBytes);
    }

    private static async Task<IResult> ShowAsync(HttpContext context, string id, PostbackSetService sets, CancellationToken cancellationToken)
    {
        var page = DashboardPage.For(context);
        var set = await sets.GetAsync(id, cancellationToken).ConfigureAwait(false);
        return set is null ? NotFound(page, id) : page.Render($"Reconcile {set.Name}", NavSection.Postbacks, Body(page, set, new Form(null, null), Markup.Empty));
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
        var from = Time(form.From, "from", errors);
        var to = Time(form.To, "to", errors);
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
            return page.Render($"Reconcile {set.Name}", NavSection.Postbacks, Body(page, set, form with { Errors = errors }, Markup.Empty), StatusCodes.Status400BadRequest);
        }

        try
        {
            var stream = file!.OpenReadStream();
            await using (stream.ConfigureAwait(false))
            {
                var report = await reconciliation.ReconcileAsync(set.Id, stream, null, from, to, cancellationToken).ConfigureAwait(false);
                return report is null
                    ? NotFound(page, id)
                    : page.Render($"Reconcile {set.Name}", NavSection.Postbacks, Body(page, set, form, ReconciliationReportView.Write(page, report)));
            }
        }
        catch (ReconciliationFormatException exception)
        {
            errors[FileField] = exception.Message;
            return page.Render($"Reconcile {set.Name}", NavSection.Postbacks, Body(page, set, form with { Errors = errors }, Markup.Empty), StatusCodes.Status400BadRequest);
        }
    }

    private static Markup Body(DashboardPage page, PostbackSet set, Form form, Markup report)
    {
        var layout = ReconciliationLayout.Generic;
        var limitMb = ReconciliationService.MaxReportBytes / (1024 * 1024);
        return Markup.Of($"""
            <h1>Reconcile {set.Name}</h1>
            <p>Compare the network's own conversion report with the conversions this set stored: which rows match, which the network has and no postback brought (missing here), which are stored here and not in the report (missing there), and where the amount or currency differs. Nothing is changed.</p>
            {report}
            <h2 id="reconcile-upload-heading">Upload the network's report</h2>
            <form method="post" enctype="multipart/form-data" action="{page.Url("postbacks/" + Uri.EscapeDataString(set.Id) + "/reconciliation")}" class="stack" id="reconcile-form">
            {page.AntiforgeryField()}
            <label for="reconcile-file">Network's report (CSV, at most {limitMb} MB)</label>
            <p class="hint" id="reconcile-file-hint">A header row, then one row per conversion, with the columns <code>{layout.ClickId}</code>, <code>{layout.Event}</code>, <code>{layout.Amount}</code>, <code>{layout.Currency}</code>, <code>{layout.TransactionId}</code>, <code>{layout.Time}</code> (ISO 8601).</p>
            <input type="file" id="reconcile-file" name="report" accept=".csv,text/csv" required{Described(form, FileField, "reconcile-file-hint")}>{Error(form, FileField)}
            <label for="reconcile-from">From (UTC, optional)</label>
            <input type="datetime-local" id="reconcile-from" name="from" value="{form.From}"{Described(form, "from", null)}>{Error(form, "from")}
            <label for="reconcile-to">To (UTC, optional)</label>
            <p class="hint" id="reconcile-to-hint">Without a range, the report's first and last times.</p>
            <input type="datetime-local" id="reconcile-to" name="to" value="{form.To}"{Described(form, "to", "reconcile-to-hint")}>{Error(form, "to")}
            <button type="submit" id="reconcile-submit">Reconcile</button>
            </form>
            <p><a href="{page.Url("postbacks/" + Uri.EscapeDataString(set.Id))}">Back to {set.Name}</a></p>
            """);
    }

    // An input's aria-describedby (its hint, and its error when it has one) and aria-invalid.
    private static Markup Described(Form form, string name, string? hintId)
    {
        var hasError = form.Errors?.ContainsKey(name) == true;
        var ids = string.Join(' ', new[] { hintId, hasError ? $"reconcile-{name}-error" : null }.OfType<string>());
        var describedBy = ids.Length > 0 ? Markup.Of($" aria-describedby=\"{ids}\"") : Markup.Empty;
        return Markup.Of($"{describedBy}{Markup.If(hasError, Markup.Of($" aria-invalid=\"true\""))}");
    }

    private static Markup Error(Form form, string name) => form.Errors?.GetValueOrDefault(name) is { } error
        ? Markup.Of($"""<span class="error" role="alert" id="reconcile-{name}-error">{error}</span>""")
        : Markup.Empty;

    private static DateTimeOffset? Time(string? text, string field, Dictionary<string, string> errors)
    {
        if (text is null)
        {
            return null;
        }

        if (FormText.TryParseUtcTime(text, out var time))
        {
            return time;
        }

        errors[field] = FormText.UtcTimeError;
        return null;
    }

    private static IResult NotFound(DashboardPage page, string id) =>
        page.Render("Postback not found", NavSection.Postbacks, Markup.Of($"""
            <h1>Postback not found</h1>
            <p role="alert">No postback set has the id '{id}'. <a href="{page.Url("postbacks")}">Back to the postbacks</a></p>
            """), StatusCodes.Status404NotFound);

    private sealed record Form(string? From, string? To)
    {
        public Dictionary<string, string>? Errors { get; init; }
    }
}
