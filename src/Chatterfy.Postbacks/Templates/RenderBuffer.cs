using System.Buffers;
using System.Runtime.CompilerServices;

namespace Chatterfy.Postbacks.Templates;

/// <summary>
/// A growable character buffer that starts on the caller's stack and falls back to pooled arrays, so rendering
/// allocates nothing but the final string.
/// </summary>
internal ref struct RenderBuffer
{
    private char[]? _rented;
    private Span<char> _chars;
    private int _length;

    /// <summary>Initializes a new instance of the <see cref="RenderBuffer"/> struct.</summary>
    /// <param name="initial">The initial storage, typically stack-allocated.</param>
    public RenderBuffer(Span<char> initial)
    {
        _rented = null;
        _chars = initial;
        _length = 0;
    }

    /// <summary>Appends text verbatim.</summary>
    /// <param name="value">The text.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Append(scoped ReadOnlySpan<char> value)
    {
        if (value.Length > _chars.Length - _length)
        {
            Grow(value.Length);
        }

        value.CopyTo(_chars[_length..]);
        _length += value.Length;
    }

    /// <summary>Appends a value percent-encoded as URI data.</summary>
    /// <param name="value">The raw value.</param>
    public void AppendUriData(scoped ReadOnlySpan<char> value)
    {
        // The bound costs nothing and almost always fits; the exact length costs a pass over the value, so it is
        // computed only when the bound does not fit the space left.
        if ((long)value.Length * UriDataEscaper.MaxExpansion > _chars.Length - _length)
        {
            var escapedLength = UriDataEscaper.GetEscapedLength(value);
            if (escapedLength > _chars.Length - _length)
            {
                Grow(escapedLength);
            }
        }

        _length += UriDataEscaper.Escape(value, _chars[_length..]);
    }

    /// <summary>Creates the string of the characters written so far.</summary>
    /// <returns>The rendered text.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public override readonly string ToString() => new(_chars[.._length]);

    /// <summary>Returns any pooled array.</summary>
    public void Dispose()
    {
        var rented = _rented;
        _rented = null;
        _chars = default;
        _length = 0;
        if (rented is not null)
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }

    private void Grow(long additional)
    {
        var required = _length + additional;
        if (required > Array.MaxLength)
        {
            // Only reachable with values of over a hundred million characters; no string could hold the result.
            throw new InvalidOperationException("The rendered text would be longer than the longest possible string.");
        }

        var capacity = (int)Math.Max(required, Math.Min(2L * _chars.Length, Array.MaxLength));
        var next = ArrayPool<char>.Shared.Rent(capacity);
        _chars[.._length].CopyTo(next);
        var previous = _rented;
        _rented = next;
        _chars = next;
        if (previous is not null)
        {
            ArrayPool<char>.Shared.Return(previous);
        }
    }
}
