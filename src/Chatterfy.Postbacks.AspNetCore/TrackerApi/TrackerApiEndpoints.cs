using System.Globalization;
using Chatterfy.Postbacks.AspNetCore.Diagnostics;
using Chatterfy.Postbacks.AspNetCore.Http;
using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Networks;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Storage;
using Chatterfy.Postbacks.Templates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Chatterfy.Postbacks.AspNetCore.TrackerApi;

/// <summary>
/// The tracker API: postback sets, clicks, links, stats, the postback log and replay, campaigns, the forwarding outbox and,
/// with forwarding, forwarding rules (docs/http-api.md).
/// </summary>
internal static class TrackerApiEndpoints
{
    private static readonly long MaxGracePeriodSeconds = (long)TimeSpan.FromDays(30).TotalSeconds;

    public static void Map(RouteGroupBuilder group, ILogger logger, bool withForwardingRules)
    {
        var outageLog = new StoreOutageLog(logger, "tracker API");
        group.AddEndpointFilter(async (context, next) =>
        {
            try
            {
                return await next(context).ConfigureAwait(false);
            }
            catch (PostbackStoreUnavailableException ex)
            {
                var problem = Problems.StoreUnavailable(context.HttpContext, ex, out var retryAfterSeconds);
                outageLog.Refused(ex, retryAfterSeconds, context.HttpContext.RequestServices);
                return problem;
            }
        });

        group.MapPost("/postback-sets", CreateSetAsync)
            .Accepts<CreatePostbackSetRequest>(JsonBody.MediaType)
            .WithSummary("Creates a postback set and returns its URLs.");
        group.MapGet("/postback-sets", ListSetsAsync)
            .WithSummary("Lists the postback sets, oldest first.");
        group.MapGet("/postback-sets/{id}", GetSetAsync)
            .WithSummary("Gets a postback set and its URLs.");
        group.MapPatch("/postback-sets/{id}", UpdateSetAsync)
            .Accepts<UpdatePostbackSetRequest>(JsonBody.MediaType)
            .WithSummary("Changes a postback set's name, settings or enabled flag.");
        group.MapDelete("/postback-sets/{id}", DeleteSetAsync)
            .WithSummary("Deletes a postback set; its URLs answer 404 at once.");
        group.MapPost("/postback-sets/{id}/rotate-token", RotateTokenAsync)
            .Accepts<RotateTokenRequest>(isOptional: true, JsonBody.MediaType)
            .WithSummary("Gives a postback set a new token, hence new URLs.");

        group.MapPost("/clicks", CreateClickAsync)
            .Accepts<CreateClickRequest>(JsonBody.MediaType)
            .WithSummary("Mints a click id and stores the click.");
        group.MapGet("/clicks/{clickId}", GetClickAsync)
            .WithSummary("Gets a click and the conversions reported for it.");
        group.MapDelete("/clicks/{clickId}/personal-data", ForgetClickPersonalDataAsync)
            .WithSummary("Erases a click's IP address and user agent.");

        group.MapPut("/subjects/{subjectId}/clicks/{campaignId}", GetOrCreateSubjectClickAsync)
            .Accepts<CreateClickRequest>(isOptional: true, JsonBody.MediaType)
            .WithSummary("Gets the click of a chat user in a campaign, binding the ?clickId= click or creating one the first time.");

        group.MapPost("/links", RenderLinkAsync)
            .Accepts<RenderLinkRequest>(JsonBody.MediaType)
            .WithSummary("Renders an affiliate link template for a click and checks it.");

        group.MapGet("/stats", GetStatsAsync)
            .WithSummary("Counts clicks and conversions and sums deposits per currency.");
        group.MapGet("/stats/daily", GetDailyStatsAsync)
            .WithSummary("Counts clicks, registrations, first deposits and deposits per UTC day.");

        group.MapGet("/postback-log", ListLogAsync)
            .WithSummary("Lists processed postback requests, newest first.");
        group.MapPost(
                "/postback-log/{id}/replay",
                (string id, PostbackLogService log, PostbackIngestor ingestor, CancellationToken cancellationToken) =>
                    ReplayAsync(id, log, ingestor, logger, cancellationToken))
            .WithSummary("Re-runs a logged postback request with the set's current settings.");

        ConversionEndpoints.Map(group);
        ReconciliationEndpoints.Map(group);
        CampaignEndpoints.Map(group);
        if (withForwardingRules)
        {
            ForwardingRuleEndpoints.Map(group);
        }

        OutboxEndpoints.Map(group);
    }

