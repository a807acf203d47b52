using System.Globalization;

namespace Chatterfy.Postbacks.Storage.InMemory;

/// <summary>
/// An id as the in-memory store keeps it: the ids the SDK mints (32 lower-case hex digits, <c>StoreIds</c>) as two numbers,
/// with no string object at all; any other id as its string. Equality and order are those of the id's text (ordinal).
/// </summary>
internal readonly struct CompactId : IEquatable<CompactId>, IComparable<CompactId>
{
    private const int HexLength = 32;

    private readonly ulong _high;
    private readonly ulong _low;

    // Null for the hex form. A text that has the hex form is always stored as numbers, so two equal ids have one form.
    private readonly string? _text;

    private CompactId(ulong high, ulong low, string? text)
    {
        _high = high;
        _low = low;
        _text = text;
    }

    public static CompactId From(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (id.Length == HexLength && IsLowerHex(id)
            && ulong.TryParse(id.AsSpan(0, 16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var high)
            && ulong.TryParse(id.AsSpan(16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var low))
        {
            return new CompactId(high, low, null);
        }

        return new CompactId(0, 0, id);
    }

    public bool Equals(CompactId other) =>
        _text is null ? other._text is null && _high == other._high && _low == other._low : string.Equals(_text, other._text, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is CompactId other && Equals(other);

    public override int GetHashCode() => _text is null ? HashCode.Combine(_high, _low) : string.GetHashCode(_text, StringComparison.Ordinal);

    /// <summary>Orders as <see cref="string.CompareOrdinal(string, string)"/> orders the ids' texts.</summary>
    public int CompareTo(CompactId other)
    {
        if (_text is null && other._text is null)
        {
            // Hex digits sort 0-9 before a-f, as their values do: the text's order is the numbers' order.
            var byHigh = _high.CompareTo(other._high);
            return byHigh != 0 ? byHigh : _low.CompareTo(other._low);
        }

        return Math.Sign(string.CompareOrdinal(ToString(), other.ToString()));
    }

    public override string ToString() => _text ?? string.Create(HexLength, (_high, _low), static (span, value) =>
    {
        value._high.TryFormat(span[..16], out _, "x16", CultureInfo.InvariantCulture);
        value._low.TryFormat(span[16..], out _, "x16", CultureInfo.InvariantCulture);
    });

    private static bool IsLowerHex(string id)
    {
        foreach (var c in id)
        {
            if (!char.IsAsciiDigit(c) && c is < 'a' or > 'f')
            {
                return false;
            }
        }

        return true;
    }
}
