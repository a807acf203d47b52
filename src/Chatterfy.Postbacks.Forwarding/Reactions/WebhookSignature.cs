using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Chatterfy.Postbacks.Forwarding.Reactions;

/// <summary>
/// The signature of a signed webhook, the Stripe way: header <c>Chatterfy-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</c>
/// where the hex is the lower-case HMAC-SHA256, keyed with the rule's secret (its UTF-8 bytes), of
/// <c>t + "." + raw body</c>; one <c>v1</c> per secret while a secret rotates. Receivers check one <c>v1</c> against
/// their secret and refuse a <c>t</c> more than <see cref="DefaultTolerance"/> away from their clock.
/// </summary>
public static class WebhookSignature
{
    /// <summary>The header that carries the signature.</summary>
    public const string HeaderName = "Chatterfy-Signature";

    /// <summary>The header that carries the delivery id (the outbox message id), for the receiver's de-duplication.</summary>
    public const string DeliveryHeaderName = "Chatterfy-Delivery";

    /// <summary>The tolerance receivers should allow between <c>t</c> and their clock: 5 minutes.</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    /// <summary>Makes the header value for <paramref name="body"/>, signed at <paramref name="timestamp"/> with each of <paramref name="secrets"/>.</summary>
    /// <param name="timestamp">The signing time; its Unix seconds are <c>t</c>.</param>
    /// <param name="body">The raw body, as sent.</param>
    /// <param name="secrets">The secrets, current first; each gives one <c>v1</c>.</param>
    /// <returns>The header value, such as <c>t=1796296071,v1=5f…,v1=9a…</c>.</returns>
    public static string Create(DateTimeOffset timestamp, ReadOnlySpan<byte> body, IEnumerable<string> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        var t = timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var header = new StringBuilder("t=").Append(t);
        foreach (var secret in secrets)
        {
            ArgumentException.ThrowIfNullOrEmpty(secret);
            header.Append(",v1=").Append(Convert.ToHexStringLower(Compute(secret, t, body)));
        }

        return header.ToString();
    }

    /// <summary>Checks the header of a received webhook against <paramref name="secret"/> and the clock.</summary>
    /// <param name="header">The <see cref="HeaderName"/> header's value, or <see langword="null"/> when it is missing.</param>
    /// <param name="body">The raw body, exactly as received (before any JSON parsing).</param>
    /// <param name="secret">The receiver's secret.</param>
    /// <param name="now">The receiver's clock.</param>
    /// <param name="tolerance">The largest accepted distance between <c>t</c> and <paramref name="now"/>; <see cref="DefaultTolerance"/> when <see langword="null"/>.</param>
    /// <returns><see cref="WebhookSignatureCheck.Valid"/> when one <c>v1</c> matches and <c>t</c> is within the tolerance.</returns>
    public static WebhookSignatureCheck Verify(string? header, ReadOnlySpan<byte> body, string secret, DateTimeOffset now, TimeSpan? tolerance = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        if (string.IsNullOrEmpty(header))
        {
            return WebhookSignatureCheck.Missing;
        }

        string? t = null;
        var signatures = new List<byte[]>();
        foreach (var part in header.Split(','))
        {
            var pair = part.Trim();
            if (pair.StartsWith("t=", StringComparison.Ordinal) && t is null)
            {
                t = pair[2..];
            }
            else if (pair.StartsWith("v1=", StringComparison.Ordinal) && pair.Length == 3 + 64)
            {
                try
                {
                    signatures.Add(Convert.FromHexString(pair.AsSpan(3)));
                }
                catch (FormatException)
                {
                    return WebhookSignatureCheck.Malformed;
                }
            }
        }

        if (t is null || signatures.Count == 0 || !long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return WebhookSignatureCheck.Malformed;
        }

        var expected = Compute(secret, t, body);
        if (!signatures.Exists(s => CryptographicOperations.FixedTimeEquals(s, expected)))
        {
            return WebhookSignatureCheck.Mismatch;
        }

        var age = now - DateTimeOffset.FromUnixTimeSeconds(seconds);
        return age.Duration() > (tolerance ?? DefaultTolerance) ? WebhookSignatureCheck.OutsideTolerance : WebhookSignatureCheck.Valid;
    }

    private static byte[] Compute(string secret, string t, ReadOnlySpan<byte> body)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret));
        hmac.AppendData(Encoding.ASCII.GetBytes(t + "."));
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }
}
