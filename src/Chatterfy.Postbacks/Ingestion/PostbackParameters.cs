using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Chatterfy.Postbacks.Ingestion;

/// <summary>
/// The decoded parameters of an incoming postback, in the order they were read: the query string first, then the body.
/// Lookups ignore the case of names and return the first non-empty value, so a duplicated parameter resolves the same way every time.
/// </summary>
public sealed class PostbackParameters : IReadOnlyList<KeyValuePair<string, string>>
{
    private readonly List<KeyValuePair<string, string>> _items;

    /// <summary>Initializes a new instance of the <see cref="PostbackParameters"/> class.</summary>
    /// <param name="items">The decoded name/value pairs, query string first, then body.</param>
    public PostbackParameters(IEnumerable<KeyValuePair<string, string>> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        _items = [.. items];
    }

    /// <summary>Gets an empty parameter collection.</summary>
    public static PostbackParameters Empty { get; } = new([]);

    /// <inheritdoc />
    public int Count => _items.Count;

    /// <inheritdoc />
    public KeyValuePair<string, string> this[int index] => _items[index];

    /// <summary>Gets the first non-empty value of the parameter named <paramref name="name"/> (names are matched ignoring case).</summary>
    /// <param name="name">The parameter name, e.g. <c>click_id</c>.</param>
    /// <param name="value">The first non-empty value.</param>
    /// <returns><see langword="true"/> when the parameter is present with a non-empty value.</returns>
    public bool TryGetValue(string name, [NotNullWhen(true)] out string? value)
    {
        for (var i = 0; i < _items.Count; i++)
        {
            var item = _items[i];
            if (item.Value.Length > 0 && string.Equals(item.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                value = item.Value;
                return true;
            }
        }

        value = null;
        return false;
    }

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
