using Chatterfy.Postbacks.AspNetCore.Authentication;
using Chatterfy.Postbacks.Dashboard.Layout;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Chatterfy.Postbacks.Dashboard.Authentication;

/// <summary>
/// Lets the API-key scheme accept the dashboard's sign-in cookie on the dashboard's routes: a request to a dashboard route
/// without an <c>X-Api-Key</c> header is authenticated (and challenged) by the dashboard's cookie scheme instead. So a host
/// that protects the dashboard with <c>.RequireAuthorization()</c> over the API-key scheme needs nothing else, and the
/// cookie authenticates nothing outside the dashboard.
/// </summary>
internal sealed class ApiKeyForwarding : IPostConfigureOptions<ChatterfyApiKeyOptions>
{
    /// <inheritdoc />
    public void PostConfigure(string? name, ChatterfyApiKeyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (name != ChatterfyApiKeyDefaults.AuthenticationScheme)
        {
            return;
        }

        var hostSelector = options.ForwardDefaultSelector;
        options.ForwardDefaultSelector = context =>
            context.GetEndpoint()?.Metadata.GetMetadata<DashboardMetadata>() is not null
            && !context.Request.Headers.ContainsKey(ChatterfyApiKeyDefaults.HeaderName)
                ? ChatterfyDashboardDefaults.AuthenticationScheme
                : hostSelector?.Invoke(context);
    }
}
