using System.Diagnostics.CodeAnalysis;
using Chatterfy.Postbacks;
using Chatterfy.Postbacks.AspNetCore.Diagnostics;
using Chatterfy.Postbacks.AspNetCore.Http;
using Chatterfy.Postbacks.AspNetCore.Receiver;
using Chatterfy.Postbacks.AspNetCore.TrackerApi;
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
    /// over 16 KiB; 503 with <c>Retry-After</c> when the store is unavailable.
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
            .WithSummary("Receives a postback for the event in the path (registration, first-deposit, deposit, a custom name) or tracker-postback.");
        return group;
    }

    /// <summary>
    /// Maps the tracker API: postback sets, clicks, affiliate links, stats, the postback log and replay. It carries no
    /// authorization of its own: protect it on the returned builder, e.g. <c>.RequireAuthorization("tracker")</c>.
    /// </summary>
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
        TrackerApiEndpoints.Map(group, CreateLogger(endpoints));
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

    private static ILogger CreateLogger(IEndpointRouteBuilder endpoints) =>
        endpoints.ServiceProvider.GetService<ILoggerFactory>()?.CreateLogger(Log.CategoryName) ?? NullLogger.Instance;
}
