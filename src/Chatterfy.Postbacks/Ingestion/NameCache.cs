namespace Chatterfy.Postbacks.Ingestion;

/// <summary>
/// A small, lossy cache of short parameter names and attribute keys, so that the names a network sends with every
/// postback (<c>user_id</c>, <c>country</c>, <c>sub2</c> …) are materialized once rather than once per request.
/// </summary>
/// <remarks>
/// A fixed table indexed by the (per-process randomized) hash of the text: a hit returns the stored string, a miss
/// allocates and overwrites the slot. Memory is bounded (<see cref="Size"/> strings of at most
/// <see cref="MaxLength"/> characters), a collision only costs an allocation, and sharing is safe because strings are
/// immutable and reference writes are atomic.
/// </remarks>
internal static class NameCache
{
    private const int Size = 512;
    private const int MaxLength = 64;

    private static readonly string?[] Entries = new string?[Size];

    /// <summary>Gets a string equal to <paramref name="text"/>, shared when it was seen recently.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The string.</returns>
    public static string Get(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty || text.Length > MaxLength)
        {
            return text.ToString();
        }

        ref var slot = ref Entries[string.GetHashCode(text) & (Size - 1)];
        var entry = slot;
        if (entry is not null && text.SequenceEqual(entry))
        {
            return entry;
        }

        entry = text.ToString();
        slot = entry;
        return entry;
    }
}
