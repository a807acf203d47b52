using System.Buffers;
using System.Text;

namespace Chatterfy.Postbacks.Templates;

/// <summary>
/// Percent-encodes values as URI data: UTF-8, everything but RFC 3986 unreserved characters escaped.
/// </summary>
/// <remarks>
/// <para>
/// One strict rule serves every position of a URL (authority, path, query, fragment): escaping a character that a
/// position would have allowed never changes the data, while leaving a delimiter such as <c>&amp;</c>, <c>/</c> or
/// <c>#</c> unescaped would change the link's structure. Lone surrogates become U+FFFD instead of throwing, so any
/// string renders.
/// </para>
/// <para>
/// Values are mostly unreserved (click ids, numbers), so both methods find the next character to escape with one
/// vectorized search and copy or count the run before it in bulk; only the escaped characters are handled one by one.
/// </para>
/// </remarks>
internal static class UriDataEscaper
{
    /// <summary>The most characters one UTF-16 character can escape to: a BMP character outside ASCII is 3 UTF-8 bytes.</summary>
    public const int MaxExpansion = 9;

    private const string HexDigits = "0123456789ABCDEF";

    private static readonly SearchValues<char> Unreserved =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~");

    /// <summary>Computes the escaped length of a value.</summary>
    /// <param name="value">The raw value.</param>
    /// <returns>The number of characters <see cref="Escape"/> writes; a <see cref="long"/> because it can exceed <see cref="int.MaxValue"/>.</returns>
    internal static long GetEscapedLength(ReadOnlySpan<char> value)
    {
        long length = 0;
        int run;
        while ((run = value.IndexOfAnyExcept(Unreserved)) >= 0)
        {
            length += run;
            var c = value[run];
            if (char.IsAscii(c))
            {
                length += 3;
                value = value[(run + 1)..];
            }
            else
            {
                _ = Rune.DecodeFromUtf16(value[run..], out var rune, out var consumed);
                length += 3L * rune.Utf8SequenceLength;
                value = value[(run + consumed)..];
            }
        }

        return length + value.Length;
    }

    /// <summary>Writes the escaped value.</summary>
    /// <param name="value">The raw value.</param>
    /// <param name="destination">
    /// Where to write; at least <see cref="GetEscapedLength"/> characters long, which
    /// <see cref="MaxExpansion"/> times the value's length always is.
    /// </param>
    /// <returns>The number of characters written.</returns>
    internal static int Escape(ReadOnlySpan<char> value, Span<char> destination)
    {
        var written = 0;
        int run;
        while ((run = value.IndexOfAnyExcept(Unreserved)) >= 0)
        {
            value[..run].CopyTo(destination[written..]);
            written += run;
            var c = value[run];
            if (char.IsAscii(c))
            {
                written += WriteByte(c, destination[written..]);
                value = value[(run + 1)..];
                continue;
            }

            // An invalid sequence decodes to U+FFFD with consumed = 1, which is the replacement we want.
            _ = Rune.DecodeFromUtf16(value[run..], out var rune, out var consumed);
            value = value[(run + consumed)..];
            var scalar = (uint)rune.Value;
            switch (rune.Utf8SequenceLength)
            {
                case 2:
                    written += WriteByte(0xC0 | (scalar >> 6), destination[written..]);
                    break;
                case 3:
                    written += WriteByte(0xE0 | (scalar >> 12), destination[written..]);
                    written += WriteByte(0x80 | ((scalar >> 6) & 0x3F), destination[written..]);
                    break;
                default:
                    written += WriteByte(0xF0 | (scalar >> 18), destination[written..]);
                    written += WriteByte(0x80 | ((scalar >> 12) & 0x3F), destination[written..]);
                    written += WriteByte(0x80 | ((scalar >> 6) & 0x3F), destination[written..]);
                    break;
            }

            written += WriteByte(0x80 | (scalar & 0x3F), destination[written..]);
        }

        value.CopyTo(destination[written..]);
        return written + value.Length;
    }

    private static int WriteByte(uint value, Span<char> destination)
    {
        destination[2] = HexDigits[(int)(value & 0xF)];
        destination[1] = HexDigits[(int)(value >> 4)];
        destination[0] = '%';
        return 3;
    }
}
