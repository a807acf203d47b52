using System.Diagnostics.CodeAnalysis;
using Chatterfy.Postbacks;
using Chatterfy.Postbacks.AspNetCore.Diagnostics;
using Chatterfy.Postbacks.AspNetCore.Http;
using Chatterfy.Postbacks.AspNetCore.Receiver;
using Chatterfy.Postbacks.AspNetCore.Redirect;
using Chatterfy.Postbacks.AspNetCore.TrackerApi;
using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.PostbackSets;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the Chatterfy postback receiver and tracker API (see <c>docs/http-api.md</c>).</summary>
public static class ChatterfyPostbacksEndpointRouteBuilderExtensions
{
    /// <summary>The default route prefix of the tracker API.</summary>
    public const string DefaultTrackerApiPrefix = "/api/tracker";

    /// <summary>The default route prefix of the click redirect.</summary>
    public const string DefaultClickRedirectPrefix = "/api/go";

    private static readonly string[] ReceiverMethods = [HttpMethods.Get, HttpMethods.Post];

    /// <summary>
    /// Maps the anonymous postback receiver that affiliate networks call: <c>GET</c> and <c>POST</c> on
    /// <c>{prefix}/{token}</c> and <c>{prefix}/{token}/{event}</c> (including the Chatterfy-compatible
    /// <c>{prefix}/{token}/tracker-postback</c>).
    /// </summary>
    /// <remarks>
    /// <para>
    /// Answers 200 only after the store committed; 400 <c>application/problem+json</c> with the rejection <c>code</c>;
    /// 404 with an empty body for an unknown, disabled or rotated-away token; 405 for other methods; 413 for a body
    /// over 16 KiB; 400 <c>body_unreadable</c> (or the server's 408) for a body that cannot be read; 503 with
    /// <c>Retry-After</c> when the store is unavailable.
    /// </para>
    /// <para>
    /// The endpoints allow anonymous access: the secret token in the URL authenticates the network, which cannot send
    /// credentials, so a fallback authorization policy must not lock it out. Add rate limiting or IP filtering on the
    /// returned builder. The remote address is <c>HttpContext.Connection.RemoteIpAddress</c>: behind a proxy, configure
    /// the forwarded-headers middleware.
    /// </para>
    /// </remarks>
    /// <param name="endpoints">The endpoint route builder, usually the <c>WebApplication</c>.</param>
    /// <param name="prefix">
    /// The route prefix, or <see langword="null"/> for <see cref="ChatterfyPostbacksOptions.ReceiverPathPrefix"/>
    /// (default <c>/api/postbacks</c>). Generated postback URLs always use that option, so map a different prefix only
    /// in addition to it (e.g. an old path that networks still call).
    /// </param>
    /// <returns>The route group, for conventions such as <c>.RequireRateLimiting(…)</c>.</returns>
    /// <exception cref="InvalidOperationException"><c>AddChatterfyPostbacks()</c> was not called.</exception>
    public static RouteGroupBuilder MapChatterfyPostbacks(this IEndpointRouteBuilder endpoints, [StringSyntax("Route")] string? prefix = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        EnsureServices(endpoints, nameof(MapChatterfyPostbacks));
        prefix ??= endpoints.ServiceProvider.GetRequiredService<IOptions<ChatterfyPostbacksOptions>>().Value.ReceiverPathPrefix;

        var receiver = new PostbackReceiver(PostbackTelemetry.For(endpoints.ServiceProvider), CreateLogger(endpoints), endpoints.ServiceProvider);
        var group = endpoints.MapGroup(prefix);
        group.AllowAnonymous()
            .WithTags("Chatterfy postback receiver")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapMethods("/{token}", ReceiverMethods, receiver.HandleAsync)
            .WithSummary("Receives a postback on a set's bare URL: the event comes from parameters or network flags.");
        group.MapMethods($"/{{token}}/{{{PostbackReceiver.EventRouteValue}}}", ReceiverMethods, receiver.HandleAsync)
            .WithSummary($"Receives a postback for the event in the path ({PostbackEvent.Registration.Name}, {PostbackEvent.FirstDeposit.Name}, {PostbackEvent.Deposit.Name}, a custom name) or {PostbackParser.TrackerPostbackSegment}.");
        return group;
    }

    /// <summary>
    /// Maps the tracker API: postback sets, clicks, affiliate links, stats, the postback log and replay, campaigns, the
    /// forwarding outbox and, when <c>AddForwarding()</c> was called before mapping, forwarding rules. It carries no
    /// authorization of its own: protect it on the returned builder, e.g. with the API-key scheme
    /// (<c>services.AddAuthentication(ChatterfyApiKeyDefaults.AuthenticationScheme).AddChatterfyApiKey(…)</c>) and
    /// <c>.RequireAuthorization()</c>.
    /// </summary>
    /// <remarks>
    /// <c>/forwarding-rules</c> is mapped only when <see cref="ForwardingRuleService"/> is registered at the time of this
    /// call (it answers 404 otherwise). Forwarding rule settings are write-only: answers carry them with secrets masked.
    /// </remarks>
    /// <param name="endpoints">The endpoint route builder, usually the <c>WebApplication</c>.</param>
    /// <param name="prefix">The route prefix, or <see langword="null"/> for <see cref="DefaultTrackerApiPrefix"/> (<c>/api/tracker</c>).</param>
    /// <returns>The route group, for conventions such as <c>.RequireAuthorization(…)</c> or endpoint filters.</returns>
    /// <exception cref="InvalidOperationException"><c>AddChatterfyPostbacks()</c> was not called.</exception>
    public static RouteGroupBuilder MapChatterfyTrackerApi(this IEndpointRouteBuilder endpoints, [StringSyntax("Route")] string? prefix = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        EnsureServices(endpoints, nameof(MapChatterfyTrackerApi));

        var group = endpoints.MapGroup(prefix ?? DefaultTrackerApiPrefix);
        group.WithTags("Chatterfy tracker API")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithMetadata(new ResponseTypeMetadata(StatusCodes.Status415UnsupportedMediaType, null))
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        TrackerApiEndpoints.Map(group, CreateLogger(endpoints), IsService(endpoints, typeof(ForwardingRuleService)));
        return group;
    }

