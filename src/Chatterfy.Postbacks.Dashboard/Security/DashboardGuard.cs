using System.Net;
using Chatterfy.Postbacks.Storage;
using Chatterfy.Postbacks.Dashboard.Html;
using Chatterfy.Postbacks.Dashboard.Layout;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Chatterfy.Postbacks.Dashboard.Security;

/// <summary>
/// The endpoint filter on every dashboard route: the security headers, the loopback-only rule of a dashboard without an
/// authorization requirement, the antiforgery check of every state-changing request, and a 503 page when the store is
/// unavailable.
/// </summary>
internal static class DashboardGuard
{
    /// <summary>
    /// The Content-Security-Policy: the dashboard's own stylesheet and script only, no inline script or style, no frames,
    /// forms post to the dashboard only.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>Runs the checks, then the endpoint.</summary>
    /// <param name="context">The invocation.</param>
    /// <param name="next">The endpoint.</param>
    /// <returns>The endpoint's answer, or a refusal.</returns>
    public static async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XFrameOptions = "DENY";
        headers.XContentTypeOptions = "nosniff";

        // Set tokens appear in the dashboard's URLs and pages: no referrer leaves, nothing is cached.
        headers["Referrer-Policy"] = "no-referrer";
        if (!headers.ContainsKey("Cache-Control"))
        {
            headers.CacheControl = "no-store";
        }

        if (!HasAuthorizationRequirement(http) && !IsLoopback(http))
        {
            var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DashboardGuard).FullName!);
            DashboardLog.RemoteRequestRefused(logger, http.Connection.RemoteIpAddress?.ToString() ?? "unknown");
            return Refusal(http, StatusCodes.Status403Forbidden, "Loopback only",
                "This dashboard has no authorization requirement, so it answers requests from this machine only. " +
                "Map it with .RequireAuthorization(…) to open it to others.");
        }

        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method))
        {
            var antiforgery = http.RequestServices.GetRequiredService<IAntiforgery>();
            try
            {
                await antiforgery.ValidateRequestAsync(http).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsTooLarge(ex))
            {
                // A form over its endpoint's limit (a reconciliation report over ReconciliationService.MaxReportBytes).
                var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DashboardGuard).FullName!);
                DashboardLog.FormTooLarge(logger, http.Request.Method, http.Request.Path.Value ?? "");
                return Refusal(http, StatusCodes.Status413PayloadTooLarge, "File too large",
                    "The form, or the file in it, is larger than this page accepts. Nothing was read or changed.");
            }
            catch (AntiforgeryValidationException)
            {
                var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DashboardGuard).FullName!);
                DashboardLog.AntiforgeryRefused(logger, http.Request.Method, http.Request.Path);
                return Refusal(http, StatusCodes.Status400BadRequest, "Form expired",
                    "This form did not come from this dashboard page, or it expired. Go back, reload the page and try again. Nothing was changed.");
            }
        }

        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (PostbackStoreUnavailableException ex) when (!http.Response.HasStarted)
        {
            // Not the user's mistake, and passing: say so and let them try again, rather than a 500.
            var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DashboardGuard).FullName!);
            DashboardLog.StoreUnavailable(logger, http.Request.Method, http.Request.Path, ex.Message);
            http.Response.Headers.RetryAfter = "5";
            return Refusal(http, StatusCodes.Status503ServiceUnavailable, "Store unavailable",
                "The store is unavailable, try again in a moment. If this was a form, nothing may have been saved: check before sending it again.");
        }
    }

    /// <summary>Whether the host put an authorization requirement on the dashboard (on its routes or as the fallback policy).</summary>
    /// <param name="http">The request.</param>
    /// <returns><see langword="true"/> when a policy protects the dashboard.</returns>
    public static bool HasAuthorizationRequirement(HttpContext http)
    {
        var endpoint = http.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<IAuthorizeData>() is not null
            || endpoint?.Metadata.GetMetadata<AuthorizationPolicy>() is not null)
        {
            return true;
        }

        return http.RequestServices.GetService<IOptions<AuthorizationOptions>>()?.Value.FallbackPolicy is not null;
    }

    // Reading the form failed on a size limit: the form reader's (InvalidDataException) or the server's (413), maybe
    // wrapped by the antiforgery check that read it.
    private static bool IsTooLarge(Exception exception) => exception switch
    {
        InvalidDataException => true,
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => true,
        AntiforgeryValidationException { InnerException: { } inner } => IsTooLarge(inner),
        _ => false,
    };

    private static bool IsLoopback(HttpContext http) =>
        http.Connection.RemoteIpAddress is { } address && IPAddress.IsLoopback(address);

    private static IResult Refusal(HttpContext http, int statusCode, string title, string message)
    {
        var page = DashboardPage.For(http);
        return page.Render(title, NavSection.None, Markup.Of($"<h1>{title}</h1><p>{message}</p>"), statusCode);
    }
}
