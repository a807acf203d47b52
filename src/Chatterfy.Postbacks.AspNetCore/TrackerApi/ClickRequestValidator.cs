using System.Net;
using System.Net.Sockets;
using Chatterfy.Postbacks.AspNetCore.Http;
using Chatterfy.Postbacks.Clicks;

namespace Chatterfy.Postbacks.AspNetCore.TrackerApi;

/// <summary>
/// Reads a <c>POST /clicks</c> body into a <see cref="NewClick"/>: the IP address must parse here (the wire's one rule);
/// every other value is checked by the core's <see cref="ClickValidator"/> with <see cref="ClickLimits.Default"/>, which
/// <see cref="ClickService.CreateAsync"/> applies.
/// </summary>
internal static class ClickRequestValidator
{
    /// <summary>Reads the request; <paramref name="ipError"/> is set when the IP address does not parse.</summary>
    public static NewClick Read(CreateClickRequest request, out string? ipError)
    {
        IPAddress? ip = null;
        ipError = request.Ip is { } ipText && !IsIpAddress(ipText, out ip)
            ? "The IP address must be an IPv4 (a.b.c.d) or IPv6 address."
            : null;
        return new NewClick
        {
            CampaignId = request.CampaignId,
            SubjectId = request.SubjectId,
            Fbclid = request.Fbclid,
            Fbc = request.Fbc,
            Fbp = request.Fbp,
            IpAddress = ip,
            UserAgent = request.UserAgent,
            EventSourceUrl = request.EventSourceUrl,

            // A JSON null value reaches ClickValidator, which refuses it as it refuses any value that breaks the rules.
            Fields = request.Fields!,
        };
    }

    // IPAddress.TryParse also reads "1" and "10.1" as IPv4 shorthands; a click's address is a dotted quad or IPv6.
    internal static bool IsIpAddress(string text, out IPAddress address) =>
        IPAddress.TryParse(text, out address!)
        && (address.AddressFamily == AddressFamily.InterNetworkV6 || text.AsSpan().Count('.') == 3);
}
