using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Chatterfy.Postbacks.Ingestion;

/// <summary>
/// The decoded parameters of an incoming postback, in the order they were read: the query string first, then the body.
/// Lookups ignore the case of names and return the first non-empty value, so a duplicated parameter resolves the same way every time.
/// </summary>
public sealed class PostbackParameters : IReadOnlyList<KeyValuePair<string, string>>
{
    // The parser hands every profile its request's parameters, but most profiles never look at them and the rest ask for
    // a flag or two. So a parser-made instance keeps the request's raw text and decodes it only when asked:
    // TryGetValue scans it in place, and the list below is built on the first use of the list members.
    private readonly PostbackParameterReader.ParameterSource _source;
    private List<KeyValuePair<string, string>>? _items;

    /// <summary>Initializes a new instance of the <see cref="PostbackParameters"/> class.</summary>
    /// <param name="items">The decoded name/value pairs, query string first, then body.</param>
    public PostbackParameters(IEnumerable<KeyValuePair<string, string>> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        _items = [.. items];
    }

    internal PostbackParameters(PostbackParameterReader.ParameterSource source) => _source = source;

    /// <summary>Gets an empty parameter collection.</summary>
    public static PostbackParameters Empty { get; } = new([]);

    /// <inheritdoc />
    public int Count => Items.Count;

    private List<KeyValuePair<string, string>> Items => Volatile.Read(ref _items) ?? Decode();

    /// <inheritdoc />
    public KeyValuePair<string, string> this[int index] => Items[index];

    /// <summary>Gets the first non-empty value of the parameter named <paramref name="name"/> (names are matched ignoring case).</summary>
    /// <param name="name">The parameter name, e.g. <c>click_id</c>.</param>
    /// <param name="value">The first non-empty value.</param>
    /// <returns><see langword="true"/> when the parameter is present with a non-empty value.</returns>
    public bool TryGetValue(string name, [NotNullWhen(true)] out string? value)
    {
        var items = Volatile.Read(ref _items);
        if (items is null)
        {
            return TryGetValueFromSource(name, out value);
        }

        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
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
    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => Items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    // Only the value found becomes a string.
    [SkipLocalsInit]
    private bool TryGetValueFromSource(string name, [NotNullWhen(true)] out string? value)
    {
        var cursor = new PostbackParameterReader.Cursor(
            _source,
            stackalloc char[PostbackParameterReader.Cursor.ScratchLength],
            stackalloc byte[PostbackParameterReader.Cursor.ScratchLength]);
        try
        {
            while (cursor.MoveNext(out var itemName, out var itemValue))
            {
                if (!itemValue.IsEmpty && itemName.Equals(name, StringComparison.OrdinalIgnoreCase))
                {
                    value = cursor.ValueText ?? itemValue.ToString();
                    return true;
                }
            }
        }
        finally
        {
            cursor.Dispose();
        }

        value = null;
        return false;
    }

    [SkipLocalsInit]
    private List<KeyValuePair<string, string>> Decode()
    {
        var items = new List<KeyValuePair<string, string>>();
        var cursor = new PostbackParameterReader.Cursor(
            _source,
            stackalloc char[PostbackParameterReader.Cursor.ScratchLength],
            stackalloc byte[PostbackParameterReader.Cursor.ScratchLength]);
        try
        {
            while (cursor.MoveNext(out var name, out var value))
            {
                items.Add(new(cursor.NameText ?? name.ToString(), cursor.ValueText ?? value.ToString()));
            }
        }
        finally
        {
            cursor.Dispose();
        }

        // Two threads may decode at once; both lists are equal, and the first one published wins.
        return Interlocked.CompareExchange(ref _items, items, null) ?? items;
    }
}
