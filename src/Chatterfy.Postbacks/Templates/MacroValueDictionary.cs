using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Chatterfy.Postbacks.Templates;

/// <summary>
/// The case-insensitive dictionaries of <see cref="TemplateValues"/>: a <see cref="Dictionary{TKey, TValue}"/> with
/// <see cref="StringComparer.OrdinalIgnoreCase"/> that also keeps its first entries in a small table with each key's
/// hash, so a render looks a macro up by the hash its template computed once, when it was parsed.
/// </summary>
/// <remarks>
/// <para>
/// Every member of <see cref="IDictionary{TKey, TValue}"/> is the dictionary's own, so keys, exceptions and
/// enumeration behave exactly as before; the table only mirrors the entries. While there are at most
/// <see cref="TableCapacity"/> entries, <see cref="Find"/> compares the hash and then the key (ordinal, ignoring case)
/// of each, which costs a third of a dictionary lookup because the key is not hashed again; with more, it asks the
/// dictionary.
/// </para>
/// <para>Not thread-safe while it is being changed; reading it from several renders at once is fine.</para>
/// </remarks>
internal sealed class MacroValueDictionary : IDictionary<string, string>, IReadOnlyDictionary<string, string>
{
    /// <summary>The most entries the table holds; tracker fields, user fields and variables rarely have more.</summary>
    internal const int TableCapacity = 16;

    private readonly Dictionary<string, string> _dictionary = new(StringComparer.OrdinalIgnoreCase);

    // The table: entry i is (_hashes[i], _keys[i], _values[i]) for i < _count. Null until the first entry (and after
    // the entries outgrow it, until Clear), so a TemplateValues that never fills a dictionary pays nothing for it.
    private int[]? _hashes;
    private string[]? _keys;
    private string[]? _values;
    private int _count;
    private bool _overflowed;

    /// <summary>Initializes a new instance of the <see cref="MacroValueDictionary"/> class, empty.</summary>
    public MacroValueDictionary()
    {
        Lookup = _dictionary.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <inheritdoc/>
    public int Count => _dictionary.Count;

    /// <inheritdoc/>
    public ICollection<string> Keys => _dictionary.Keys;

    /// <inheritdoc/>
    public ICollection<string> Values => _dictionary.Values;

    /// <inheritdoc/>
    bool ICollection<KeyValuePair<string, string>>.IsReadOnly => false;

    /// <inheritdoc/>
    IEnumerable<string> IReadOnlyDictionary<string, string>.Keys => _dictionary.Keys;

    /// <inheritdoc/>
    IEnumerable<string> IReadOnlyDictionary<string, string>.Values => _dictionary.Values;

    /// <summary>Gets a lookup by span, for a name that is not a string of its own.</summary>
    internal Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> Lookup { get; }

    /// <inheritdoc/>
    public string this[string key]
    {
        get => _dictionary[key];
        set
        {
            _dictionary[key] = value;
            Mirror(key, value);
        }
    }

    /// <summary>The hash <see cref="Find"/> expects for a key.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The key's hash under <see cref="StringComparer.OrdinalIgnoreCase"/>.</returns>
    internal static int HashOf(string key) => StringComparer.OrdinalIgnoreCase.GetHashCode(key);

    /// <summary>Looks a key up by the hash <see cref="HashOf"/> computed for it.</summary>
    /// <param name="key">The key.</param>
    /// <param name="hash">The key's hash from <see cref="HashOf"/>.</param>
    /// <returns>The value, or <see langword="null"/> when the key is missing (or its value was forced to null).</returns>
    internal string? Find(string key, int hash)
    {
        var keys = _keys;
        if (keys is null || _overflowed)
        {
            return _overflowed && _dictionary.TryGetValue(key, out var value) ? value : null;
        }

        var hashes = _hashes.AsSpan(0, _count);
        for (var i = 0; i < hashes.Length; i++)
        {
            if (hashes[i] == hash && string.Equals(keys[i], key, StringComparison.OrdinalIgnoreCase))
            {
                return _values![i];
            }
        }

        return null;
    }

    /// <inheritdoc/>
    public void Add(string key, string value)
    {
        _dictionary.Add(key, value);
        Mirror(key, value);
    }

    /// <inheritdoc/>
    public bool ContainsKey(string key) => _dictionary.ContainsKey(key);

    /// <inheritdoc/>
    public bool Remove(string key)
    {
        if (!_dictionary.Remove(key))
        {
            return false;
        }

        Unmirror(key);
        return true;
    }

    /// <inheritdoc/>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value) => _dictionary.TryGetValue(key, out value);

    /// <inheritdoc/>
    public void Clear()
    {
        _dictionary.Clear();
        _count = 0;
        _overflowed = false;
        _keys?.AsSpan().Clear();
        _values?.AsSpan().Clear();
    }

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _dictionary.GetEnumerator();

    /// <inheritdoc/>
    IEnumerator IEnumerable.GetEnumerator() => _dictionary.GetEnumerator();

    /// <inheritdoc/>
    void ICollection<KeyValuePair<string, string>>.Add(KeyValuePair<string, string> item) => Add(item.Key, item.Value);

    /// <inheritdoc/>
    bool ICollection<KeyValuePair<string, string>>.Contains(KeyValuePair<string, string> item) =>
        ((ICollection<KeyValuePair<string, string>>)_dictionary).Contains(item);

    /// <inheritdoc/>
    void ICollection<KeyValuePair<string, string>>.CopyTo(KeyValuePair<string, string>[] array, int arrayIndex) =>
        ((ICollection<KeyValuePair<string, string>>)_dictionary).CopyTo(array, arrayIndex);

    /// <inheritdoc/>
    bool ICollection<KeyValuePair<string, string>>.Remove(KeyValuePair<string, string> item)
    {
        if (!((ICollection<KeyValuePair<string, string>>)_dictionary).Remove(item))
        {
            return false;
        }

        Unmirror(item.Key);
        return true;
    }

    // After the dictionary accepted the entry: replace the value of the equal key, or append.
    private void Mirror(string key, string value)
    {
        if (_overflowed)
        {
            return;
        }

        var hash = HashOf(key);
        var keys = _keys ??= new string[TableCapacity];
        var values = _values ??= new string[TableCapacity];
        var hashes = _hashes ??= new int[TableCapacity];
        for (var i = 0; i < _count; i++)
        {
            if (hashes[i] == hash && string.Equals(keys[i], key, StringComparison.OrdinalIgnoreCase))
            {
                values[i] = value;
                return;
            }
        }

        if (_count == TableCapacity)
        {
            // From here on Find asks the dictionary, until Clear empties both.
            _overflowed = true;
            return;
        }

        hashes[_count] = hash;
        keys[_count] = key;
        values[_count] = value;
        _count++;
    }

    // After the dictionary removed the key: remove it from the table, keeping the others in order.
    private void Unmirror(string key)
    {
        if (_overflowed || _keys is null)
        {
            return;
        }

        var hash = HashOf(key);
        for (var i = 0; i < _count; i++)
        {
            if (_hashes![i] == hash && string.Equals(_keys[i], key, StringComparison.OrdinalIgnoreCase))
            {
                _count--;
                Array.Copy(_hashes, i + 1, _hashes, i, _count - i);
                Array.Copy(_keys, i + 1, _keys, i, _count - i);
                Array.Copy(_values!, i + 1, _values!, i, _count - i);
                _keys[_count] = null!;
                _values![_count] = null!;
                return;
            }
        }
    }
}
