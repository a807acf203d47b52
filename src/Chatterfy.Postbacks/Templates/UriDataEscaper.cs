using System.Buffers;
using System.Runtime.CompilerServices;
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
/// Link values are short (click ids, names, numbers). <see cref="Escape"/> copies the clean prefix found by one
/// vectorized search in bulk and walks the rest one character at a time with a 128-bit table of the unreserved
/// characters: measured faster than searching again after every escaped character, whose set-up costs more than these
/// short runs take to scan.
/// </para>
/// </remarks>
internal static class UriDataEscaper
{
    /// <summary>The most characters one UTF-16 character can escape to: a BMP character outside ASCII is 3 UTF-8 bytes.</summary>
    public const int MaxExpansion = 9;

    private const string HexDigits = "0123456789ABCDEF";

    // Bit c of the pair (Low for c < 64, High for 64 <= c < 128) is set when ASCII character c is unreserved:
    // '-' '.' '0'-'9' in Low; 'A'-'Z' '_' 'a'-'z' '~' in High.
    private const ulong UnreservedLow = 0x03FF_6000_0000_0000UL;
    private const ulong UnreservedHigh = 0x47FF_FFFE_87FF_FFFEUL;

    /// <summary>Finds the first character of a value that needs escaping.</summary>
    /// <param name="value">The raw value.</param>
    /// <returns>Its index, or -1 when the value is all unreserved characters and is written as it is.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int IndexOfReserved(ReadOnlySpan<char> value) => value.IndexOfAnyExcept(Unreserved);

    /// <summary>Computes the escaped length of a value.</summary>
    /// <param name="value">The raw value.</param>
    /// <returns>The number of characters <see cref="Escape"/> writes; a <see cref="long"/> because it can exceed <see cref="int.MaxValue"/>.</returns>
    internal static long GetEscapedLength(ReadOnlySpan<char> value)
    {
        var index = IndexOfReserved(value);
        return index < 0 ? value.Length : index + GetEscapedLengthOfRest(value[index..]);
    }

    /// <summary>Computes the escaped length of the part of a value from its first character that needs escaping.</summary>
    /// <param name="rest">The value from the index <see cref="IndexOfReserved"/> found.</param>
    /// <returns>The number of characters <see cref="EscapeRest"/> writes.</returns>
    internal static long GetEscapedLengthOfRest(ReadOnlySpan<char> rest)
    {
        long length = 0;
        var index = 0;
        while (index < rest.Length)
        {
            var c = rest[index];
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
                _ = Rune.DecodeFromUtf16(rest[index..], out var rune, out var consumed);
                length += 3L * rune.Utf8SequenceLength;
                index += consumed;
            }
        }

        return length;
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
        // Most values need no escaping, or only after a clean prefix: one vectorized search finds where, and the clean
        // part is copied in bulk.
        var index = IndexOfReserved(value);
        if (index < 0)
        {
            value.CopyTo(destination);
            return value.Length;
        }

        value[..index].CopyTo(destination);
        return index + EscapeRest(value[index..], destination[index..]);
    }

    /// <summary>Writes the escaped part of a value from its first character that needs escaping.</summary>
    /// <param name="rest">The value from the index <see cref="IndexOfReserved"/> found.</param>
    /// <param name="destination">Where to write; at least <see cref="GetEscapedLengthOfRest"/> characters long.</param>
    /// <returns>The number of characters written.</returns>
    internal static int EscapeRest(ReadOnlySpan<char> rest, Span<char> destination)
    {
        var written = 0;
        var index = 0;
        while (index < rest.Length)
        {
            var c = rest[index];
            if (IsUnreserved(c))
            {
                destination[written++] = c;
                index++;
                continue;
            }

            if (char.IsAscii(c))
            {
                written += WriteByte(c, destination[written..]);
                index++;
                continue;
            }

            // An invalid sequence decodes to U+FFFD with consumed = 1, which is the replacement we want.
            _ = Rune.DecodeFromUtf16(rest[index..], out var rune, out var consumed);
            index += consumed;
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

        return written;
    }

    private static readonly SearchValues<char> Unreserved =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~");

    private static bool IsUnreserved(char c) =>
        c < 128 && (((c < 64 ? UnreservedLow : UnreservedHigh) >> (c & 63)) & 1) != 0;

    private static int WriteByte(uint value, Span<char> destination)
    {
        destination[2] = HexDigits[(int)(value & 0xF)];
        destination[1] = HexDigits[(int)(value >> 4)];
        destination[0] = '%';
        return 3;
    }
}
