using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Chatterfy.Postbacks.Clicks;

/// <summary>
/// The default <see cref="IClickIdGenerator"/>: <see cref="ChatterfyPostbacksOptions.ClickIdLength"/> characters of
/// <c>[A-Za-z0-9]</c> from a CSPRNG (12 characters carry 71 bits), well inside Telegram's 64-character <c>/start</c> payload.
/// </summary>
public sealed class RandomClickIdGenerator : IClickIdGenerator
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private readonly IOptionsMonitor<ChatterfyPostbacksOptions> _options;

    /// <summary>Initializes a new instance of the <see cref="RandomClickIdGenerator"/> class.</summary>
    /// <param name="options">The options that set the id length.</param>
    public RandomClickIdGenerator(IOptionsMonitor<ChatterfyPostbacksOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <inheritdoc />
    public string NewClickId() => NewClickId(_options.CurrentValue.ClickIdLength);

    /// <summary>Returns a new click id of the given length.</summary>
    /// <param name="length">The length, from 8 to 32.</param>
    /// <returns>The click id.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is outside 8 to 32.</exception>
    public static string NewClickId(int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, ChatterfyPostbacksOptions.MinClickIdLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, ChatterfyPostbacksOptions.MaxClickIdLength);
        return RandomNumberGenerator.GetString(Alphabet, length);
    }
}
