using System.Buffers;
using System.Collections;
using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;

namespace Chatterfy.Postbacks.Ingestion;

/// <summary>
/// The parser's <see cref="Conversion.Attributes"/>: an immutable, ordinal map in insertion order over one exactly sized
/// array. A postback carries a handful of <c>fields.*</c> (at most <see cref="PostbackParser.MaxAttributes"/>), so a
/// linear search beats hashing, and the map costs about half of a <see cref="Dictionary{TKey, TValue}"/> per postback.
/// </summary>
internal sealed class AttributeMap : IReadOnlyDictionary<string, string>
{
    private readonly KeyValuePair<string, string>[] _items;

    private AttributeMap(KeyValuePair<string, string>[] items) => _items = items;

    /// <inheritdoc />
    public int Count => _items.Length;

    /// <inheritdoc />
    public IEnumerable<string> Keys => _items.Select(static item => item.Key);

    /// <inheritdoc />
    public IEnumerable<string> Values => _items.Select(static item => item.Value);

    /// <inheritdoc />
    public string this[string key] => TryGetValue(key, out var value)
        ? value
        : throw new KeyNotFoundException($"The attribute '{key}' is not present.");

    /// <inheritdoc />
    public bool ContainsKey(string key) => TryGetValue(key, out _);

    /// <inheritdoc />
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        foreach (var item in _items)
        {
            if (string.Equals(item.Key, key, StringComparison.Ordinal))
            {
                value = item.Value;
                return true;
            }
        }

        value = null;
        return false;
    }

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, string>>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Collects attributes in a pooled array while a postback is read; <see cref="Build"/> makes the map.</summary>
    internal struct Builder
    {
        private KeyValuePair<string, string>[]? _items;
        private int _count;

        /// <summary>Gets how many attributes were added.</summary>
        public readonly int Count => _count;

        /// <summary>Whether an attribute with <paramref name="key"/> (ordinal) was added.</summary>
        public readonly bool ContainsKey(ReadOnlySpan<char> key)
        {
            for (var i = 0; i < _count; i++)
            {
                if (key.SequenceEqual(_items![i].Key))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Adds an attribute whose key is not present yet.</summary>
        public void Add(string key, string value)
        {
            if (_items is null || _count == _items.Length)
            {
                var next = ArrayPool<KeyValuePair<string, string>>.Shared.Rent(Math.Max(8, _count * 2));
                if (_items is not null)
                {
                    _items.AsSpan(0, _count).CopyTo(next);
                    ArrayPool<KeyValuePair<string, string>>.Shared.Return(_items, clearArray: true);
                }

                _items = next;
            }

            _items[_count++] = new(key, value);
        }

        /// <summary>Creates the map and returns the pooled array; the builder is empty afterwards.</summary>
        public IReadOnlyDictionary<string, string> Build()
        {
            if (_items is null)
            {
                return ReadOnlyDictionary<string, string>.Empty;
            }

            var map = new AttributeMap(_items.AsSpan(0, _count).ToArray());
            ArrayPool<KeyValuePair<string, string>>.Shared.Return(_items, clearArray: true);
            _items = null;
            _count = 0;
            return map;
        }
    }
}
