using Chatterfy.Postbacks.AspNetCore.Http;
using Chatterfy.Postbacks.Forwarding;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Chatterfy.Postbacks.AspNetCore.TrackerApi;

/// <summary>
/// <c>/forwarding-rules</c>: create, list, get and delete forwarding rules. Mapped only when <c>AddForwarding()</c>
/// registered <see cref="ForwardingRuleService"/>. Secrets are write-only: every answer carries
/// <see cref="ForwardingRuleService.MaskSecrets"/>, never the stored settings.
/// </summary>
internal static class ForwardingRuleEndpoints
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapPost("/forwarding-rules", CreateAsync)
            .Accepts<CreateForwardingRuleRequest>(JsonBody.MediaType)
            .WithSummary("Creates a forwarding rule for a postback set or a campaign; its settings' secrets are never returned.");
        group.MapGet("/forwarding-rules", ListAsync)
            .WithSummary("Lists the forwarding rules, oldest first, secrets masked.");
        group.MapGet("/forwarding-rules/{id}", GetAsync)
            .WithSummary("Gets a forwarding rule, secrets masked.");
        group.MapDelete("/forwarding-rules/{id}", DeleteAsync)
            .WithSummary("Deletes a forwarding rule; its pending outbox messages are dead-lettered when the dispatcher meets them.");
    }

    private static async Task<Results<JsonCreated<ForwardingRuleResponse>, ProblemHttpResult>> CreateAsync(
        HttpContext context,
        ForwardingRuleService rules,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonRequest.ReadAsync(context, ChatterfyJson.Context.CreateForwardingRuleRequest, optional: false).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        ForwardingRule rule;
        try
        {
            rule = await rules.CreateAsync(
                new NewForwardingRule
                {
                    Name = body!.Name,
                    SetId = body.SetId,
                    CampaignId = body.CampaignId,
                    DestinationId = body.Destination ?? "",
                    Settings = body.Settings ?? default,
                    Filter = new ForwardingRuleFilter
                    {
                        Events = body.Events,
                        DepositNumber = body.DepositNumber is { } range ? new DepositNumberRange { Min = range.Min, Max = range.Max } : null,
                        Statuses = body.Statuses,
                    },
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (ForwardingRuleValidationException ex)
        {
            return Problems.Validation(ex.Errors, code: Problems.ForwardingRuleInvalidCode);
        }

        return new JsonCreated<ForwardingRuleResponse>(
            TrackerApiEndpoints.ChildLocation(context.Request, rule.Id),
            Response(rules, rule),
            ChatterfyJson.Context.ForwardingRuleResponse);
    }

    private static async Task<JsonOk<ForwardingRuleListResponse>> ListAsync(ForwardingRuleService rules, CancellationToken cancellationToken)
    {
        var all = await rules.ListAsync(cancellationToken).ConfigureAwait(false);
        return new JsonOk<ForwardingRuleListResponse>(
            new ForwardingRuleListResponse([.. all.Select(rule => Response(rules, rule))]),
            ChatterfyJson.Context.ForwardingRuleListResponse);
    }

    private static async Task<Results<JsonOk<ForwardingRuleResponse>, ProblemHttpResult>> GetAsync(string id, ForwardingRuleService rules, CancellationToken cancellationToken)
    {
        var rule = await rules.GetAsync(id, cancellationToken).ConfigureAwait(false);
        return rule is null
            ? NotFound(id)
            : new JsonOk<ForwardingRuleResponse>(Response(rules, rule), ChatterfyJson.Context.ForwardingRuleResponse);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string id, ForwardingRuleService rules, CancellationToken cancellationToken)
    {
        var deleted = await rules.DeleteAsync(id, cancellationToken).ConfigureAwait(false);
        return deleted ? TypedResults.NoContent() : NotFound(id);
    }

    // The one place a rule becomes a body: the settings are always the masked copy.
    private static ForwardingRuleResponse Response(ForwardingRuleService rules, ForwardingRule rule) => new(
        rule.Id,
        rule.Name,
        rule.SetId,
        rule.CampaignId,
        rule.DestinationId,
        rules.MaskSecrets(rule),
        rule.CreatedAt.UtcDateTime,
        rule.Filter.Events,
        rule.Filter.DepositNumber is { } range ? new DepositNumberRangeBody(range.Min, range.Max) : null)
    {
        Statuses = rule.Filter.Statuses,
    };

    private static ProblemHttpResult NotFound(string id) => Problems.NotFound($"No forwarding rule has the id '{id}'.");
}
