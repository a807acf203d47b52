using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Chatterfy.Postbacks.Forwarding;

/// <summary>Resolves forwarding destinations by id, validates rule settings, and hands out each destination's HTTP client.</summary>
public interface IForwardingDestinationRegistry
{
    /// <summary>Gets the registered destinations, in registration order.</summary>
    IReadOnlyList<ForwardingDestination> Destinations { get; }

    /// <summary>Finds a destination by id (case-insensitive).</summary>
    /// <param name="destinationId">The id, e.g. <c>facebook-capi</c>.</param>
    /// <param name="destination">The destination.</param>
    /// <returns><see langword="true"/> when a destination with that id is registered.</returns>
    bool TryGetDestination(string destinationId, [NotNullWhen(true)] out ForwardingDestination? destination);

    /// <summary>
    /// Validates a rule's settings for rule creation: binds and validates them, then checks every fixed URL of the profile
    /// against the <see cref="OutboundUrlPolicy"/>, resolving host names.
    /// </summary>
    /// <param name="destinationId">The destination's id.</param>
    /// <param name="settings">The rule's settings.</param>
    /// <param name="cancellationToken">Cancels the DNS lookups.</param>
    /// <returns>The profile for the rule.</returns>
    /// <exception cref="InvalidDestinationSettingsException">
    /// The destination is unknown (field <c>destination</c>), a setting is invalid, or a URL is refused by the policy (field
    /// named by the profile, e.g. <c>settings.urlTemplate</c>).
    /// </exception>
    ValueTask<DestinationProfile> CreateProfileAsync(string destinationId, JsonElement settings, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates the destination's <see cref="HttpClient"/> from <c>IHttpClientFactory</c>: the outbound policy enforced at
    /// connect time, a per-attempt timeout and a circuit breaker per destination host, no in-process retries.
    /// </summary>
    /// <param name="destinationId">The destination's id.</param>
    /// <returns>A client; do not dispose of it per call (disposing is harmless but needless).</returns>
    /// <exception cref="InvalidOperationException">The destination is not registered.</exception>
    HttpClient CreateHttpClient(string destinationId);
}
