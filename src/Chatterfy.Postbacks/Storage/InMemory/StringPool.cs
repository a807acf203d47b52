using System.Diagnostics.CodeAnalysis;

namespace Chatterfy.Postbacks.Storage.InMemory;

/// <summary>
/// One string object per distinct value of the few-valued fields (set ids, campaigns, currencies), so a
/// million conversions of one set hold one set id. Not thread-safe: the <see cref="InMemoryDatabase"/>'s lock guards it.
/// </summary>
internal sealed class StringPool
{
    private readonly HashSet<string> _values = new(StringComparer.Ordinal);

    [return: NotNullIfNotNull(nameof(value))]
    public string? Intern(string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (_values.TryGetValue(value, out var pooled))
        {
            return pooled;
        }

        _values.Add(value);
        return value;
    }
}
