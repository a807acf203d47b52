using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Chatterfy.Postbacks.Storage.InMemory;

/// <summary>Reads back, field by field in the same order, what <see cref="CompactWriter"/> wrote.</summary>
internal ref struct CompactReader(ReadOnlySpan<byte> bytes)
{
    private readonly ReadOnlySpan<byte> _bytes = bytes;
    private int _position;

    public string? ReadString()
    {
        var header = ReadVarint();
        if (header == 0)
        {
            return null;
        }

        var length = (int)((header - 1) >> 1);
        if (((header - 1) & 1) == 0)
        {
            var text = Encoding.UTF8.GetString(_bytes.Slice(_position, length));
            _position += length;
            return text;
        }

        var chars = _bytes.Slice(_position, length * sizeof(char));
        _position += chars.Length;
        return string.Create(length, chars.ToArray(), static (span, source) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (char)BinaryPrimitives.ReadUInt16LittleEndian(source.AsSpan(i * 2));
            }
        });
    }

    /// <summary>Moves past the next string without making it.</summary>
    public void SkipString()
    {
        var header = ReadVarint();
        if (header != 0)
        {
            var length = (int)((header - 1) >> 1);
            _position += ((header - 1) & 1) == 0 ? length : length * sizeof(char);
        }
    }

    /// <summary>Tells whether the next string equals <paramref name="value"/> (ordinal) without making it, and moves past it.</summary>
    public bool StringEquals(string value)
    {
        var header = ReadVarint();
        if (header == 0)
        {
            return false;
        }

        var length = (int)((header - 1) >> 1);
        var utf16 = ((header - 1) & 1) != 0;
        var bytes = _bytes.Slice(_position, utf16 ? length * sizeof(char) : length);
        _position += bytes.Length;
        if (utf16)
        {
            if (length != value.Length)
            {
                return false;
            }

            for (var i = 0; i < length; i++)
            {
                if (BinaryPrimitives.ReadUInt16LittleEndian(bytes[(i * 2)..]) != value[i])
                {
                    return false;
                }
            }

            return true;
        }

        // UTF-8 is at least one byte per char and at most three per UTF-16 char: a quick length check, then the text.
        if (length < value.Length || length > value.Length * 3)
        {
            return false;
        }

        Span<char> decoded = length <= 512 ? stackalloc char[length] : new char[length];
        var count = Encoding.UTF8.GetChars(bytes, decoded);
        return decoded[..count].SequenceEqual(value);
    }

    public ulong ReadVarint()
    {
        ulong value = 0;
        var shift = 0;
        while (true)
        {
            var b = _bytes[_position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }

            shift += 7;
        }
    }

    public long ReadInt64()
    {
        var value = BinaryPrimitives.ReadInt64LittleEndian(_bytes[_position..]);
        _position += sizeof(long);
        return value;
    }

    public decimal? ReadDecimal()
    {
        if (ReadVarint() == 0)
        {
            return null;
        }

        Span<int> bits = stackalloc int[4];
        for (var i = 0; i < bits.Length; i++)
        {
            bits[i] = BinaryPrimitives.ReadInt32LittleEndian(_bytes[_position..]);
            _position += sizeof(int);
        }

        return new decimal(bits);
    }

    public IPAddress? ReadAddress()
    {
        var length = _bytes[_position++];
        if (length == 0)
        {
            return null;
        }

        var bytes = _bytes.Slice(_position, length);
        _position += length;
        return length == 16 ? new IPAddress(bytes, (long)ReadVarint()) : new IPAddress(bytes);
    }
}
