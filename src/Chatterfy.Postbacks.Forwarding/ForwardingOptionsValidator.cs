using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Chatterfy.Postbacks.Forwarding;

/// <summary>
/// Checks forwarding options and destination registrations at startup; messages name the option path. The ranges are the
/// options' <see cref="Configuration.OptionRangeAttribute"/>s, checked by the generated <see cref="ForwardingOptionsRanges"/>;
/// the allowed ports, the rules that span options and the destinations are checked here.
/// </summary>
/// <remarks>Destinations are resolved when validating, not injected: they depend on the options this validates.</remarks>
internal sealed class ForwardingOptionsValidator(IServiceProvider services, IEnumerable<ForwardingClientRegistration> registrations)
    : IValidateOptions<ForwardingOptions>
{
    private const string Section = ForwardingOptions.Section;

    private static readonly ForwardingOptionsRanges Ranges = new();

    public ValidateOptionsResult Validate(string? name, ForwardingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (Ranges.Validate(name, options) is { Failed: true, Failures: { } outOfRange })
        {
            failures.AddRange(outOfRange);
        }

        foreach (var port in options.AllowedPorts)
        {
            if (port is < 1 or > 65535)
            {
                failures.Add($"{Section}AllowedPorts must list ports between 1 and 65535 (got {port}).");
            }
        }

        for (var i = 0; i < options.Webhook.AllowedHosts.Count; i++)
        {
            var host = options.Webhook.AllowedHosts[i];
            if (string.IsNullOrWhiteSpace(host) || Uri.CheckHostName(host.Trim('[', ']')) == UriHostNameType.Unknown)
            {
                failures.Add($"{Section}Webhook:AllowedHosts:{i} must be a host name or an IP address, without scheme, port or path (got '{host}').");
            }
        }

        if (options.CircuitBreakerSamplingDuration < 2 * options.AttemptTimeout)
        {
            failures.Add($"{Section}CircuitBreakerSamplingDuration must be at least twice AttemptTimeout (got {options.CircuitBreakerSamplingDuration} for {options.AttemptTimeout}).");
        }

        var retry = options.Retry;
        if (retry.MaxDelay < retry.FirstDelay)
        {
            failures.Add($"{Section}Retry:MaxDelay must be at least Retry:FirstDelay (got {retry.MaxDelay} for {retry.FirstDelay}).");
        }

        if (retry.Horizon < retry.FirstDelay)
        {
            failures.Add($"{Section}Retry:Horizon must be at least Retry:FirstDelay (got {retry.Horizon} for {retry.FirstDelay}).");
        }

        ValidateDestinations(failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private void ValidateDestinations(List<string> failures)
    {
        var byId = new Dictionary<string, ForwardingDestination>(StringComparer.OrdinalIgnoreCase);
        var registered = registrations.ToList();
        foreach (var destination in services.GetServices<ForwardingDestination>())
        {
            if (!ForwardingDestinationRegistry.IsValidId(destination.Id))
            {
                failures.Add($"The forwarding destination {destination.GetType().FullName} has the id '{destination.Id}'; ids must be 1 to 32 lower-case letters, digits or '-'.");
                continue;
            }

            if (byId.TryGetValue(destination.Id, out var existing))
            {
                failures.Add(
                    $"Two forwarding destinations are registered with the id '{destination.Id}': {existing.GetType().FullName} and {destination.GetType().FullName}. " +
                    "Destination ids must be unique; remove one registration or give the plugin destination another id.");
                continue;
            }

            byId.Add(destination.Id, destination);
            if (!registered.Any(r => r.DestinationType == destination.GetType() && string.Equals(r.DestinationId, destination.Id, StringComparison.OrdinalIgnoreCase)))
            {
                var under = registered.FirstOrDefault(r => r.DestinationType == destination.GetType());
                failures.Add(under is null
                    ? $"The forwarding destination {destination.GetType().FullName} ('{destination.Id}') has no HTTP client; register it with AddForwardingDestination<{destination.GetType().Name}>(\"{destination.Id}\")."
                    : $"The forwarding destination {destination.GetType().FullName} reports the id '{destination.Id}' but was registered as '{under.DestinationId}'; pass its own id to AddForwardingDestination.");
            }
        }
    }
}

/// <summary>The generated check of <see cref="ForwardingOptions"/>' ranges, with those of its retry schedule and dispatcher.</summary>
[OptionsValidator]
internal sealed partial class ForwardingOptionsRanges : IValidateOptions<ForwardingOptions>;
