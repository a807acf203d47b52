using Chatterfy.Postbacks.AspNetCore.Authentication;
using Chatterfy.Postbacks.Dashboard;
using Chatterfy.Postbacks.Dashboard.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the dashboard's services (<c>builder.Services.AddChatterfyPostbacks(…).AddDashboard()</c>); map it with <c>app.MapChatterfyDashboard(…)</c>.</summary>
public static class ChatterfyDashboardBuilderExtensions
{
    /// <summary>
    /// Adds the dashboard's services: antiforgery, and the sign-in cookie scheme
    /// (<see cref="ChatterfyDashboardDefaults.AuthenticationScheme"/>) that the API-key scheme hands dashboard requests to.
    /// Safe to call more than once.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddChatterfyPostbacks</c>.</param>
    /// <returns>The builder.</returns>
    public static IChatterfyPostbacksBuilder AddDashboard(this IChatterfyPostbacksBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(DashboardRoute)))
        {
            return builder;
        }

        services.AddSingleton<DashboardRoute>();
        services.AddOptions<ChatterfyDashboardOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ChatterfyDashboardOptions>, ChatterfyDashboardOptionsValidator>());
        services.AddAntiforgery();
        services.AddAuthentication().AddCookie(ChatterfyDashboardDefaults.AuthenticationScheme, "Chatterfy dashboard", static _ => { });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<CookieAuthenticationOptions>, DashboardCookieSetup>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<ChatterfyApiKeyOptions>, ApiKeyForwarding>());
        return builder;
    }

    /// <summary>Adds the dashboard as <see cref="AddDashboard(IChatterfyPostbacksBuilder)"/> does and configures its options in code.</summary>
    /// <param name="builder">The builder returned by <c>AddChatterfyPostbacks</c>.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The builder.</returns>
    public static IChatterfyPostbacksBuilder AddDashboard(this IChatterfyPostbacksBuilder builder, Action<ChatterfyDashboardOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        builder.AddDashboard();
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>Adds the dashboard as <see cref="AddDashboard(IChatterfyPostbacksBuilder)"/> does and binds its options to a configuration section (by convention <c>Postbacks:Dashboard</c>).</summary>
    /// <param name="builder">The builder returned by <c>AddChatterfyPostbacks</c>.</param>
    /// <param name="configuration">The configuration section.</param>
    /// <returns>The builder.</returns>
    public static IChatterfyPostbacksBuilder AddDashboard(this IChatterfyPostbacksBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        builder.AddDashboard();
        builder.Services.AddOptions<ChatterfyDashboardOptions>().Bind(configuration);
        return builder;
    }
}
