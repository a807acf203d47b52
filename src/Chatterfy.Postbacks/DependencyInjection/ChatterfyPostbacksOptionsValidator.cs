using Chatterfy.Postbacks;
using Chatterfy.Postbacks.Currencies;
using Chatterfy.Postbacks.Networks;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Storage;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Checks the options at startup, so a misconfigured host fails then, not at the first postback: the ranges are the options'
/// <see cref="Chatterfy.Postbacks.Configuration.OptionRangeAttribute"/>s, checked by the generated
/// <see cref="ChatterfyPostbacksOptionsRanges"/>; the URL and path formats and the rules that span services are checked here.
/// Each message names the configuration path.
/// </summary>
internal sealed class ChatterfyPostbacksOptionsValidator(IEnumerable<AffiliateNetwork> networks, IServiceProvider services)
    : IValidateOptions<ChatterfyPostbacksOptions>
{
    private static readonly ChatterfyPostbacksOptionsRanges Ranges = new();

    public ValidateOptionsResult Validate(string? name, ChatterfyPostbacksOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (Ranges.Validate(name, options) is { Failed: true, Failures: { } outOfRange })
        {
            failures.AddRange(outOfRange);
        }

        if (options.PublicBaseUrl is not null && PublicBaseUrl.Validate(options.PublicBaseUrl) is { } problem)
        {
            failures.Add(ChatterfyPostbacksOptions.Section + "PublicBaseUrl: " + problem);
        }

        var prefix = options.ReceiverPathPrefix;
        if (string.IsNullOrEmpty(prefix) || prefix[0] != '/' || prefix.AsSpan().ContainsAny("?#{} ") || prefix.Contains("//", StringComparison.Ordinal))
        {
            failures.Add($"{ChatterfyPostbacksOptions.Section}ReceiverPathPrefix must be a path starting with '/', without '?', '#', braces, spaces or '//' (got '{prefix}').");
        }

        try
        {
            _ = new AffiliateNetworkRegistry(networks);
        }
        catch (InvalidOperationException ex)
        {
            failures.Add(ex.Message);
        }

        if (services.GetService(typeof(ReportingCurrencyRates)) is ReportingCurrencyRates reporting)
        {
            failures.AddRange(reporting.Validate(options));
        }

        if (services.GetService(typeof(PostbackStorage)) is null)
        {
            failures.Add("No postback store is registered: call UseInMemoryStore(), UseSqlite(…) or UsePostgreSql(…) on the builder returned by AddChatterfyPostbacks().");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>The generated check of <see cref="ChatterfyPostbacksOptions"/>' ranges.</summary>
[OptionsValidator]
internal sealed partial class ChatterfyPostbacksOptionsRanges : IValidateOptions<ChatterfyPostbacksOptions>;
