using Chatterfy.Postbacks.PostbackSets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Chatterfy.Postbacks.AspNetCore;

/// <summary>A set's URLs as an HTTP endpoint shows them (the tracker API, the dashboard).</summary>
public static class PostbackSetServiceHttpExtensions
{
    /// <summary>
    /// Returns the URLs of <paramref name="postbackSet"/>: on <see cref="ChatterfyPostbacksOptions.PublicBaseUrl"/> when it
    /// is configured, otherwise on the scheme, host and path base <paramref name="request"/> came in on.
    /// </summary>
    /// <param name="sets">The set service.</param>
    /// <param name="postbackSet">The set.</param>
    /// <param name="request">The request that asks for them.</param>
    /// <returns>The set's URLs.</returns>
    public static PostbackUrls GetUrls(this PostbackSetService sets, PostbackSet postbackSet, HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(sets);
        ArgumentNullException.ThrowIfNull(postbackSet);
        ArgumentNullException.ThrowIfNull(request);
        return sets.GetUrls(postbackSet, PublicBaseUrlOf(request));
    }

    /// <summary>
    /// Returns the base URL public links are written on: <see cref="ChatterfyPostbacksOptions.PublicBaseUrl"/> when it is
    /// configured, otherwise the scheme, host and path base <paramref name="request"/> came in on.
    /// </summary>
    /// <param name="request">The request that asks for a link.</param>
    /// <returns>The base URL, without a trailing slash unless configured with one.</returns>
    internal static string PublicBaseUrlOf(HttpRequest request)
    {
        var options = request.HttpContext.RequestServices.GetRequiredService<IOptionsMonitor<ChatterfyPostbacksOptions>>();
        return options.CurrentValue.PublicBaseUrl
            ?? $"{request.Scheme}://{request.Host.ToUriComponent()}{request.PathBase.ToUriComponent()}";
    }
}
