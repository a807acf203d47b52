using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Chatterfy.Postbacks.Forwarding;

/// <summary>
/// Keeps forwarding from being turned against the host's own network (SSRF): destination URLs must be <c>https</c>
/// (unless <see cref="ForwardingOptions.AllowHttp"/>), must use port 443 (80 with <c>AllowHttp</c>, others listed in
/// <see cref="ForwardingOptions.AllowedPorts"/>; never port 0) and must not reach loopback, private, link-local, metadata,
/// IPv6 transition or other reserved addresses (unless <see cref="ForwardingOptions.AllowPrivateNetworks"/>, which also
/// lifts the port rule). Checked when a rule is created and,
/// because a host name can be re-pointed after that check (DNS rebinding), again on every connection: the forwarding
/// <see cref="HttpClient"/>'s handler resolves the host itself, refuses forbidden addresses and connects to the address it
/// checked.
/// </summary>
public sealed class OutboundUrlPolicy
{
    private readonly IOptionsMonitor<ForwardingOptions> _options;
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve;

    /// <summary>Initializes a new instance of the <see cref="OutboundUrlPolicy"/> class.</summary>
    /// <param name="options">The forwarding options; read on every check, so a changed option applies at once.</param>
    public OutboundUrlPolicy(IOptionsMonitor<ForwardingOptions> options)
        : this(options, Dns.GetHostAddressesAsync)
    {
    }

