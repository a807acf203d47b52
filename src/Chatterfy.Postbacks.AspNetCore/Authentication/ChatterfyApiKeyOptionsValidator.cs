using Microsoft.Extensions.Options;

namespace Chatterfy.Postbacks.AspNetCore.Authentication;

/// <summary>
/// Validates the options of one API-key scheme at start-up. Messages name the keys' path as the host set them:
/// a configuration path (<c>Tracker:Keys:0</c>) or, for keys set in code, <c>ChatterfyApiKeyOptions.Keys[0]</c>.
/// </summary>
internal sealed class ChatterfyApiKeyOptionsValidator(string scheme, string keysPath, bool fromConfiguration) : IValidateOptions<ChatterfyApiKeyOptions>
{
    public ValidateOptionsResult Validate(string? name, ChatterfyApiKeyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!string.Equals(name, scheme, StringComparison.Ordinal))
        {
            return ValidateOptionsResult.Skip;
        }

        var failures = new List<string>();
        if (options.Keys.Count == 0)
        {
            failures.Add(fromConfiguration
                ? $"{keysPath} must list at least one API key for the {scheme} scheme: set {keysPath}:0 (environment variable {keysPath.Replace(":", "__", StringComparison.Ordinal)}__0), and {keysPath}:1 as well during a rotation."
                : $"{keysPath} must list at least one API key for the {scheme} scheme.");
        }

        for (var i = 0; i < options.Keys.Count; i++)
        {
            if (!ApiKeyRing.IsWellFormed(options.Keys[i]))
            {
                var path = fromConfiguration ? $"{keysPath}:{i}" : $"{keysPath}[{i}]";
                failures.Add($"{path} must be one or more visible ASCII characters (! to ~, no spaces): the key travels in the {ChatterfyApiKeyDefaults.HeaderName} header.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
