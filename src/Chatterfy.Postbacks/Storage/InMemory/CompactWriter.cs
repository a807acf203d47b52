using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Chatterfy.Postbacks.Storage.InMemory;

/// <summary>
/// Writes a record as bytes, which the in-memory store copies into a <see cref="ByteArena"/>: a conversion or a log entry
/// is kept as a run of bytes, not a graph of strings, dictionaries and addresses. Strings are UTF-8 (UTF-16 for a string that has a lone surrogate, which
/// UTF-8 cannot carry), each after its length; <see cref="CompactReader"/> reads the fields back in the same order.
/// </summary>
internal ref struct CompactWriter
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private byte[] _buffer;
    private int _length;

    public CompactWriter(int capacity)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(capacity);
        _length = 0;
    }

    public void WriteString(string? value)
    {
        if (value is null)
        {
            WriteVarint(0);
            return;
        }

        // The length's low bit tells the encoding; 0 is null, so every length is shifted up by one.
        int byteCount;
        try
        {
            byteCount = StrictUtf8.GetByteCount(value);
        }
        catch (EncoderFallbackException)
        {
            WriteVarint(((ulong)value.Length << 1 | 1) + 1);
            var bytes = value.Length * sizeof(char);
            Ensure(bytes);
            for (var i = 0; i < value.Length; i++)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(_length + (i * 2)), value[i]);
            }

            _length += bytes;
            return;
        }

        WriteVarint(((ulong)byteCount << 1) + 1);
        Ensure(byteCount);
        _length += StrictUtf8.GetBytes(value, _buffer.AsSpan(_length));
    }

    public void WriteVarint(ulong value)
    {
        Ensure(10);
        while (value >= 0x80)
        {
            _buffer[_length++] = (byte)(value | 0x80);
            value >>= 7;
        }

        _buffer[_length++] = (byte)value;
    }

    public void WriteInt64(long value)
    {
        Ensure(sizeof(long));
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(_length), value);
        _length += sizeof(long);
    }

    public void WriteDecimal(decimal? value)
    {
        if (value is not { } amount)
        {
            WriteVarint(0);
            return;
        }

        WriteVarint(1);
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(amount, bits);
        foreach (var part in bits)
        {
            Ensure(sizeof(int));
            BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_length), part);
            _length += sizeof(int);
        }
    }

    public void WriteAddress(IPAddress? address)
    {
        if (address is null)
        {
            WriteVarint(0);
            return;
        }

        Ensure(17);
        if (!address.TryWriteBytes(_buffer.AsSpan(_length + 1), out var written))
        {
            throw new InvalidOperationException("An IP address is longer than 16 bytes.");
        }

        _buffer[_length] = (byte)written;
        _length += written + 1;
        if (written == 16)
        {
            WriteVarint((ulong)address.ScopeId);
        }
    }

    /// <summary>Hands the written bytes over, in the writer's pooled buffer; the writer is not used after.</summary>
    public Encoded Detach()
    {
        var encoded = new Encoded(_buffer, _length);
        _buffer = [];
        _length = 0;
        return encoded;
    }

    private void Ensure(int more)
    {
        if (_length + more <= _buffer.Length)
        {
            return;
        }

        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + more));
        _buffer.AsSpan(0, _length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }
}
