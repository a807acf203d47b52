using System.Buffers;

namespace Chatterfy.Postbacks.Storage.InMemory;

/// <summary>Encoded bytes in a pooled buffer: copy them where they are kept, then <see cref="Return"/> the buffer.</summary>
internal readonly struct Encoded(byte[] buffer, int length)
{
    public ReadOnlySpan<byte> Bytes => buffer is null ? default : buffer.AsSpan(0, length);

    /// <summary>Gives the buffer back to the pool (nothing for the default value).</summary>
    public void Return()
    {
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
