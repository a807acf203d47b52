using System.Security.Cryptography;
using System.Text;

namespace Chatterfy.Postbacks.Forwarding.Tests.Reactions;

public static class WebhookVerifier
{
    // Chatterfy-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, t + "." + raw body)>[,v1=…]; 5 minutes of tolerance.
    public static bool IsValid(string header, byte[] body, string secret, DateTimeOffset now)
    {
        var parts = header.Split(',').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToLookup(p => p[0], p => p[1]);
        var t = parts["t"].FirstOrDefault();
        var fresh = long.TryParse(t, out var seconds) && Math.Abs(now.ToUnixTimeSeconds() - seconds) <= 300;
        var signed = Encoding.UTF8.GetBytes(t + ".").Concat(body).ToArray();
        var expected = Encoding.ASCII.GetBytes(Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed)));
        return fresh && parts["v1"].Any(v => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(v), expected));
    }
}
