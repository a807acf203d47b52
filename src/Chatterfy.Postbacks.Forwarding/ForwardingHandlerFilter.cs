using Microsoft.Extensions.Http;

namespace Chatterfy.Postbacks.Forwarding;

/// <summary>
/// Checks, each time a forwarding client's handler chain is built, that its primary handler still enforces the outbound
/// policy: a host that replaced it (say, with a handler that skips certificate validation or follows redirects) gets an
/// exception instead of a silently unsafe client.
/// </summary>
internal sealed class ForwardingHandlerFilter(IEnumerable<ForwardingClientRegistration> registrations) : IHttpMessageHandlerBuilderFilter
{
    private readonly HashSet<string> _names = new(registrations.Select(r => r.ClientName), StringComparer.Ordinal);

    public Action<HttpMessageHandlerBuilder> Configure(Action<HttpMessageHandlerBuilder> next)
    {
        ArgumentNullException.ThrowIfNull(next);
        return builder =>
        {
            next(builder);
            if (builder.Name is { } name && _names.Contains(name) && !OutboundUrlPolicy.IsEnforcing(builder.PrimaryHandler))
            {
                throw new InvalidOperationException(
                    $"The HTTP client '{name}' must keep the primary handler made by OutboundUrlPolicy.CreateHandler() (connect-time address checks, " +
                    "no redirects, no proxy, platform certificate validation). Configure that handler with " +
                    "ConfigurePrimaryHttpMessageHandler((handler, services) => …) instead of replacing it.");
            }
        };
    }
}
