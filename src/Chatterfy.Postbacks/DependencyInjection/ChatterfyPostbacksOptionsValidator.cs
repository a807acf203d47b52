using Chatterfy.Postbacks;
using Chatterfy.Postbacks.Networks;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Storage;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Checks the rules that span fields or services, so a misconfigured host fails at startup, not at the first postback.</summary>
internal sealed class ChatterfyPostbacksOptionsValidator(IEnumerable<AffiliateNetwork> networks, IServiceProvider services)
    : IValidateOptions<ChatterfyPostbacksOptions>
{
    public ValidateOptionsResult Validate(string? name, ChatterfyPostbacksOptions options)
    {
        var failures = new List<string>();
        if (options.PublicBaseUrl is not null && PublicBaseUrl.Validate(options.PublicBaseUrl) is { } problem)
        {
            failures.Add("Postbacks:PublicBaseUrl: " + problem);
        }

        var prefix = options.ReceiverPathPrefix;
        if (string.IsNullOrEmpty(prefix) || prefix[0] != '/' || prefix.AsSpan().ContainsAny("?#{} ") || prefix.Contains("//", StringComparison.Ordinal))
        {
            failures.Add($"Postbacks:ReceiverPathPrefix must be a path starting with '/', without '?', '#', braces, spaces or '//' (got '{prefix}').");
        }

        try
        {
            _ = new AffiliateNetworkRegistry(networks);
        }
        catch (InvalidOperationException ex)
        {
            failures.Add(ex.Message);
        }

        if (services.GetService(typeof(PostbackStorage)) is null)
        {
            failures.Add("No postback store is registered: call UseInMemoryStore(), UseSqlite(…) or UsePostgreSql(…) on the builder returned by AddChatterfyPostbacks().");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
