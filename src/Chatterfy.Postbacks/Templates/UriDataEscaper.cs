using System.Text;

namespace Chatterfy.Postbacks.Templates;

/// <summary>
/// Percent-encodes values as URI data: UTF-8, everything but RFC 3986 unreserved characters escaped.
/// </summary>
/// <remarks>
/// One strict rule serves every position of a URL (authority, path, query, fragment): escaping a character that a
/// position would have allowed never changes the data, while leaving a delimiter such as <c>&amp;</c>, <c>/</c> or
/// <c>#</c> unescaped would change the link's structure. Lone surrogates become U+FFFD instead of throwing, so any
/// string renders.
/// </remarks>
internal static class UriDataEscaper
{
    private const string HexDigits = "0123456789ABCDEF";

    /// <summary>Computes the escaped length of a value.</summary>
    /// <param name="value">The raw value.</param>
    /// <returns>The number of characters <see cref="Escape"/> writes; a <see cref="long"/> because it can exceed <see cref="int.MaxValue"/>.</returns>
    internal static long GetEscapedLength(ReadOnlySpan<char> value)
    {
        long length = 0;
        var index = 0;
        while (index < value.Length)
        {
            var c = value[index];
            if (IsUnreserved(c))
            {
                length++;
                index++;
            }
            else if (char.IsAscii(c))
            {
                length += 3;
                index++;
            }
            else
            {
                _ = Rune.DecodeFromUtf16(value[index..], out var rune, out var consumed);
                length += 3L * rune.Utf8SequenceLength;
                index += consumed;
            }
        }

        return length;
    }

    /// <summary>Writes the escaped value.</summary>
    /// <param name="value">The raw value.</param>
    /// <param name="destination">Where to write; at least <see cref="GetEscapedLength"/> characters long.</param>
    /// <returns>The number of characters written.</returns>
    internal static int Escape(ReadOnlySpan<char> value, Span<char> destination)
    {
        Span<byte> utf8 = stackalloc byte[4];
        var written = 0;
        var index = 0;
        while (index < value.Length)
        {
            var c = value[index];
            if (IsUnreserved(c))
            {
                destination[written++] = c;
                index++;
                continue;
            }

            int byteCount;
            if (char.IsAscii(c))
            {
                utf8[0] = (byte)c;
                byteCount = 1;
                index++;
            }
            else
            {
                // An invalid sequence decodes to U+FFFD with consumed = 1, which is the replacement we want.
                _ = Rune.DecodeFromUtf16(value[index..], out var rune, out var consumed);
                byteCount = rune.EncodeToUtf8(utf8);
                index += consumed;
            }

            for (var i = 0; i < byteCount; i++)
            {
                destination[written] = '%';
                destination[written + 1] = HexDigits[utf8[i] >> 4];
                destination[written + 2] = HexDigits[utf8[i] & 0xF];
                written += 3;
            }
        }

        return written;
    }

    private static bool IsUnreserved(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~';
}