    internal OutboundUrlPolicy(IOptionsMonitor<ForwardingOptions> options, Func<string, CancellationToken, Task<IPAddress[]>> resolve)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _resolve = resolve;
    }

    /// <summary>
    /// Tells whether an address is loopback (<c>127.0.0.0/8</c>, <c>::1</c>), private (<c>10/8</c>, <c>172.16/12</c>,
    /// <c>192.168/16</c>, <c>fc00::/7</c>), shared (<c>100.64/10</c>), link-local (<c>169.254/16</c> with the cloud metadata
    /// service, <c>fe80::/10</c>), unspecified (<c>0.0.0.0/8</c>, <c>::</c>), multicast, an IPv6 transition prefix whose
    /// gateway would reach an IPv4 address of the sender's choosing (6to4 <c>2002::/16</c>, Teredo <c>2001::/32</c>, local-use
    /// NAT64 <c>64:ff9b:1::/48</c>, IPv4-translated <c>::ffff:0:0/96</c>) or otherwise reserved. IPv4-mapped
    /// (<c>::ffff:a.b.c.d</c>) and well-known NAT64 (<c>64:ff9b::/96</c>, which DNS64 hosts need) addresses are judged by
    /// their IPv4 address.
    /// </summary>
    /// <param name="address">The address.</param>
    /// <returns><see langword="true"/> when a destination must not reach it unless private networks are allowed.</returns>
    public static bool IsPrivateOrReserved(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return AddressRanges.IsPrivateOrReserved(address);
    }

    /// <summary>
    /// Checks what can be checked without DNS: an absolute URL, an allowed scheme, no user info, an allowed port, and, for
    /// a literal address or <c>localhost</c>, an allowed address.
    /// </summary>
    /// <param name="url">The destination URL.</param>
    /// <returns>The verdict.</returns>
    public OutboundUrlCheck CheckUrl(Uri url) => CheckUrl(url, destinationId: null);

    /// <summary>
    /// Checks <paramref name="url"/> for the destination <paramref name="destinationId"/>: a signed webhook whose host is in
    /// <c>Webhook:AllowedHosts</c> may reach loopback and private addresses, on any port but 0 (see <see cref="IsTrustedHost"/>).
    /// </summary>
    internal OutboundUrlCheck CheckUrl(Uri url, string? destinationId)
    {
        ArgumentNullException.ThrowIfNull(url);
        var options = _options.CurrentValue;
        var trusted = IsTrustedHost(destinationId, url.Host, options);
        if (!url.IsAbsoluteUri)
        {
            return OutboundUrlCheck.Refused($"'{url}' is not an absolute URL.");
        }

        if (url.Scheme == Uri.UriSchemeHttp)
        {
            if (!options.AllowHttp)
            {
                return OutboundUrlCheck.Refused($"The URL of host '{url.Host}' uses http; destinations must use https (plain http needs the AllowHttp forwarding option, for development only).");
            }
        }
        else if (url.Scheme != Uri.UriSchemeHttps)
        {
            return OutboundUrlCheck.Refused($"The scheme '{url.Scheme}' is not allowed; destinations must use https.");
        }

        if (!string.IsNullOrEmpty(url.UserInfo))
        {
            return OutboundUrlCheck.Refused($"The URL of host '{url.Host}' carries user info (user:password@); put credentials in the destination's settings instead.");
        }

        if (PortProblem(url.Host, url.Port, options, trusted) is { } portProblem)
        {
            return OutboundUrlCheck.Refused(portProblem, DeliveryErrorCodes.AddressForbidden);
        }

        if (options.AllowPrivateNetworks || trusted)
        {
            return OutboundUrlCheck.Allowed;
        }

        if (TryParseAddress(url.Host, out var literal))
        {
            return IsPrivateOrReserved(literal)
                ? OutboundUrlCheck.Refused($"The address {literal} is loopback, private, link-local or reserved; destinations must be public hosts.", DeliveryErrorCodes.AddressForbidden)
                : OutboundUrlCheck.Allowed;
        }

        return IsLocalhostName(url.Host)
            ? OutboundUrlCheck.Refused($"The host '{url.Host}' is loopback; destinations must be public hosts.", DeliveryErrorCodes.AddressForbidden)
            : OutboundUrlCheck.Allowed;
    }

    /// <summary>Checks a URL as <see cref="CheckUrl(Uri)"/> does and, unless private networks are allowed, resolves its host and checks every address.</summary>
    /// <param name="url">The destination URL.</param>
    /// <param name="cancellationToken">Cancels the DNS lookup.</param>
    /// <returns>The verdict; a host that does not resolve is refused.</returns>
    public ValueTask<OutboundUrlCheck> CheckUrlAsync(Uri url, CancellationToken cancellationToken = default) =>
        CheckUrlAsync(url, destinationId: null, cancellationToken);

    /// <summary>Checks <paramref name="url"/> for the destination <paramref name="destinationId"/>, resolving its host.</summary>
    internal async ValueTask<OutboundUrlCheck> CheckUrlAsync(Uri url, string? destinationId, CancellationToken cancellationToken)
    {
        var check = CheckUrl(url, destinationId);
        if (!check.IsAllowed || _options.CurrentValue.AllowPrivateNetworks || IsTrustedHost(destinationId, url.Host, _options.CurrentValue) || TryParseAddress(url.Host, out _))
        {
            return check;
        }

        IPAddress[] addresses;
        try
        {
            addresses = await _resolve(url.IdnHost, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            return OutboundUrlCheck.Refused($"The host '{url.Host}' could not be resolved.", DeliveryErrorCodes.AddressForbidden);
        }

        if (addresses.Length == 0)
        {
            return OutboundUrlCheck.Refused($"The host '{url.Host}' could not be resolved.", DeliveryErrorCodes.AddressForbidden);
        }

        foreach (var address in addresses)
        {
            if (IsPrivateOrReserved(address))
            {
                return OutboundUrlCheck.Refused(
                    $"The host '{url.Host}' resolves to {address}, which is loopback, private, link-local or reserved; destinations must be public hosts.",
                    DeliveryErrorCodes.AddressForbidden);
            }
        }

        return OutboundUrlCheck.Allowed;
    }

    /// <summary>
    /// Creates the primary handler of a forwarding <see cref="HttpClient"/>: a <see cref="SocketsHttpHandler"/> whose
    /// connect callback resolves the host, refuses forbidden addresses and connects to the checked address; redirects are
    /// not followed, no proxy or cookies are used, and certificate validation is the platform's (never bypassed).
    /// </summary>
    /// <returns>A new handler.</returns>
    public SocketsHttpHandler CreateHandler() => CreateHandler(destinationId: null);

    /// <summary>The primary handler of the HTTP client of the destination <paramref name="destinationId"/>.</summary>
    internal SocketsHttpHandler CreateHandler(string? destinationId) => new()
    {
        ConnectCallback = new OutboundConnector(this, destinationId).ConnectAsync,
        AllowAutoRedirect = false,

        // A proxy would make the connection for us, so the address check would judge the proxy instead of the destination.
        UseProxy = false,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.All,
        ConnectTimeout = TimeSpan.FromSeconds(15),
    };

    /// <summary>Tells whether a handler is one this policy's <see cref="CreateHandler()"/> made and still enforces the policy.</summary>
    internal static bool IsEnforcing(HttpMessageHandler handler) =>
        handler is SocketsHttpHandler { AllowAutoRedirect: false, UseProxy: false } sockets
        && sockets.ConnectCallback?.Target is OutboundConnector
        && sockets.SslOptions.RemoteCertificateValidationCallback is null;

    /// <summary>Resolves a host for a connection and refuses it when the port or any address is forbidden.</summary>
    internal ValueTask<IPAddress[]> ResolveForConnectAsync(string host, int port, CancellationToken cancellationToken) =>
        ResolveForConnectAsync(host, port, destinationId: null, cancellationToken);

    internal async ValueTask<IPAddress[]> ResolveForConnectAsync(string host, int port, string? destinationId, CancellationToken cancellationToken)
    {
        var options = _options.CurrentValue;
        var trusted = IsTrustedHost(destinationId, host, options);
        if (PortProblem(host, port, options, trusted) is { } portProblem)
        {
            throw new OutboundRequestRefusedException(portProblem + " The request was not sent.", DeliveryErrorCodes.AddressForbidden);
        }

        var allowPrivate = options.AllowPrivateNetworks || trusted;
        var addresses = TryParseAddress(host, out var literal)
            ? [literal]
            : await _resolve(host, cancellationToken).ConfigureAwait(false);
        if (!allowPrivate)
        {
            foreach (var address in addresses)
            {
                if (IsPrivateOrReserved(address))
                {
                    throw new OutboundRequestRefusedException(
                        $"The host '{host}' resolved to {address} when connecting, which is loopback, private, link-local or reserved; the request was not sent.",
                        DeliveryErrorCodes.AddressForbidden);
                }
            }
        }

        return addresses;
    }

    /// <summary>
    /// The one home of the webhook allow-list: <see langword="true"/> when <paramref name="destinationId"/> is the signed
    /// webhook's and <paramref name="host"/> (a name or a literal address, brackets or not) is listed in
    /// <c>Webhook:AllowedHosts</c>, case-insensitively. Such a host may be loopback or private and use any port but 0; every
    /// other destination, and every other host, keeps the policy.
    /// </summary>
    internal static bool IsTrustedHost(string? destinationId, string host, ForwardingOptions options)
    {
        if (!string.Equals(destinationId, Reactions.SignedWebhookDestination.DestinationId, StringComparison.Ordinal) || options.Webhook.AllowedHosts.Count == 0)
        {
            return false;
        }

        var bare = host.Length > 2 && host[0] == '[' && host[^1] == ']' ? host[1..^1] : host;
        foreach (var allowed in options.Webhook.AllowedHosts)
        {
            var allowedBare = allowed.Length > 2 && allowed[0] == '[' && allowed[^1] == ']' ? allowed[1..^1] : allowed;
            if (string.Equals(bare, allowedBare, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    // The one home of the port rule: port 0 never; 443, 80 with AllowHttp and the listed ports; any with AllowPrivateNetworks
    // or for a webhook host of the allow-list.
    private static string? PortProblem(string host, int port, ForwardingOptions options, bool trusted)
    {
        if (port == 0)
        {
            return $"The URL of host '{host}' uses port 0, which no destination listens on.";
        }

        if (port == 443 || (port == 80 && options.AllowHttp) || options.AllowPrivateNetworks || trusted || options.AllowedPorts.Contains(port))
        {
            return null;
        }

        return string.Create(
            CultureInfo.InvariantCulture,
            $"The URL of host '{host}' uses port {port}; destinations use port 443{(options.AllowHttp ? " or 80" : "")} unless the AllowedPorts forwarding option lists another.");
    }

    private static bool TryParseAddress(string host, out IPAddress address)
    {
        var span = host.AsSpan();
        if (span.Length > 2 && span[0] == '[' && span[^1] == ']')
        {
            span = span[1..^1];
        }

        return IPAddress.TryParse(span, out address!);
    }

    private static bool IsLocalhostName(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
        || host.Equals("localhost.", StringComparison.OrdinalIgnoreCase);
}
