using Chatterfy.Postbacks.Campaigns;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Chatterfy.Postbacks.AspNetCore;

/// <summary>A campaign's click-redirect URL as an HTTP endpoint shows it (the dashboard).</summary>
public static class CampaignServiceHttpExtensions
{
    /// <summary>
    /// Returns the URL of <paramref name="campaign"/>'s click redirect, to put in an ad:
    /// <see cref="ChatterfyPostbacksEndpointRouteBuilderExtensions.DefaultClickRedirectPrefix"/> and the campaign's id
    /// (escaped) on <see cref="ChatterfyPostbacksOptions.PublicBaseUrl"/> when it is configured, otherwise on the scheme,
    /// host and path base <paramref name="request"/> came in on; e.g. <c>https://pb.example.com/api/go/spring</c>.
    /// </summary>
    /// <remarks>A host that maps the click redirect at another prefix writes its URLs itself.</remarks>
    /// <param name="campaigns">The campaign service.</param>
    /// <param name="campaign">The campaign.</param>
    /// <param name="request">The request that asks for it.</param>
    /// <returns>The click-redirect URL.</returns>
    public static string GetClickRedirectUrl(this CampaignService campaigns, Campaign campaign, HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(campaigns);
        ArgumentNullException.ThrowIfNull(campaign);
        ArgumentNullException.ThrowIfNull(request);
        var baseUrl = PostbackSetServiceHttpExtensions.PublicBaseUrlOf(request).TrimEnd('/');
        return $"{baseUrl}{ChatterfyPostbacksEndpointRouteBuilderExtensions.DefaultClickRedirectPrefix}/{Uri.EscapeDataString(campaign.Id)}";
    }
}
