using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Chatterfy.Postbacks.Forwarding;

/// <summary>Checks forwarding options and destination registrations at startup; messages name the option path.</summary>
/// <remarks>Destinations are resolved when validating, not injected: they depend on the options this validates.</remarks>
internal sealed class ForwardingOptionsValidator(IServiceProvider services, IEnumerable<ForwardingClientRegistration> registrations)
    : IValidateOptions<ForwardingOptions>
{
    private const string Section = "Postbacks:Forwarding:";

    public ValidateOptionsResult Validate(string? name, ForwardingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        foreach (var port in options.AllowedPorts)
        {
            if (port is < 1 or > 65535)
            {
                failures.Add($"{Section}AllowedPorts must list ports between 1 and 65535 (got {port}).");
            }
        }

        if (options.AttemptTimeout < TimeSpan.FromSeconds(1) || options.AttemptTimeout > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{Section}AttemptTimeout must be between 00:00:01 and 00:05:00 (got {options.AttemptTimeout}).");
        }

        if (!(options.CircuitBreakerFailureRatio > 0 && options.CircuitBreakerFailureRatio <= 1))
        {
            failures.Add($"{Section}CircuitBreakerFailureRatio must be greater than 0 and at most 1 (got {options.CircuitBreakerFailureRatio}).");
        }

        if (options.CircuitBreakerMinimumThroughput < 2)
        {
            failures.Add($"{Section}CircuitBreakerMinimumThroughput must be at least 2 (got {options.CircuitBreakerMinimumThroughput}).");
        }

        if (options.CircuitBreakerSamplingDuration < 2 * options.AttemptTimeout)
        {
            failures.Add($"{Section}CircuitBreakerSamplingDuration must be at least twice AttemptTimeout (got {options.CircuitBreakerSamplingDuration} for {options.AttemptTimeout}).");
        }

        if (options.CircuitBreakerBreakDuration < TimeSpan.FromMilliseconds(500))
        {
            failures.Add($"{Section}CircuitBreakerBreakDuration must be at least 00:00:00.5 (got {options.CircuitBreakerBreakDuration}).");
        }

        if (options.MaxResponseBodyBytes is < 1024 or > 1024 * 1024)
        {
            failures.Add($"{Section}MaxResponseBodyBytes must be between 1024 and 1048576 (got {options.MaxResponseBodyBytes}).");
        }

        if (options.RuleCacheDuration < TimeSpan.Zero || options.RuleCacheDuration > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{Section}RuleCacheDuration must be between 00:00:00 and 00:05:00 (got {options.RuleCacheDuration}).");
        }

        var retry = options.Retry;
        if (retry.FirstDelay < TimeSpan.FromSeconds(1))
        {
            failures.Add($"{Section}Retry:FirstDelay must be at least 00:00:01 (got {retry.FirstDelay}).");
        }

        if (retry.MaxDelay < retry.FirstDelay)
        {
            failures.Add($"{Section}Retry:MaxDelay must be at least Retry:FirstDelay (got {retry.MaxDelay} for {retry.FirstDelay}).");
        }

        if (retry.Horizon < retry.FirstDelay)
        {
            failures.Add($"{Section}Retry:Horizon must be at least Retry:FirstDelay (got {retry.Horizon} for {retry.FirstDelay}).");
        }

        if (!(retry.JitterFactor >= 0 && retry.JitterFactor <= 1))
        {
            failures.Add($"{Section}Retry:JitterFactor must be between 0 and 1 (got {retry.JitterFactor}).");
        }

        var dispatcher = options.Dispatcher;
        if (dispatcher.PollInterval < TimeSpan.FromMilliseconds(10) || dispatcher.PollInterval > TimeSpan.FromMinutes(10))
        {
            failures.Add($"{Section}Dispatcher:PollInterval must be between 00:00:00.010 and 00:10:00 (got {dispatcher.PollInterval}).");
        }

        if (dispatcher.LeaseDuration < TimeSpan.FromSeconds(3) || dispatcher.LeaseDuration > TimeSpan.FromHours(1))
        {
            failures.Add($"{Section}Dispatcher:LeaseDuration must be between 00:00:03 and 01:00:00 (got {dispatcher.LeaseDuration}).");
        }

        if (dispatcher.BatchSize is < 1 or > 10_000)
        {
            failures.Add($"{Section}Dispatcher:BatchSize must be between 1 and 10000 (got {dispatcher.BatchSize}).");
        }

        if (dispatcher.MaxConcurrentSends is < 1 or > 64)
        {
            failures.Add($"{Section}Dispatcher:MaxConcurrentSends must be between 1 and 64 (got {dispatcher.MaxConcurrentSends}).");
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