    /// <summary>
    /// Maps the public click redirect, <c>GET {prefix}/{campaignId}</c>: for a known campaign it stores a click and answers
    /// 302 to the campaign's destination rendered for that click (e.g. <c>https://t.me/mybot?start={{tracker.clickid}}</c>),
    /// with <c>Cache-Control: no-store</c> and <c>Referrer-Policy: no-referrer</c>. The click is stored only when the
    /// visitor is redirected. An unknown campaign answers 404 and stores nothing; the store being unavailable answers 503
    /// with <c>Retry-After</c>.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The click takes the campaign id; the client IP from <c>HttpContext.Connection.RemoteIpAddress</c> (behind a proxy,
    /// configure the forwarded-headers middleware, which decides whose <c>X-Forwarded-For</c> to trust); the
    /// <c>User-Agent</c> (cut at 1,024 characters); the <c>fbclid</c> query parameter (printable ASCII, at most 500
    /// characters); the <c>_fbc</c> and <c>_fbp</c> cookies when they have Meta's format; the <c>Referer</c> as event source
    /// URL when it is an absolute http(s) URL of at most 2,048 characters; and the other query parameters (e.g.
    /// <c>utm_source</c>) as tracker fields: keys of 1 to 64 of <c>A-Z a-z 0-9 _ . -</c>, values of 1 to 256 characters
    /// without control characters, at most 20, the first value of a repeated key. Anything else is ignored, never refused:
    /// a visitor always gets to the destination.
    /// </para>
    /// <para>
    /// <c>Location</c> is at most <see cref="Chatterfy.Postbacks.Campaigns.CampaignService.MaxLocationLength"/> characters: a field whose
    /// encoded value would push it past that renders empty (logged once per redirect, without the value). A destination
    /// saved by an earlier version with a macro in its host renders that macro empty (logged as a warning); one that then
    /// renders to no URL answers 404 and stores no click.
    /// </para>
    /// <para>
    /// Only <c>GET</c> is mapped: <c>HEAD</c> answers 405 and creates no click. Every <c>GET</c> creates a click, including
    /// those of link-preview crawlers and browser prefetches; add bot filtering, if needed, as an endpoint filter on the
    /// returned builder. The endpoints allow anonymous access; add rate limiting on the returned builder.
    /// </para>
    /// </remarks>
    /// <param name="endpoints">The endpoint route builder, usually the <c>WebApplication</c>.</param>
    /// <param name="prefix">The route prefix, or <see langword="null"/> for <see cref="DefaultClickRedirectPrefix"/> (<c>/api/go</c>).</param>
    /// <returns>The route group, for conventions such as <c>.RequireRateLimiting(…)</c>.</returns>
    /// <exception cref="InvalidOperationException"><c>AddChatterfyPostbacks()</c> was not called.</exception>
    public static RouteGroupBuilder MapChatterfyClickRedirect(this IEndpointRouteBuilder endpoints, [StringSyntax("Route")] string? prefix = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        EnsureServices(endpoints, nameof(MapChatterfyClickRedirect));

        var redirect = new ClickRedirect(CreateLogger(endpoints));
        var group = endpoints.MapGroup(prefix ?? DefaultClickRedirectPrefix);
        group.AllowAnonymous()
            .WithTags("Chatterfy click redirect")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapGet($"/{{{ClickRedirect.CampaignRouteValue}}}", redirect.HandleAsync)
            .Produces(StatusCodes.Status302Found)
            .Produces(StatusCodes.Status404NotFound)
            .WithSummary("Stores a click for the campaign and redirects to the campaign's destination rendered for it.");
        return group;
    }

    private static void EnsureServices(IEndpointRouteBuilder endpoints, string method)
    {
        var isService = endpoints.ServiceProvider.GetService<IServiceProviderIsService>();
        var registered = isService is null
            ? endpoints.ServiceProvider.GetService<PostbackIngestor>() is not null
            : isService.IsService(typeof(PostbackIngestor)) && isService.IsService(typeof(PostbackSetService));
        if (!registered)
        {
            throw new InvalidOperationException(
                $"Unable to find the services of Chatterfy.Postbacks. Call services.AddChatterfyPostbacks() (and choose a store on the returned builder) before {method}().");
        }
    }

    private static bool IsService(IEndpointRouteBuilder endpoints, Type serviceType) =>
        endpoints.ServiceProvider.GetService<IServiceProviderIsService>() is { } isService
            ? isService.IsService(serviceType)
            : endpoints.ServiceProvider.GetService(serviceType) is not null;

    private static ILogger CreateLogger(IEndpointRouteBuilder endpoints) =>
        endpoints.ServiceProvider.GetService<ILoggerFactory>()?.CreateLogger(Log.CategoryName) ?? NullLogger.Instance;
}
