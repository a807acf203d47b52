using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Primitives;

namespace Chatterfy.Postbacks.AspNetCore.Authentication;

/// <summary>
/// The accepted keys of one options instance, kept as SHA-256 hashes and compared in fixed time: every accepted key is
/// compared with the presented one, equal-length hashes with <see cref="CryptographicOperations.FixedTimeEquals"/>, so
/// the time taken tells neither how much of a key matched nor how long the keys are. The scheme's handler calls it; a
/// sign-in form can call it with the same options.
/// </summary>
internal sealed class ApiKeyRing
{
    private const char FirstVisible = '!';
    private const char LastVisible = '~';

    // One ring per options instance: IOptionsMonitor creates a new instance when the configuration changes.
    private static readonly ConditionalWeakTable<ChatterfyApiKeyOptions, ApiKeyRing> Rings = [];

    private readonly byte[][] _hashes;

    private ApiKeyRing(IEnumerable<string> keys) => _hashes = [.. keys.Where(IsWellFormed).Select(Hash)];

    /// <summary>The ring of <paramref name="options"/>' keys (well-formed keys only; validation refuses the others at start-up).</summary>
    public static ApiKeyRing For(ChatterfyApiKeyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Rings.GetValue(options, static o => new ApiKeyRing(o.Keys));
    }

    /// <summary>Whether <paramref name="key"/> can be an API key: one or more visible ASCII characters, as a header carries them.</summary>
    public static bool IsWellFormed(string? key) =>
        !string.IsNullOrEmpty(key) && key.AsSpan().IndexOfAnyExceptInRange(FirstVisible, LastVisible) < 0;

    /// <summary>Checks the presented key (a header's values: none, one, or several, which is never accepted).</summary>
    public ApiKeyCheck Check(StringValues presented)
    {
        if (presented.Count == 0 || (presented.Count == 1 && string.IsNullOrEmpty(presented[0])))
        {
            return ApiKeyCheck.Missing;
        }

        if (presented.Count > 1)
        {
            return ApiKeyCheck.Wrong;
        }

        var hash = Hash(presented[0]!);
        var accepted = false;
        foreach (var expected in _hashes)
        {
            // No early exit: every key is compared, whichever matches.
            accepted |= CryptographicOperations.FixedTimeEquals(hash, expected);
        }

        return accepted ? ApiKeyCheck.Accepted : ApiKeyCheck.Wrong;
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
