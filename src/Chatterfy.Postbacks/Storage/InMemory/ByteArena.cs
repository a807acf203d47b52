namespace Chatterfy.Postbacks.Storage.InMemory;

/// <summary>
/// Append-only storage for the in-memory store's encoded records: runs of bytes in chunks (4 KiB at first, doubling up to
/// 1 MiB), so a million records are a few hundred arrays rather than a million objects for the garbage collector to walk.
/// A chunk whose records were all released (purged log entries) is dropped. Not thread-safe: the
/// <see cref="InMemoryDatabase"/>'s lock guards it.
/// </summary>
internal sealed class ByteArena
{
    private const int FirstChunkSize = 4 * 1024;
    private const int MaxChunkSize = 1024 * 1024;

    private readonly List<byte[]?> _chunks = [];
    private readonly List<int> _live = [];
    private byte[] _current = [];
    private int _used;

    /// <summary>Copies <paramref name="bytes"/> in and returns where they are.</summary>
    public Address Write(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > _current.Length - _used)
        {
            // A record larger than a chunk (none is: a body is at most 16 KiB) gets a chunk of its own size.
            var size = Math.Max(Math.Clamp(_current.Length * 2, FirstChunkSize, MaxChunkSize), bytes.Length);
            _current = new byte[size];
            _chunks.Add(_current);
            _live.Add(0);
            _used = 0;
        }

        bytes.CopyTo(_current.AsSpan(_used));
        var address = new Address(_chunks.Count - 1, _used, bytes.Length);
        _used += bytes.Length;
        _live[address.Chunk]++;
        return address;
    }

    public ReadOnlySpan<byte> Read(Address address) => _chunks[address.Chunk].AsSpan(address.Offset, address.Length);

    /// <summary>Forgets a record; its chunk is dropped once none of its records is left (unless more are written to it).</summary>
    public void Release(Address address)
    {
        if (--_live[address.Chunk] == 0 && address.Chunk != _chunks.Count - 1)
        {
            _chunks[address.Chunk] = null;
        }
    }

    /// <summary>Where a record's bytes are: 12 bytes, no object.</summary>
    internal readonly record struct Address(int Chunk, int Offset, int Length);
}
