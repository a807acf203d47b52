using System.Diagnostics;
using System.Net;
using Chatterfy.Postbacks.AspNetCore.Diagnostics;
using Chatterfy.Postbacks.AspNetCore.Http;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Chatterfy.Postbacks.AspNetCore.Receiver;

/// <summary>
/// The receiver endpoint: turns one HTTP request into a <see cref="PostbackRequest"/>, runs it through
/// <see cref="PostbackIngestor"/> and maps the outcome to the status codes of the HTTP contract.
/// </summary>
internal sealed class PostbackReceiver(PostbackTelemetry telemetry, ILogger logger, IServiceProvider services)
{
    public const string EventRouteValue = "event";

    private readonly StoreOutageLog _outageLog = new(logger, "postback receiver");

    // The SDK's singletons, taken from the root provider on first use (not when mapping, so that a misconfigured store
    // still fails when the host starts, as before). Taking them as handler parameters would resolve them from
    // HttpContext.RequestServices, which creates and disposes a service scope for every postback.
    private PostbackIngestor? _ingestor;
    private TimeProvider? _timeProvider;

    public async Task<Results<JsonOk<PostbackResultResponse>, ProblemHttpResult, NotFound>> HandleAsync(HttpContext context, string token)
    {
        var ingestor = _ingestor ??= services.GetRequiredService<PostbackIngestor>();
        var timeProvider = _timeProvider ??= services.GetRequiredService<TimeProvider>();
        var request = context.Request;
        var eventSegment = request.RouteValues.TryGetValue(EventRouteValue, out var value) ? value as string : null;
        string? body = null;
        if (HttpMethods.IsPost(request.Method))
        {
            var (tooLarge, text, unreadable) = await PostbackBodyReader.ReadAsync(context).ConfigureAwait(false);
            if (unreadable is not null)
            {
                return unreadable;
            }

            if (tooLarge)
            {
                Log.BodyTooLarge(logger, PostbackBodyReader.Limit);
                telemetry.Record(PostbackTelemetry.OutcomeTooLarge, PostbackTelemetry.NetworkUnknown, PostbackTelemetry.EventTag(null, eventSegment), elapsed: null);
                return Problems.BodyTooLarge(PostbackBodyReader.Limit);
            }

            body = text;
        }

        var postback = new PostbackRequest
        {
            Method = request.Method,
            Path = request.PathBase.Add(request.Path).Value ?? "",
            EventSegment = eventSegment,
            QueryString = request.QueryString.Value ?? "",
            Body = body,
            ContentType = body is null ? null : request.ContentType,
            RemoteAddress = Normalize(context.Connection.RemoteIpAddress),
        };

        using var activity = PostbackTelemetry.ActivitySource.StartActivity(ChatterfyPostbacksTelemetry.IngestActivityName, ActivityKind.Internal);
        var started = timeProvider.GetTimestamp();
        PostbackIngestionResult result;
        try
        {
            result = await ingestor.IngestAsync(token, postback, context.RequestAborted).ConfigureAwait(false);
        }
        catch (PostbackStoreUnavailableException ex)
        {
            var problem = Problems.StoreUnavailable(context, ex, out var retryAfterSeconds);
            _outageLog.Refused(ex, retryAfterSeconds, services);
            telemetry.Record(
                PostbackTelemetry.OutcomeUnavailable,
                PostbackTelemetry.NetworkUnknown,
                PostbackTelemetry.EventTag(null, eventSegment),
                timeProvider.GetElapsedTime(started));
            activity?.SetTag("chatterfy.postbacks.outcome", PostbackTelemetry.OutcomeUnavailable);
            activity?.SetStatus(ActivityStatusCode.Error, "The postback store is unavailable.");
            return problem;
        }

        var elapsed = timeProvider.GetElapsedTime(started);
        var outcome = result.IsSetFound ? PostbackTelemetry.OutcomeTag(result.Outcome) : PostbackTelemetry.OutcomeNotFound;
        var network = result.NetworkId ?? PostbackTelemetry.NetworkUnknown;
        var eventTag = PostbackTelemetry.EventTag(result, eventSegment);
        telemetry.Record(outcome, network, eventTag, elapsed);
        if (activity is not null)
        {
            activity.SetTag("chatterfy.postbacks.outcome", outcome);
            activity.SetTag("chatterfy.postbacks.network", network);
            activity.SetTag("chatterfy.postbacks.event", eventTag);
            activity.SetTag("chatterfy.postbacks.set_id", result.SetId);
            activity.SetTag("chatterfy.postbacks.conversion_id", result.ConversionId);
            activity.SetTag("chatterfy.postbacks.rejection_code", result.Rejection?.Code);
        }

        if (!result.IsSetFound)
        {
            // Unknown, disabled or rotated-away token: nothing stored, nothing logged, nothing said.
            return TypedResults.NotFound();
        }

        if (result.Outcome == PostbackOutcome.Rejected)
        {
            return Problems.Rejected(result.Rejection!, result.Warnings);
        }

        // IngestAsync returned, so the store has committed: only now may the network hear 200.
        return new JsonOk<PostbackResultResponse>(Responses.Result(result), ChatterfyJson.Context.PostbackResultResponse);
    }

    // A dual-mode socket reports IPv4 callers as ::ffff:a.b.c.d; the log and the parser want the plain address.
    private static IPAddress? Normalize(IPAddress? address) =>
        address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;
}
