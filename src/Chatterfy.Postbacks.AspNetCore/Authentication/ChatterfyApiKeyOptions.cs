using Microsoft.AspNetCore.Authentication;

namespace Chatterfy.Postbacks.AspNetCore.Authentication;

/// <summary>
/// Options of the API-key scheme (<see cref="ChatterfyApiKeyDefaults.AuthenticationScheme"/>): a request is authenticated
/// when its <c>X-Api-Key</c> header holds one of <see cref="Keys"/>. Validated at start-up; read per request, so keys
/// bound from configuration can be rotated without a restart.
/// </summary>
public sealed class ChatterfyApiKeyOptions : AuthenticationSchemeOptions
{
    /// <summary>
    /// The accepted API keys. During a rotation list the old and the new key, move the clients to the new one, then remove
    /// the old one. In configuration: <c>Tracker:Keys:0</c>, <c>Tracker:Keys:1</c>, … (environment variables
    /// <c>Tracker__Keys__0</c>, …) for <c>AddChatterfyApiKey(configuration.GetSection("Tracker"))</c>.
    /// </summary>
    /// <value>
    /// Empty by default; at least one key is required (start-up fails otherwise, naming the option's path). Each key is
    /// one or more visible ASCII characters (<c>!</c> to <c>~</c>, no spaces), as an HTTP header carries it. Use long random
    /// keys, e.g. <c>openssl rand -hex 32</c>.
    /// </value>
    public IList<string> Keys { get; } = [];

    /// <summary>
    /// Returns whether <paramref name="key"/> is one of <see cref="Keys"/>, compared in fixed time against every key, as the
    /// scheme compares the <c>X-Api-Key</c> header. For a sign-in form that takes the key (the dashboard's).
    /// </summary>
    /// <param name="key">The key a user presented.</param>
    /// <returns><see langword="true"/> when the key is accepted; <see langword="false"/> for a missing or wrong key.</returns>
    public bool Accepts(string? key) => ApiKeyRing.For(this).Check(key) == ApiKeyCheck.Accepted;
}
