using System.Buffers.Text;
using System.Security.Cryptography;

namespace Chatterfy.Postbacks.PostbackSets;

/// <summary>Mints and recognises postback set tokens: 128 bits from a CSPRNG as 22 base64url characters.</summary>
internal static class PostbackSetToken
{
    public const int Length = 22;

    public static string New()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>Cheap shape check before any lookup, so garbage never reaches the store.</summary>
    public static bool HasValidShape(ReadOnlySpan<char> token)
    {
        if (token.Length != Length)
        {
            return false;
        }

        foreach (var c in token)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }
}
