using Chatterfy.Postbacks.AspNetCore.Http;
using Chatterfy.Postbacks.Campaigns;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Chatterfy.Postbacks.AspNetCore.TrackerApi;

/// <summary><c>/campaigns</c>: create, list, get, replace and delete campaigns, whose destinations the click redirect renders.</summary>
internal static class CampaignEndpoints
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapPost("/campaigns", CreateAsync)
            .Accepts<CreateCampaignRequest>(JsonBody.MediaType)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Creates a campaign with the destination its click redirect sends visitors to.");
        group.MapGet("/campaigns", ListAsync)
            .WithSummary("Lists the campaigns by id.");
        group.MapGet("/campaigns/{id}", GetAsync)
            .WithSummary("Gets a campaign.");
        group.MapPut("/campaigns/{id}", UpdateAsync)
            .Accepts<UpdateCampaignRequest>(JsonBody.MediaType)
            .WithSummary("Replaces a campaign's name and destination.");
        group.MapDelete("/campaigns/{id}", DeleteAsync)
            .WithSummary("Deletes a campaign; its redirect answers 404 at once, its clicks and rules are kept.");
    }

    private static async Task<Results<JsonCreated<CampaignResponse>, ProblemHttpResult>> CreateAsync(
        HttpContext context,
        CampaignService campaigns,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonRequest.ReadAsync(context, ChatterfyJson.Context.CreateCampaignRequest, optional: false).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var id = body!.Id ?? "";
        Campaign campaign;
        try
        {
            campaign = await campaigns.CreateAsync(
                new NewCampaign { Id = id, Name = body.Name, DestinationTemplate = body.Destination ?? "", AttributionWindowSeconds = body.AttributionWindowSeconds },
                cancellationToken).ConfigureAwait(false);
        }
        catch (CampaignValidationException ex)
        {
            // The service reports a taken id as the only error, on "id" (it checks a valid request against the store, and
            // reports a lost race the same way): for a well-formed id, that means the id exists.
            return CampaignService.IsValidId(id) && ex.Errors.Count == 1 && ex.Errors.ContainsKey("id")
                ? Problems.Conflict($"A campaign with id '{id}' exists; change it with PUT or choose another id.", Problems.CampaignExistsCode)
                : Problems.Validation(ex.Errors, code: Problems.CampaignInvalidCode);
        }

        return new JsonCreated<CampaignResponse>(
            TrackerApiEndpoints.ChildLocation(context.Request, campaign.Id),
            Response(campaign),
            ChatterfyJson.Context.CampaignResponse);
    }

    private static async Task<JsonOk<CampaignListResponse>> ListAsync(CampaignService campaigns, CancellationToken cancellationToken)
    {
        var all = await campaigns.ListAsync(cancellationToken).ConfigureAwait(false);
        return new JsonOk<CampaignListResponse>(new CampaignListResponse([.. all.Select(Response)]), ChatterfyJson.Context.CampaignListResponse);
    }

    private static async Task<Results<JsonOk<CampaignResponse>, ProblemHttpResult>> GetAsync(string id, CampaignService campaigns, CancellationToken cancellationToken)
    {
        var campaign = await campaigns.GetAsync(id, cancellationToken).ConfigureAwait(false);
        return campaign is null ? NotFound(id) : new JsonOk<CampaignResponse>(Response(campaign), ChatterfyJson.Context.CampaignResponse);
    }

    private static async Task<Results<JsonOk<CampaignResponse>, ProblemHttpResult>> UpdateAsync(
        string id,
        HttpContext context,
        CampaignService campaigns,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonRequest.ReadAsync(context, ChatterfyJson.Context.UpdateCampaignRequest, optional: false).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        // No campaign can have a malformed id: that is a 404, not an "id" error of a body that has no id.
        if (!CampaignService.IsValidId(id))
        {
            return NotFound(id);
        }

        Campaign? campaign;
        try
        {
            campaign = await campaigns.UpdateAsync(
                new NewCampaign { Id = id, Name = body!.Name, DestinationTemplate = body.Destination ?? "", AttributionWindowSeconds = body.AttributionWindowSeconds },
                cancellationToken).ConfigureAwait(false);
        }
        catch (CampaignValidationException ex)
        {
            return Problems.Validation(ex.Errors, code: Problems.CampaignInvalidCode);
        }

        return campaign is null ? NotFound(id) : new JsonOk<CampaignResponse>(Response(campaign), ChatterfyJson.Context.CampaignResponse);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string id, CampaignService campaigns, CancellationToken cancellationToken)
    {
        var deleted = await campaigns.DeleteAsync(id, cancellationToken).ConfigureAwait(false);
        return deleted ? TypedResults.NoContent() : NotFound(id);
    }

    private static CampaignResponse Response(Campaign campaign) =>
        new(campaign.Id, campaign.Name, campaign.DestinationTemplate, campaign.CreatedAt.UtcDateTime, campaign.AttributionWindowSeconds);

    private static ProblemHttpResult NotFound(string id) => Problems.NotFound($"No campaign has the id '{id}'.");
}
