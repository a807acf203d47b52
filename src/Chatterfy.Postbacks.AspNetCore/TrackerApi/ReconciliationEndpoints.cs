using System.Globalization;
using Chatterfy.Postbacks.AspNetCore.Http;
using Chatterfy.Postbacks.Reconciliation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace Chatterfy.Postbacks.AspNetCore.TrackerApi;

/// <summary>The reconciliation of a set against a network's conversion report (docs/reconciliation.md).</summary>
internal static class ReconciliationEndpoints
{
    public static void Map(RouteGroupBuilder group) =>
        group.MapPost("/postback-sets/{id}/reconciliations", ReconcileAsync)
            .WithSummary("Compares a network's conversion report (CSV) with the set's stored conversions.");

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
                ? Problems.NotFound($"No postback set has the id '{id}'.")
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
