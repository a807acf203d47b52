using System.Globalization;
using Chatterfy.Postbacks.AspNetCore.Http;
using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Chatterfy.Postbacks.AspNetCore.TrackerApi;

/// <summary>The stored conversions: one by id, a newest-first list, the recompute of missing reporting amounts and a set's status remap (docs/http-api.md).</summary>
internal static class ConversionEndpoints
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/conversions", ListAsync)
            .WithSummary("Lists stored conversions, newest first.");
        group.MapGet("/conversions/{id}", GetAsync)
            .WithSummary("Gets a stored conversion, with its reporting amount.");
        group.MapPost("/conversions/reporting-amounts/recompute", RecomputeAsync)
            .WithSummary("Converts the stored amounts that have no reporting amount yet, now that rates exist.");
        group.MapPost("/postback-sets/{id}/statuses/remap", RemapAsync)
            .WithSummary("Applies the set's current status map to its stored conversions whose status word was unmapped.");
        group.MapGet("/subjects/{subjectId}/conversions", ListOfSubjectAsync)
            .WithSummary("Lists a chat user's conversions (of the clicks bound to it or carrying it), newest first.");
    }

    private static async Task<Results<JsonOk<ConversionResponse>, ProblemHttpResult>> GetAsync(string id, ConversionService conversions, CancellationToken cancellationToken)
    {
        var conversion = await conversions.GetAsync(id, cancellationToken).ConfigureAwait(false);
        return conversion is null
            ? Problems.NotFound($"No conversion has the id '{id}'.")
            : new JsonOk<ConversionResponse>(Responses.Conversion(conversion), ChatterfyJson.Context.ConversionResponse);
    }

    private static Task<Results<JsonOk<ConversionPageResponse>, ProblemHttpResult>> ListAsync(
        string? setId,
        string? clickId,
        string? status,
        string? limit,
        string? before,
        ConversionService conversions,
        CancellationToken cancellationToken) =>
        ListPageAsync(new ConversionListQuery { SetId = TrackerApiEndpoints.Blank(setId), ClickId = TrackerApiEndpoints.Blank(clickId) }, status, limit, before, conversions, cancellationToken);

    private static async Task<Results<JsonOk<ConversionPageResponse>, ProblemHttpResult>> ListOfSubjectAsync(
        string subjectId,
        string? limit,
        string? before,
        ConversionService conversions,
        CancellationToken cancellationToken)
    {
        if (!SubjectIds.IsValid(subjectId))
        {
            return Problems.Validation(new Dictionary<string, string[]>(StringComparer.Ordinal) { ["subjectId"] = [SubjectIds.Rule] });
        }

        return await ListPageAsync(new ConversionListQuery { SubjectId = subjectId }, status: null, limit, before, conversions, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<Results<JsonOk<ConversionPageResponse>, ProblemHttpResult>> ListPageAsync(
        ConversionListQuery filter,
        string? status,
        string? limit,
        string? before,
        ConversionService conversions,
        CancellationToken cancellationToken)
    {
        var pageSize = ConversionListQuery.DefaultLimit;
        if (TrackerApiEndpoints.Blank(limit) is { } limitText
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > ConversionListQuery.MaxLimit))
        {
            return Problems.Validation(new Dictionary<string, string[]>(StringComparer.Ordinal)
            {
                ["limit"] = [$"The limit is a whole number from 1 to {ConversionListQuery.MaxLimit}."],
            });
        }

        ConversionStatus? statusFilter = null;
        if (TrackerApiEndpoints.Blank(status) is { } statusText)
        {
            if (!ConversionStatusNames.TryParse(statusText, out var parsed))
            {
                return Problems.Validation(new Dictionary<string, string[]>(StringComparer.Ordinal)
                {
                    ["status"] = [$"The status is {string.Join(", ", ConversionStatusNames.All.Select(ConversionStatusNames.Name))}."],
                });
            }

            statusFilter = parsed;
        }

        var items = await conversions.ListAsync(
            filter with { Status = statusFilter, Limit = pageSize, BeforeId = TrackerApiEndpoints.Blank(before) },
            cancellationToken).ConfigureAwait(false);
        var next = items.Count == pageSize ? items[^1].Id : null;
        return new JsonOk<ConversionPageResponse>(
            new ConversionPageResponse([.. items.Select(Responses.Conversion)], next),
            ChatterfyJson.Context.ConversionPageResponse);
    }

    private static async Task<JsonOk<RecomputeResponse>> RecomputeAsync(ConversionService conversions, CancellationToken cancellationToken)
    {
        var recomputed = await conversions.RecomputeReportingAmountsAsync(cancellationToken).ConfigureAwait(false);
        return new JsonOk<RecomputeResponse>(new RecomputeResponse(recomputed), ChatterfyJson.Context.RecomputeResponse);
    }

    private static async Task<Results<JsonOk<RemapResponse>, ProblemHttpResult>> RemapAsync(string id, PostbackIngestor ingestor, CancellationToken cancellationToken)
    {
        var remapped = await ingestor.RemapStatusesAsync(id, cancellationToken).ConfigureAwait(false);
        return remapped is { } count
            ? new JsonOk<RemapResponse>(new RemapResponse(count), ChatterfyJson.Context.RemapResponse)
            : Problems.NotFound($"No postback set has the id '{id}'.");
    }
}
