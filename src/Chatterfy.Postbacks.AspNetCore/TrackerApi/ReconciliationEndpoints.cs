using System.Globalization;
using Chatterfy.Postbacks.AspNetCore.Http;
using Chatterfy.Postbacks.Reconciliation;
using Chatterfy.Postbacks.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace Chatterfy.Postbacks.AspNetCore.TrackerApi;

/// <summary>The reconciliation of a set against a network's conversion report (docs/reconciliation.md).</summary>
internal static class ReconciliationEndpoints
{
    private const int ListDefaultLimit = 20;

    public static void Map(RouteGroupBuilder group)
    {
        group.MapPost("/postback-sets/{id}/reconciliations", ReconcileAsync)
            .WithSummary("Compares a network's conversion report (CSV) with the set's stored conversions, and keeps the report.");
        group.MapGet("/postback-sets/{id}/reconciliations", ListAsync)
            .WithSummary("Lists the set's kept reports, newest first, without their row lists.");
        group.MapGet("/postback-sets/{id}/reconciliations/{rid}", GetAsync)
            .WithSummary("Gets a kept report.");
        group.MapPost("/postback-sets/{id}/reconciliations/{rid}/ingest", IngestAsync)
            .WithSummary("Ingests a kept report's missing-here rows through the normal pipeline; forwarded only with forward=true.");
        group.MapGet("/postback-sets/{id}/reconciliation-layout", GetLayoutAsync)
            .WithSummary("Gets the column layout the set's reports are read with.");
        group.MapPut("/postback-sets/{id}/reconciliation-layout", SetLayoutAsync)
            .Accepts<ReconciliationLayoutRequest>(JsonBody.MediaType)
            .WithSummary("Keeps the column layout the set's reports are read with.");
    }

    private static async Task<Results<JsonOk<ReconciliationLayout>, ProblemHttpResult>> GetLayoutAsync(string id, ReconciliationService reconciliation, CancellationToken cancellationToken)
    {
        var layout = await reconciliation.GetLayoutAsync(id, cancellationToken).ConfigureAwait(false);
        return layout is null ? SetNotFound(id) : new JsonOk<ReconciliationLayout>(layout, ChatterfyJson.Context.ReconciliationLayout);
    }

    private static async Task<Results<JsonOk<ReconciliationLayout>, ProblemHttpResult>> SetLayoutAsync(
        string id,
        HttpContext context,
        ReconciliationService reconciliation,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonRequest.ReadAsync(context, ChatterfyJson.Context.ReconciliationLayoutRequest, optional: false).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var generic = ReconciliationLayout.Generic;
        var layout = new ReconciliationLayout
        {
            ClickId = body!.ClickId ?? generic.ClickId,
            Event = body.Event ?? generic.Event,
            Amount = body.Amount ?? generic.Amount,
            Currency = body.Currency ?? generic.Currency,
            TransactionId = body.TransactionId ?? generic.TransactionId,
            Time = body.Time ?? generic.Time,
        };
        try
        {
            var kept = await reconciliation.SetLayoutAsync(id, layout, cancellationToken).ConfigureAwait(false);
            return kept is null ? SetNotFound(id) : new JsonOk<ReconciliationLayout>(kept, ChatterfyJson.Context.ReconciliationLayout);
        }
        catch (ReconciliationLayoutValidationException ex)
        {
            return Problems.Validation(ex.Errors);
        }
    }

    private static async Task<Results<JsonOk<ReconciliationPageResponse>, ProblemHttpResult>> ListAsync(
        string id,
        string? limit,
        string? before,
        ReconciliationService reconciliation,
        CancellationToken cancellationToken)
    {
        var pageSize = ListDefaultLimit;
        if (TrackerApiEndpoints.Blank(limit) is { } limitText
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > ReconciliationStore.MaxListLimit))
        {
            return Problems.Validation("limit", $"The limit is a whole number from 1 to {ReconciliationStore.MaxListLimit}.");
        }

