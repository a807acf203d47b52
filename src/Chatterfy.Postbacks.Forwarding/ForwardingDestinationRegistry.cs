using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Chatterfy.Postbacks.Forwarding;

/// <summary>The default <see cref="IForwardingDestinationRegistry"/>: a fixed set of destinations with unique ids.</summary>
internal sealed class ForwardingDestinationRegistry : IForwardingDestinationRegistry
{
    private readonly Dictionary<string, ForwardingDestination> _byId = new(StringComparer.OrdinalIgnoreCase);
    private readonly OutboundUrlPolicy _policy;
    private readonly IHttpClientFactory _httpClientFactory;

    public ForwardingDestinationRegistry(IEnumerable<ForwardingDestination> destinations, OutboundUrlPolicy policy, IHttpClientFactory httpClientFactory)
    {
        ArgumentNullException.ThrowIfNull(destinations);
        _policy = policy;
        _httpClientFactory = httpClientFactory;
        var list = new List<ForwardingDestination>();
        foreach (var destination in destinations)
        {
            ValidateId(destination);
            if (_byId.TryGetValue(destination.Id, out var existing))
            {
                throw new InvalidOperationException(
                    $"Two forwarding destinations are registered with the id '{destination.Id}': {existing.GetType().FullName} and {destination.GetType().FullName}. " +
                    "Destination ids must be unique; remove one registration or give the plugin destination another id.");
            }

            _byId.Add(destination.Id, destination);
            list.Add(destination);
        }

        Destinations = list;
    }

    public IReadOnlyList<ForwardingDestination> Destinations { get; }

    public bool TryGetDestination(string destinationId, [NotNullWhen(true)] out ForwardingDestination? destination)
    {
        ArgumentNullException.ThrowIfNull(destinationId);
        return _byId.TryGetValue(destinationId, out destination);
    }

    public async ValueTask<DestinationProfile> CreateProfileAsync(string destinationId, JsonElement settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destinationId);
        if (!TryGetDestination(destinationId, out var destination))
        {
            var known = string.Join(", ", _byId.Values.Select(d => d.Id));
            throw new InvalidDestinationSettingsException(destinationId, [new DestinationSettingsError(
                "destination", $"'{destinationId}' is not a registered forwarding destination; registered: {(known.Length == 0 ? "none" : known)}.")]);
        }

        var profile = destination.CreateRuleProfile(settings);
        var errors = new List<DestinationSettingsError>();
        foreach (var endpoint in profile.Endpoints)
        {
            var check = await _policy.CheckUrlAsync(endpoint.Url, destination.Id, cancellationToken).ConfigureAwait(false);
            if (!check.IsAllowed)
            {
                errors.Add(new DestinationSettingsError(endpoint.Field, check.Problem!));
            }
        }

        return errors.Count > 0 ? throw new InvalidDestinationSettingsException(destination.Id, errors) : profile;
    }

    public HttpClient CreateHttpClient(string destinationId)
    {
        if (!TryGetDestination(destinationId, out var destination))
        {
            throw new InvalidOperationException($"The forwarding destination '{destinationId}' is not registered.");
        }

        return _httpClientFactory.CreateClient(ForwardingDestination.GetHttpClientName(destination.Id));
    }

    internal static void ValidateId(ForwardingDestination destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (!IsValidId(destination.Id))
        {
            throw new InvalidOperationException(
                $"The forwarding destination {destination.GetType().FullName} has the id '{destination.Id}'; ids must be 1 to 32 lower-case letters, digits or '-'.");
        }
    }

    internal static bool IsValidId(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > 32)
        {
            return false;
        }

        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            {
                return false;
            }
        }

        return true;
    }
}