    // ---- postback sets -------------------------------------------------------------------------------------------

    private static async Task<Results<JsonCreated<PostbackSetResponse>, ProblemHttpResult>> CreateSetAsync(
        HttpContext context,
        PostbackSetService sets,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonRequest.ReadAsync(context, ChatterfyJson.Context.CreatePostbackSetRequest, optional: false).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (UpdatePostbackSetRequest.ReadStatusMap(body!.StatusMap, out var statusMap) is { } mapProblem)
        {
            return mapProblem;
        }

        PostbackSet set;
        try
        {
            set = await sets.CreateAsync(
                new NewPostbackSet { Name = body.Name ?? "", NetworkId = body.Network ?? "", CampaignId = body.CampaignId, Settings = body.Settings, AttributionWindowSeconds = body.AttributionWindowSeconds, StatusMap = statusMap },
                cancellationToken).ConfigureAwait(false);
        }
        catch (PostbackSetValidationException ex)
        {
            return Problems.Validation(ex.Errors);
        }

        return new JsonCreated<PostbackSetResponse>(
            ChildLocation(context.Request, set.Id),
            SetResponse(context.Request, sets, set),
            ChatterfyJson.Context.PostbackSetResponse);
    }

    private static async Task<JsonOk<PostbackSetListResponse>> ListSetsAsync(
        HttpContext context,
        PostbackSetService sets,
        CancellationToken cancellationToken)
    {
        var all = await sets.ListAsync(cancellationToken).ConfigureAwait(false);
        var items = all.Select(set => SetResponse(context.Request, sets, set)).ToArray();
        return new JsonOk<PostbackSetListResponse>(new PostbackSetListResponse(items), ChatterfyJson.Context.PostbackSetListResponse);
    }

    private static async Task<Results<JsonOk<PostbackSetResponse>, ProblemHttpResult>> GetSetAsync(
        string id,
        HttpContext context,
        PostbackSetService sets,
        CancellationToken cancellationToken)
    {
        var set = await sets.GetAsync(id, cancellationToken).ConfigureAwait(false);
        return set is null
            ? SetNotFound(id)
            : new JsonOk<PostbackSetResponse>(SetResponse(context.Request, sets, set), ChatterfyJson.Context.PostbackSetResponse);
    }