        var items = await reconciliation.ListAsync(id, pageSize, TrackerApiEndpoints.Blank(before), cancellationToken).ConfigureAwait(false);
        return items is null
            ? SetNotFound(id)
            : new JsonOk<ReconciliationPageResponse>(new ReconciliationPageResponse(items, items.Count == pageSize ? items[^1].Id : null), ChatterfyJson.Context.ReconciliationPageResponse);
    }

    private static async Task<Results<JsonOk<ReconciliationReport>, ProblemHttpResult>> GetAsync(string id, string rid, ReconciliationService reconciliation, CancellationToken cancellationToken)
    {
        var report = await reconciliation.GetAsync(id, rid, cancellationToken).ConfigureAwait(false);
        return report is null
            ? Problems.NotFound($"The postback set '{id}' has no reconciliation '{rid}'.")
            : new JsonOk<ReconciliationReport>(report, ChatterfyJson.Context.ReconciliationReport);
    }

    private static async Task<Results<JsonOk<ReconciliationIngestResponse>, ProblemHttpResult>> IngestAsync(
        string id,
        string rid,
        string? forward,
        ReconciliationService reconciliation,
        CancellationToken cancellationToken)
    {
        var forwarding = false;
        if (TrackerApiEndpoints.Blank(forward) is { } forwardText && !bool.TryParse(forwardText, out forwarding))
        {
            return Problems.Validation("forward", "forward is true or false.");
        }

        var result = await reconciliation.IngestMissingAsync(id, rid, forwarding, cancellationToken).ConfigureAwait(false);
        return result is null
            ? Problems.NotFound($"No enabled postback set '{id}' has a reconciliation '{rid}'.")
            : new JsonOk<ReconciliationIngestResponse>(
                new ReconciliationIngestResponse(
                    result.ReconciliationId,
                    result.Forwarded,
                    result.Stored,
                    result.Duplicates,
                    result.Rejected,
                    [.. result.Items.Select(i => new ReconciliationIngestItemResponse(i.Line, Responses.Outcome(i.Outcome), i.ConversionId, i.Code))]),
                ChatterfyJson.Context.ReconciliationIngestResponse);
    }

    private static ProblemHttpResult SetNotFound(string id) => Problems.NotFound($"No postback set has the id '{id}'.");

    private static async Task<Results<JsonOk<ReconciliationReport>, ProblemHttpResult>> ReconcileAsync(
        string id,
        string? from,
        string? to,
        HttpRequest request,
        ReconciliationService reconciliation,
        CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType) || !mediaType.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase))
        {
            return Problems.ReportNotCsv();
        }

        if (request.ContentLength > ReconciliationService.MaxReportBytes)
        {
            return Problems.ReportTooLarge(ReconciliationService.MaxReportBytes);
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var start = Time(from, "from", errors);
        var end = Time(to, "to", errors);
        if (start > end)
        {
            errors["from"] = ["from must not be after to."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        // A chunked body has no length: the limit is enforced while it is read.
        using var body = new LimitedReadStream(request.Body, ReconciliationService.MaxReportBytes);
        try
        {
            var report = await reconciliation.ReconcileAsync(id, body, null, start, end, cancellationToken).ConfigureAwait(false);
            return report is null
                ? SetNotFound(id)
                : new JsonOk<ReconciliationReport>(report, ChatterfyJson.Context.ReconciliationReport);
        }
        catch (LimitedReadStream.LimitExceededException)
        {
            return Problems.ReportTooLarge(ReconciliationService.MaxReportBytes);
        }
        catch (ReconciliationFormatException exception)
        {
            return Problems.Validation("file", exception.Message);
        }
    }

    private static DateTimeOffset? Time(string? text, string field, Dictionary<string, string[]> errors)
    {
        if (TrackerApiEndpoints.Blank(text) is not { } value)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return time;
        }

        errors[field] = [$"{field} is an ISO 8601 time, e.g. 2026-11-27T00:00:00Z."];
        return null;
    }
}
