using System.Diagnostics.CodeAnalysis;
using Chatterfy.Postbacks.Dashboard;
using Chatterfy.Postbacks.Dashboard.Assets;
using Chatterfy.Postbacks.Dashboard.Authentication;
using Chatterfy.Postbacks.Dashboard.Layout;
using Chatterfy.Postbacks.Dashboard.Pages.Conversions;
using Chatterfy.Postbacks.Dashboard.Pages.Forwarding;
using Chatterfy.Postbacks.Dashboard.Pages.Links;
using Chatterfy.Postbacks.Dashboard.Pages.Log;
using Chatterfy.Postbacks.Dashboard.Pages.Reconciliation;
using Chatterfy.Postbacks.Dashboard.Pages.Sets;
using Chatterfy.Postbacks.Dashboard.Pages.Stats;
using Chatterfy.Postbacks.Dashboard.Pages.Subjects;
using Chatterfy.Postbacks.Dashboard.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the dashboard (docs/dashboard.md).</summary>
public static class ChatterfyDashboardEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the dashboard at <paramref name="path"/>: its pages (postback sets and their reconciliation, links, log, conversions and chat users, stats, forwarding), its
    /// stylesheet and script, and, for a host whose tracker API uses the API-key scheme, its sign-in page.
    /// </summary>
    /// <remarks>
    /// Protect it as the tracker API is protected: <c>app.MapChatterfyDashboard("/postbacks-admin").RequireAuthorization();</c>.
    /// With the API-key scheme, a browser without the <c>X-Api-Key</c> header is sent to the sign-in page, which takes the
    /// key and keeps an HttpOnly, Secure, SameSite=Strict cookie for the dashboard's routes only. Without any authorization
    /// requirement (on the routes or as the fallback policy) the dashboard answers loopback requests only, and a warning is
    /// logged at start. Every response carries a Content-Security-Policy without inline script, <c>X-Frame-Options: DENY</c>
    /// and <c>Referrer-Policy: no-referrer</c>; every form post is checked for its antiforgery token.
    /// </remarks>
    /// <param name="endpoints">The endpoint route builder, usually the <c>WebApplication</c>.</param>
    /// <param name="path">The route prefix, e.g. <c>/postbacks-admin</c> (the default).</param>
    /// <returns>The route group, for conventions such as <c>.RequireAuthorization(…)</c>.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> does not start with <c>/</c>, or is the root.</exception>
    /// <exception cref="InvalidOperationException"><c>AddDashboard()</c> was not called, or the dashboard is already mapped at another path.</exception>
    public static RouteGroupBuilder MapChatterfyDashboard(this IEndpointRouteBuilder endpoints, [StringSyntax("Route")] string path = ChatterfyDashboardDefaults.Path)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(path);
        var prefix = path.TrimEnd('/');
        if (!path.StartsWith('/') || prefix.Length == 0 || prefix.Contains('{', StringComparison.Ordinal))
        {
            throw new ArgumentException($"The dashboard's path must start with '/', not be the root and hold no route parameter (got '{path}').", nameof(path));
        }

        var services = endpoints.ServiceProvider;
        var route = services.GetService<DashboardRoute>()
            ?? throw new InvalidOperationException("The dashboard's services are missing: call builder.Services.AddChatterfyPostbacks(…).AddDashboard().");
        route.Set(prefix);

        var group = endpoints.MapGroup(prefix);
        group.WithMetadata(new DashboardMetadata(prefix))
            .AddEndpointFilter(DashboardGuard.InvokeAsync)
            .DisableAntiforgery() // checked by DashboardGuard on every state-changing request, without requiring UseAntiforgery()
            .ExcludeFromDescription();

        // One route for the root, with or without its trailing slash (routing ignores it; two routes were ambiguous: 500).
        group.MapGet("", (HttpContext context) => DashboardPage.For(context).RedirectTo("postbacks"));
        AssetEndpoints.Map(group);
        SignInEndpoints.Map(group);
        SetPages.Map(group);
        LinkPages.Map(group);
        LogPages.Map(group);
        ConversionPages.Map(group);
        SubjectPages.Map(group);
        ReconciliationPages.Map(group);
        StatsPages.Map(group);
        ForwardingPages.Map(group);

        WarnAtStartWithoutAuthorization(endpoints, prefix);
        return group;
    }

    private static void WarnAtStartWithoutAuthorization(IEndpointRouteBuilder endpoints, string prefix)
    {
        var services = endpoints.ServiceProvider;
        services.GetService<IHostApplicationLifetime>()?.ApplicationStarted.Register(() =>
        {
            // The host adds .RequireAuthorization() after this method returns: look at the built endpoints once started.
            var fallback = services.GetService<IOptions<AuthorizationOptions>>()?.Value.FallbackPolicy;
            var unprotected = endpoints.DataSources
                .SelectMany(source => source.Endpoints)
                .Any(endpoint => endpoint.Metadata.GetMetadata<DashboardMetadata>() is not null
                    && endpoint.Metadata.GetMetadata<IAuthorizeData>() is null
                    && endpoint.Metadata.GetMetadata<AuthorizationPolicy>() is null);
            if (unprotected && fallback is null)
            {
                DashboardLog.NoAuthorization(services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ChatterfyDashboardEndpointRouteBuilderExtensions).FullName!), prefix);
            }
        });
    }
}