    private static async Task<Results<JsonOk<PostbackSetResponse>, ProblemHttpResult>> UpdateSetAsync(
        string id,
        HttpContext context,
        PostbackSetService sets,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonRequest.ReadAsync(context, ChatterfyJson.Context.UpdatePostbackSetRequest, optional: false).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (UpdatePostbackSetRequest.ReadStatusMap(body!.StatusMap, out var statusMap) is { } mapProblem)
        {
            return mapProblem;
        }

        PostbackSet? set;
        try
        {
            set = await sets.UpdateAsync(
                id,
                new PostbackSetChanges
                {
                    Name = body.Name,
                    Settings = body.Settings,
                    Enabled = body.Enabled,
                    AttributionWindowSeconds = body.AttributionWindowSeconds,
                    RemoveAttributionWindow = body.HasAttributionWindowSeconds && body.AttributionWindowSeconds is null,
                    StatusMap = statusMap,
                    ResetStatusMap = body.HasStatusMap && body.StatusMap is null,
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (PostbackSetValidationException ex)
        {
            return Problems.Validation(ex.Errors);
        }

        return set is null
            ? SetNotFound(id)
            : new JsonOk<PostbackSetResponse>(SetResponse(context.Request, sets, set), ChatterfyJson.Context.PostbackSetResponse);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteSetAsync(string id, PostbackSetService sets, CancellationToken cancellationToken)
    {
        var deleted = await sets.DeleteAsync(id, cancellationToken).ConfigureAwait(false);
        return deleted ? TypedResults.NoContent() : SetNotFound(id);
    }

    private static async Task<Results<JsonOk<PostbackSetResponse>, ProblemHttpResult>> RotateTokenAsync(
        string id,
        HttpContext context,
        PostbackSetService sets,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonRequest.ReadAsync(context, ChatterfyJson.Context.RotateTokenRequest, optional: true).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var seconds = body?.GracePeriodSeconds ?? 0;
        if (seconds < 0 || seconds > MaxGracePeriodSeconds)
        {
            return Problems.Validation("gracePeriodSeconds", $"The grace period is 0 to {MaxGracePeriodSeconds} seconds (30 days).");
        }

        var set = await sets.RotateTokenAsync(id, TimeSpan.FromSeconds(seconds), cancellationToken).ConfigureAwait(false);
        return set is null
            ? SetNotFound(id)
            : new JsonOk<PostbackSetResponse>(SetResponse(context.Request, sets, set), ChatterfyJson.Context.PostbackSetResponse);
    }

    // ---- clicks --------------------------------------------------------------------------------------------------

    private static async Task<Results<JsonCreated<ClickResponse>, ProblemHttpResult>> CreateClickAsync(
        HttpContext context,
        ClickService clicks,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonRequest.ReadAsync(context, ChatterfyJson.Context.CreateClickRequest, optional: false).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var details = ClickRequestValidator.Read(body!, out var ipError);
        if (ipError is not null)
        {
            // Every bad value in one answer: the core's rules, then the address.
            var errors = ClickValidator.Validate(details, ClickLimits.Default);
            errors["ip"] = [ipError];
            return Problems.Validation(errors);
        }

        Click click;
        try
        {
            click = await clicks.CreateAsync(details, cancellationToken).ConfigureAwait(false);
        }
        catch (ClickValidationException ex)
        {
            return Problems.Validation(ex.Errors);
        }

        return new JsonCreated<ClickResponse>(ChildLocation(context.Request, click.Id), Responses.Click(click), ChatterfyJson.Context.ClickResponse);
    }

    private static async Task<Results<JsonOk<ClickResponse>, ProblemHttpResult>> GetClickAsync(string clickId, ClickService clicks, CancellationToken cancellationToken)
    {
        var click = await clicks.FindAsync(clickId, cancellationToken).ConfigureAwait(false);
        if (click is null)
        {
            return ClickNotFound(clickId);
        }

        var conversions = await clicks.ListConversionsAsync(clickId, cancellationToken).ConfigureAwait(false);
        return new JsonOk<ClickResponse>(Responses.Click(click, conversions), ChatterfyJson.Context.ClickResponse);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> ForgetClickPersonalDataAsync(string clickId, ClickService clicks, CancellationToken cancellationToken)
    {
        var found = await clicks.ForgetPersonalDataAsync(clickId, cancellationToken).ConfigureAwait(false);
        return found ? TypedResults.NoContent() : ClickNotFound(clickId);
    }

    private static async Task<Results<JsonCreated<ClickResponse>, JsonOk<ClickResponse>, ProblemHttpResult>> GetOrCreateSubjectClickAsync(
        string subjectId,
        string campaignId,
        string? clickId,
        HttpContext context,
        ClickService clicks,
        CancellationToken cancellationToken)
    {
        // ?clickId= is the click a Telegram /start payload named: bound (keeping its fbclid, cookies, IP address and user
        // agent) unless the subject has a click in the campaign already. An unknown click id binds nothing of its own.
        if (clickId is { Length: > 0 } && await clicks.FindAsync(clickId, cancellationToken).ConfigureAwait(false) is { } named)
        {
            if (named.CampaignId != campaignId)
            {
                return Problems.Validation("clickId", $"The click belongs to campaign '{named.CampaignId}', not '{campaignId}'.");
            }

            try
            {
                var bound = await clicks.BindClickAsync(subjectId, named.Id, cancellationToken).ConfigureAwait(false);
                return new JsonOk<ClickResponse>(Responses.Click(bound!.Click), ChatterfyJson.Context.ClickResponse);
            }
            catch (ClickValidationException ex)
            {
                return Problems.Validation(ex.Errors);
            }
        }

        var (body, problem) = await JsonRequest.ReadAsync(context, ChatterfyJson.Context.CreateClickRequest, optional: true).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        // The body, when sent, is that of POST /clicks and is used only when a click is created.
        NewClick? details = null;
        if (body is not null)
        {
            details = ClickRequestValidator.Read(body, out var ipError);
            if (ipError is not null)
            {
                var errors = ClickValidator.Validate(details, ClickLimits.Default);
                errors["ip"] = [ipError];
                return Problems.Validation(errors);
            }
        }

        SubjectBinding binding;
        try
        {
            binding = await clicks.GetOrCreateForSubjectAsync(subjectId, campaignId, details, cancellationToken).ConfigureAwait(false);
        }
        catch (ClickValidationException ex)
        {
            return Problems.Validation(ex.Errors);
        }

        var response = Responses.Click(binding.Click);
        return binding.ClickCreated
            ? new JsonCreated<ClickResponse>(ClickLocation(context.Request, binding.Click.Id), response, ChatterfyJson.Context.ClickResponse)
            : new JsonOk<ClickResponse>(response, ChatterfyJson.Context.ClickResponse);
    }

    // ---- links ---------------------------------------------------------------------------------------------------

    private static async Task<Results<JsonOk<LinkResponse>, ProblemHttpResult>> RenderLinkAsync(
        HttpContext context,
        ClickService clicks,
        PostbackSetService sets,
        IAffiliateNetworkRegistry networks,
        IOptionsMonitor<ChatterfyPostbacksOptions> options,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonRequest.ReadAsync(context, ChatterfyJson.Context.RenderLinkRequest, optional: false).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (!LinkRequestValidator.TryValidate(body!, out var errors))
        {
            return Problems.Validation(errors);
        }

        Click? click;
        if (body!.ClickId is { } clickId)
        {
            click = await clicks.FindAsync(clickId, cancellationToken).ConfigureAwait(false);
            if (click is null)
            {
                return ClickNotFound(clickId);
            }
        }
        else
        {
            // A link for a chat user: {{chat.tracker.clickid}} (and {{tracker.clickid}}) render the subject's bound click.
            try
            {
                click = (await clicks.GetOrCreateForSubjectAsync(body.SubjectId!, body.CampaignId!, cancellationToken: cancellationToken).ConfigureAwait(false)).Click;
            }
            catch (ClickValidationException ex)
            {
                return Problems.Validation(ex.Errors);
            }
        }

        NetworkProfile? profile = null;
        if (body.SetId is { } setId)
        {
            var set = await sets.GetAsync(setId, cancellationToken).ConfigureAwait(false);
            if (set is null)
            {
                return SetNotFound(setId);
            }

            profile = TryGetProfile(networks, set);
        }

        var behavior = options.CurrentValue.UnknownMacros;
        var template = LinkTemplate.Parse(body.Template!, behavior);
        var values = TemplateValues.ForClick(click);
        LinkRequestValidator.Apply(body.Variables, values);
        LinkRenderResult rendered;
        try
        {
            rendered = template.Render(values);
        }
        catch (UnknownMacroException ex)
        {
            return Problems.UnknownMacro($"The macro {{{{{ex.MacroName}}}}} has no value: pass it in variables, or give the click the tracker field.");
        }

        var warnings = new List<WarningResponse>();
        foreach (var warning in AffiliateLinkChecker.Check(body.Template!, profile))
        {
            warnings.Add(new WarningResponse(warning.Code, warning.Message));
        }

        foreach (var macro in rendered.UnknownMacros)
        {
            var warning = AffiliateLinkChecker.UnknownMacro(macro, behavior);
            warnings.Add(new WarningResponse(warning.Code, warning.Message));
        }

        return new JsonOk<LinkResponse>(new LinkResponse(rendered.Value, warnings), ChatterfyJson.Context.LinkResponse);
    }

    // ---- stats and log -------------------------------------------------------------------------------------------

    private static async Task<Results<JsonOk<StatsResponse>, ProblemHttpResult>> GetStatsAsync(
        string? setId,
        string? campaignId,
        string? from,
        string? to,
        PostbackStatsService statistics,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var query = ReadStatsQuery(setId, campaignId, from, to, errors);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var stats = await statistics.GetAsync(query, cancellationToken).ConfigureAwait(false);
        return stats is null
            ? SetNotFound(query.SetId!)
            : new JsonOk<StatsResponse>(Responses.Stats(stats), ChatterfyJson.Context.StatsResponse);
    }

    private static async Task<Results<JsonOk<DailyStatsResponse>, ProblemHttpResult>> GetDailyStatsAsync(
        string? setId,
        string? campaignId,
        string? from,
        string? to,
        PostbackStatsService statistics,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var query = ReadStatsQuery(setId, campaignId, from, to, errors);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var days = await statistics.GetDailyAsync(query, cancellationToken).ConfigureAwait(false);
        return days is null
            ? SetNotFound(query.SetId!)
            : new JsonOk<DailyStatsResponse>(Responses.DailyStats(days), ChatterfyJson.Context.DailyStatsResponse);
    }

    private static async Task<Results<JsonOk<PostbackLogPageResponse>, ProblemHttpResult>> ListLogAsync(
        string? setId,
        string? outcome,
        string? code,
        string? from,
        string? to,
        string? limit,
        string? before,
        PostbackLogService log,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var (fromTime, toTime) = ParseRange(from, to, errors);
        PostbackOutcome? outcomeFilter = null;
        if (Blank(outcome) is { } outcomeText)
        {
            if (Responses.TryParseOutcome(outcomeText, out var parsed))
            {
                outcomeFilter = parsed;
            }
            else
            {
                errors["outcome"] = ["The outcome is one of accepted, duplicate, unattributed, rejected."];
            }
        }

        var pageSize = PostbackLogQuery.DefaultLimit;
        if (Blank(limit) is { } limitText
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > PostbackLogQuery.MaxLimit))
        {
            errors["limit"] = [$"The limit is a whole number from 1 to {PostbackLogQuery.MaxLimit}."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var entries = await log.ListAsync(
            new PostbackLogQuery
            {
                SetId = Blank(setId),
                Outcome = outcomeFilter,
                Code = Blank(code),
                From = fromTime,
                To = toTime,
                Limit = pageSize,
                BeforeId = Blank(before),
            },
            cancellationToken).ConfigureAwait(false);
        var next = entries.Count == pageSize ? entries[^1].Id : null;
        return new JsonOk<PostbackLogPageResponse>(
            new PostbackLogPageResponse([.. entries.Select(Responses.LogItem)], next),
            ChatterfyJson.Context.PostbackLogPageResponse);
    }

    private static async Task<Results<JsonOk<PostbackResultResponse>, ProblemHttpResult>> ReplayAsync(
        string id,
        PostbackLogService log,
        PostbackIngestor ingestor,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        var entry = await log.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (entry is null)
        {
            return Problems.NotFound($"No postback log entry has the id '{id}' (it may have been purged).");
        }

        var result = await ingestor.ReplayAsync(entry, cancellationToken).ConfigureAwait(false);
        if (!result.IsSetFound)
        {
            return Problems.NotFound($"The postback set '{entry.SetId}' of this entry was deleted or is disabled.");
        }

        Log.Replayed(logger, id, result.SetId, result.Outcome);

        return result.Outcome == PostbackOutcome.Rejected
            ? Problems.Rejected(result.Rejection!, result.Warnings)
            : new JsonOk<PostbackResultResponse>(Responses.Result(result), ChatterfyJson.Context.PostbackResultResponse);
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private static PostbackSetResponse SetResponse(HttpRequest request, PostbackSetService sets, PostbackSet set) =>
        Responses.Set(set, sets.GetUrls(set, request));

    private static NetworkProfile? TryGetProfile(IAffiliateNetworkRegistry networks, PostbackSet set)
    {
        try
        {
            return networks.GetProfile(set);
        }
        catch (Exception ex) when (ex is InvalidNetworkSettingsException or InvalidOperationException)
        {
            // The set's network was unregistered or its stored settings no longer bind: check the generic mistakes only.
            return null;
        }
    }

    // The click's own URL, {group}/clicks/{clickId}, from a request under {group}/subjects/….
    private static string ClickLocation(HttpRequest request, string clickId)
    {
        var path = request.Path.ToUriComponent();
        var group = path[..path.LastIndexOf("/subjects/", StringComparison.Ordinal)];
        return $"{request.PathBase.ToUriComponent()}{group}/clicks/{Uri.EscapeDataString(clickId)}";
    }

    internal static string ChildLocation(HttpRequest request, string id) =>
        $"{request.PathBase.ToUriComponent()}{request.Path.ToUriComponent().TrimEnd('/')}/{Uri.EscapeDataString(id)}";

    private static ProblemHttpResult SetNotFound(string id) => Problems.NotFound($"No postback set has the id '{id}'.");

    private static ProblemHttpResult ClickNotFound(string clickId) => Problems.NotFound($"No click has the id '{clickId}'.");

    internal static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    /// <summary>Reads the filters of <c>/stats</c> and <c>/stats/daily</c>, adding what is wrong to <paramref name="errors"/>.</summary>
    private static PostbackStatsQuery ReadStatsQuery(string? setId, string? campaignId, string? from, string? to, Dictionary<string, string[]> errors)
    {
        var (fromTime, toTime) = ParseRange(from, to, errors);
        return new PostbackStatsQuery { SetId = Blank(setId), CampaignId = Blank(campaignId), From = fromTime, To = toTime };
    }

    /// <summary>Reads the optional <c>from</c> (inclusive) and <c>to</c> (exclusive) of a time range, adding what is wrong to <paramref name="errors"/>.</summary>
    private static (DateTimeOffset? From, DateTimeOffset? To) ParseRange(string? from, string? to, Dictionary<string, string[]> errors)
    {
        var fromTime = ParseTime(from, "from", errors);
        var toTime = ParseTime(to, "to", errors);
        if (fromTime > toTime)
        {
            errors["to"] = ["'to' must not be before 'from'."];
        }

        return (fromTime, toTime);
    }

    private static DateTimeOffset? ParseTime(string? text, string field, Dictionary<string, string[]> errors)
    {
        if (Blank(text) is not { } value)
        {
            return null;
        }

        const DateTimeStyles Styles = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal;
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, Styles, out var parsed)
            || (value.Contains(' ', StringComparison.Ordinal)

                // An unencoded '+' of an offset arrives as a space: 2026-11-27T12:00:00+03:00.
                && DateTimeOffset.TryParse(value.Replace(' ', '+'), CultureInfo.InvariantCulture, Styles, out parsed)))
        {
            return parsed;
        }

        errors[field] = [$"'{field}' is not an ISO 8601 time, e.g. 2026-11-27T00:00:00Z."];
        return null;
    }
}
