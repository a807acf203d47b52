using System.Security.Claims;
using Chatterfy.Postbacks.AspNetCore.Authentication;
using Chatterfy.Postbacks.Dashboard.Html;
using Chatterfy.Postbacks.Dashboard.Layout;
using Chatterfy.Postbacks.Dashboard.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Chatterfy.Postbacks.Dashboard.Authentication;

/// <summary>
/// The sign-in page (when the host uses the API-key scheme): takes one of the scheme's keys and keeps the dashboard's
/// sign-in cookie; sign-out drops it.
/// </summary>
internal static class SignInEndpoints
{
    /// <summary>The form field that carries the key.</summary>
    public const string KeyField = "apiKey";

    /// <summary>Maps <c>sign-in</c> (GET, POST) and <c>sign-out</c> (POST).</summary>
    /// <param name="group">The dashboard's route group.</param>
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/sign-in", async (HttpContext context, string? returnUrl) =>
        {
            var page = DashboardPage.For(context);
            if (context.User.Identity?.IsAuthenticated == true)
            {
                return Results.Redirect(LocalReturnUrl(page, returnUrl));
            }

            return await UsesApiKeySchemeAsync(context).ConfigureAwait(false)
                ? Form(page, returnUrl, error: null, StatusCodes.Status200OK)
                : page.Render("Sign in", NavSection.None, Markup.Of($"""
                    <h1>Sign in</h1>
                    <p>This dashboard is protected by the host application's own sign-in. <a href="{page.Url("")}">Open the dashboard</a>.</p>
                    """));
        }).AllowAnonymous();

        group.MapPost("/sign-in", async (HttpContext context) =>
        {
            var page = DashboardPage.For(context);
            var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
            string? returnUrl = form["returnUrl"];
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SignInEndpoints).FullName!);
            var remote = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
            var keys = context.RequestServices.GetRequiredService<IOptionsMonitor<ChatterfyApiKeyOptions>>().Get(ChatterfyApiKeyDefaults.AuthenticationScheme);
            if (!await UsesApiKeySchemeAsync(context).ConfigureAwait(false) || !keys.Accepts(form[KeyField]))
            {
                DashboardLog.SignInRefused(logger, remote);
                return Form(page, returnUrl, "That is not one of the tracker API's keys. Check the key and try again.", StatusCodes.Status401Unauthorized);
            }

            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "dashboard")], ChatterfyDashboardDefaults.AuthenticationScheme);
            await context.SignInAsync(ChatterfyDashboardDefaults.AuthenticationScheme, new ClaimsPrincipal(identity)).ConfigureAwait(false);
            DashboardLog.SignedIn(logger, remote);
            return Results.Redirect(LocalReturnUrl(page, returnUrl));
        }).AllowAnonymous();

        group.MapPost("/sign-out", async (HttpContext context) =>
        {
            var page = DashboardPage.For(context);
            await context.SignOutAsync(ChatterfyDashboardDefaults.AuthenticationScheme).ConfigureAwait(false);
            return page.RedirectTo("sign-in");
        }).AllowAnonymous();
    }

    private static async Task<bool> UsesApiKeySchemeAsync(HttpContext context) =>
        await context.RequestServices.GetRequiredService<IAuthenticationSchemeProvider>()
            .GetSchemeAsync(ChatterfyApiKeyDefaults.AuthenticationScheme).ConfigureAwait(false) is not null;

    // Only a path inside the dashboard: never another host, never a scheme-relative URL.
    private static string LocalReturnUrl(DashboardPage page, string? returnUrl) =>
        returnUrl is { Length: > 0 }
        && returnUrl.StartsWith(page.Root + "/", StringComparison.Ordinal)
        && !returnUrl.StartsWith("//", StringComparison.Ordinal)
        && !returnUrl.Contains('\\', StringComparison.Ordinal)
            ? returnUrl
            : page.Url("");

    private static IResult Form(DashboardPage page, string? returnUrl, string? error, int statusCode)
    {
        var message = Markup.If(error is not null, Markup.Of($"""<p class="error" role="alert" id="sign-in-error">{error}</p>"""));
        var describedBy = error is null ? Markup.Empty : Markup.Trusted(""" aria-describedby="sign-in-error" aria-invalid="true" """);
        return page.Render("Sign in", NavSection.None, Markup.Of($"""
            <h1>Sign in</h1>
            <p>Enter one of the tracker API's keys (the <code>X-Api-Key</code> the host is configured with). The dashboard keeps you signed in with a cookie for its own pages only.</p>
            {message}
            <form method="post" action="{page.Url("sign-in")}" class="stack">
            {page.AntiforgeryField()}
            <input type="hidden" name="returnUrl" value="{returnUrl}">
            <label for="api-key">API key</label>
            <input id="api-key" name="{KeyField}" type="password" autocomplete="current-password" required{describedBy}>
            <button type="submit">Sign in</button>
            </form>
            """), statusCode);
    }
}
