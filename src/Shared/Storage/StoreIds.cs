using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Chatterfy.Postbacks.Storage;

/// <summary>Mints the opaque ids of sets, conversions and log entries.</summary>
/// <remarks>
/// An id is a version 7 GUID (RFC 9562) in <c>"N"</c> format: 32 lowercase hex digits. Version 7 GUIDs sort by creation
/// time, which keeps database indexes append-only and log paging cheap. The 74 random bits come from
/// <see cref="RandomNumberGenerator"/>, taken from a per-thread buffer that is refilled every
/// <see cref="IdsPerRefill"/> ids: <see cref="Guid.CreateVersion7(DateTimeOffset)"/> makes a system call (a read of the
/// kernel's random source) for every id, two per postback, about 4 % of the receiver's CPU on the in-memory store.
/// </remarks>
internal static class StoreIds
{
    /// <summary>How many ids one refill of a thread's random buffer serves.</summary>
    internal const int IdsPerRefill = 32;

    private const int RandomBytesPerId = 10;

    [ThreadStatic]
    private static byte[]? t_random;

    [ThreadStatic]
    private static int t_next;

    public static string New(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        var random = t_random;
        if (random is null || t_next == random.Length)
        {
            random = t_random ??= new byte[IdsPerRefill * RandomBytesPerId];
            RandomNumberGenerator.Fill(random);
            t_next = 0;
        }

        var bits = random.AsSpan(t_next, RandomBytesPerId);
        t_next += RandomBytesPerId;

        // Big-endian layout of RFC 9562 §5.7: unix_ts_ms (48 bits), ver = 7 (4), rand_a (12), var = 0b10 (2), rand_b (62).
        Span<byte> id = stackalloc byte[16];
        BinaryPrimitives.WriteInt64BigEndian(id, timeProvider.GetUtcNow().ToUnixTimeMilliseconds() << 16);
        id[6] = (byte)(0x70 | (bits[0] & 0x0F));
        id[7] = bits[1];
        id[8] = (byte)(0x80 | (bits[2] & 0x3F));
        bits[3..].CopyTo(id[9..]);
        bits.Clear();
        return Convert.ToHexStringLower(id);
    }
}
