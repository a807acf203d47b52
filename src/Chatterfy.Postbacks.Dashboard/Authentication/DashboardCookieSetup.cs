using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Chatterfy.Postbacks.Dashboard.Authentication;

/// <summary>
/// The sign-in cookie: HttpOnly, Secure, SameSite=Strict, sent to the dashboard's routes only (its path), sliding
/// <see cref="ChatterfyDashboardOptions.SignInLifetime"/>; a challenge redirects to the sign-in page.
/// </summary>
/// <param name="route">Where the dashboard is mapped.</param>
/// <param name="dashboardOptions">The dashboard's options.</param>
internal sealed class DashboardCookieSetup(DashboardRoute route, IOptions<ChatterfyDashboardOptions> dashboardOptions)
    : IConfigureNamedOptions<CookieAuthenticationOptions>
{
    /// <inheritdoc />
    public void Configure(string? name, CookieAuthenticationOptions options)
    {
        if (name == ChatterfyDashboardDefaults.AuthenticationScheme)
        {
            Configure(options);
        }
    }

    /// <inheritdoc />
    public void Configure(CookieAuthenticationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var prefix = route.Prefix;
        options.Cookie.Name = ChatterfyDashboardDefaults.CookieName;
        options.Cookie.HttpOnly = true;
        options.Cookie.SecurePolicy = CookieSecurePolicy.Always;
        options.Cookie.SameSite = SameSiteMode.Strict;
        options.Cookie.IsEssential = true;
        options.ExpireTimeSpan = dashboardOptions.Value.SignInLifetime;
        options.SlidingExpiration = true;
        options.LoginPath = prefix + "/sign-in";
        options.LogoutPath = prefix + "/sign-out";
        options.AccessDeniedPath = prefix + "/sign-in";
        options.ReturnUrlParameter = "returnUrl";

        // The cookie goes to the dashboard's routes only, wherever the host's path base puts them.
        options.Events.OnSigningIn = context =>
        {
            context.CookieOptions.Path = context.Request.PathBase.Add(prefix).Value;
            return Task.CompletedTask;
        };
        options.Events.OnSigningOut = context =>
        {
            context.CookieOptions.Path = context.Request.PathBase.Add(prefix).Value;
            return Task.CompletedTask;
        };
    }
}
