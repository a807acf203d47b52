using System.Net;
using Chatterfy.Postbacks.AspNetCore.Diagnostics;
using Chatterfy.Postbacks.AspNetCore.Http;
using Chatterfy.Postbacks.Campaigns;
using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;

namespace Chatterfy.Postbacks.AspNetCore.Redirect;

/// <summary>
/// <c>GET {prefix}/{campaignId}</c>: creates a click for a known campaign from what the visitor's request carries and
/// answers 302 to the campaign's destination rendered for that click. Request input reaches <c>Location</c> only through
/// <see cref="CampaignService.RenderDestination"/> (a template validated at save, values percent-encoded, the length
/// bounded). The click is stored only once the destination has rendered, so a visitor who is not redirected leaves none.
/// </summary>
internal sealed class ClickRedirect(ILogger logger)
{
    public const string CampaignRouteValue = "campaignId";
    public const string FbclidParameter = "fbclid";

    private const string FbcCookie = "_fbc";
    private const string FbpCookie = "_fbp";

    // A visitor, not a trusted caller, makes these clicks: the core's tighter preset.
    private static readonly ClickLimits Limits = ClickLimits.PublicRedirect;

    private readonly StoreOutageLog _outageLog = new(logger, "click redirect");

    public async Task<IResult> HandleAsync(string campaignId, HttpContext context, CampaignService campaigns, ClickService clicks)
    {
        var response = context.Response;

        // A redirect that creates a click must never be served from a cache, and the visitor's page (which may carry the
        // fbclid) must not be passed on to the destination.
        response.Headers.CacheControl = "no-store";
        response.Headers["Referrer-Policy"] = "no-referrer";
        try
        {
            var campaign = await campaigns.GetAsync(campaignId, context.RequestAborted).ConfigureAwait(false);
            if (campaign is null)
            {
                return TypedResults.NotFound();
            }

            var click = clicks.Mint(ReadClick(campaign.Id, context.Request, context.Connection.RemoteIpAddress), Limits);
            if (CampaignService.RenderDestination(campaign, click) is not { } destination)
            {
                Log.DestinationNotRenderable(logger, campaign.Id);
                return TypedResults.NotFound();
            }

            await clicks.AddAsync(click, context.RequestAborted).ConfigureAwait(false);
            if (destination.HostMacrosOmitted)
            {
                Log.DestinationHostMacrosOmitted(logger, campaign.Id);
            }

            if (destination.OmittedFields.Count > 0)
            {
                Log.DestinationFieldsOmitted(logger, campaign.Id, destination.OmittedFields, CampaignService.MaxLocationLength);
            }

            return TypedResults.Redirect(destination.Location);
        }
        catch (PostbackStoreUnavailableException ex)
        {
            var problem = Problems.StoreUnavailable(context, ex, out var retryAfterSeconds);
            _outageLog.Refused(ex, retryAfterSeconds, context.RequestServices);
            return problem;
        }
    }

    /// <summary>
    /// Reads a click from the request with <see cref="ClickValidator"/>'s rules and <see cref="ClickLimits.PublicRedirect"/>;
    /// every value that does not look right (or is empty) is left out, never refused.
    /// </summary>
    internal static NewClick ReadClick(string campaignId, HttpRequest request, IPAddress? remoteAddress)
    {
        string? fbclid = null;
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in new QueryStringEnumerable(request.QueryString.Value))
        {
            var name = pair.DecodeName().ToString();
            if (name == FbclidParameter)
            {
                // First value wins, as for fields.
                if (fbclid is null)
                {
                    var value = pair.DecodeValue().ToString();
                    fbclid = value.Length > 0 && value.Length <= Limits.MaxFbclidLength && IsPrintableAscii(value) ? value : null;
                }

                continue;
            }

            if (fields.Count >= Limits.MaxFields || fields.ContainsKey(name) || !ClickValidator.IsFieldKey(name))
            {
                continue;
            }

            var fieldValue = pair.DecodeValue().ToString();
            if (fieldValue.Length > 0 && ClickValidator.IsFieldValue(fieldValue, Limits))
            {
                fields[name] = fieldValue;
            }
        }

        return new NewClick
        {
            CampaignId = campaignId,
            Fbclid = fbclid,
            Fbc = FacebookCookie(request.Cookies[FbcCookie], lastPartIsDigits: false),
            Fbp = FacebookCookie(request.Cookies[FbpCookie], lastPartIsDigits: true),
            IpAddress = remoteAddress is { IsIPv4MappedToIPv6: true } ? remoteAddress.MapToIPv4() : remoteAddress,
            UserAgent = UserAgent(request.Headers.UserAgent.ToString()),
            EventSourceUrl = Referer(request.Headers.Referer.ToString()),
            Fields = fields,
        };
    }

    /// <summary>
    /// Keeps a <c>_fbc</c> (<c>fb.{0-2}.{ms}.{fbclid}</c>) or <c>_fbp</c> (<c>fb.{0-2}.{ms}.{random digits}</c>) cookie
    /// value of Meta's format. The subdomain index is 1 when the pixel sets the cookie on the site's domain.
    /// </summary>
    internal static string? FacebookCookie(string? value, bool lastPartIsDigits)
    {
        if (value is null || value.Length > Limits.MaxFacebookCookieLength || !IsPrintableAscii(value))
        {
            return null;
        }

        var parts = value.Split('.', 4);
        return parts.Length == 4
            && parts[0] == "fb"
            && parts[1] is "0" or "1" or "2"
            && parts[2].Length is > 0 and <= 20 && parts[2].All(char.IsAsciiDigit)
            && parts[3].Length > 0
            && (!lastPartIsDigits || parts[3].All(char.IsAsciiDigit))
                ? value
                : null;
    }

    private static string? UserAgent(string value)
    {
        if (value.Length == 0)
        {
            return null;
        }

        var capped = value.Length > Limits.MaxUserAgentLength ? value[..Limits.MaxUserAgentLength] : value;
        return capped.Any(char.IsControl) ? null : capped;
    }

    private static string? Referer(string value) =>
        value.Length > 0 && value.Length <= Limits.MaxUrlLength
        && IsPrintableAscii(value)
        && Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? value
            : null;

    private static bool IsPrintableAscii(string value)
    {
        foreach (var c in value)
        {
            if (c is < '!' or > '~')
            {
                return false;
            }
        }

        return true;
    }
}
