using System.Collections.Frozen;
using System.Text;
using System.Text.Json;

namespace Chatterfy.Postbacks.Ingestion;

/// <summary>
/// A network's words for each <see cref="ConversionStatus"/>, matched ignoring case. A set's map
/// (<see cref="PostbackSets.PostbackSet.StatusMap"/>) replaces <see cref="Default"/> entirely; a status it gives no words
/// has none. A word no status lists makes the conversion <see cref="ConversionStatus.Pending"/> with warning
/// <c>status_unknown</c>, the word kept.
/// </summary>
public sealed class ConversionStatusMap
{
    /// <summary>The most words one status may have.</summary>
    public const int MaxWordsPerStatus = 32;

    /// <summary>The longest word, in characters.</summary>
    public const int MaxWordLength = 64;

    /// <summary>The field name of a set's map, in the API and in validation errors.</summary>
    public const string Field = "statusMap";

    private readonly FrozenDictionary<string, ConversionStatus> _byWord;

    private ConversionStatusMap(IReadOnlyDictionary<ConversionStatus, IReadOnlyList<string>> words)
    {
        Words = words;
        var byWord = new Dictionary<string, ConversionStatus>(StringComparer.OrdinalIgnoreCase);
        foreach (var (status, list) in words)
        {
            foreach (var word in list)
            {
                byWord[word] = status;
            }
        }

        _byWord = byWord.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Gets the map of every network without its own: approved [approved, confirmed, paid], pending [pending, hold],
    /// rejected [rejected, reject, declined, trash, cancelled], chargeback [chargeback, refund]. <c>lead</c> and <c>sale</c>
    /// are event words, not status words.
    /// </summary>
    public static ConversionStatusMap Default { get; } = new(new Dictionary<ConversionStatus, IReadOnlyList<string>>
    {
        [ConversionStatus.Approved] = ["approved", "confirmed", "paid"],
        [ConversionStatus.Pending] = ["pending", "hold"],
        [ConversionStatus.Rejected] = ["rejected", "reject", "declined", "trash", "cancelled"],
        [ConversionStatus.Chargeback] = ["chargeback", "refund"],
    });

    /// <summary>Gets the words of each status that has any, as given (trimmed).</summary>
    public IReadOnlyDictionary<ConversionStatus, IReadOnlyList<string>> Words { get; }

    /// <summary>Creates a map, or explains why the words are not one.</summary>
    /// <param name="words">The words of each status; a status may be left out.</param>
    /// <param name="map">The map, when valid.</param>
    /// <param name="error">Why the words are invalid, when they are.</param>
    /// <returns><see langword="true"/> when <paramref name="words"/> make a map.</returns>
    public static bool TryCreate(
        IReadOnlyDictionary<ConversionStatus, IReadOnlyList<string>> words,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ConversionStatusMap? map,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(words);
        map = null;
        var seen = new Dictionary<string, ConversionStatus>(StringComparer.OrdinalIgnoreCase);
        var kept = new Dictionary<ConversionStatus, IReadOnlyList<string>>();
        foreach (var status in ConversionStatusNames.All)
        {
            if (!words.TryGetValue(status, out var list) || list is null || list.Count == 0)
            {
                continue;
            }

            var name = ConversionStatusNames.Name(status);
            if (list.Count > MaxWordsPerStatus)
            {
                error = $"{name} has {list.Count} words; at most {MaxWordsPerStatus} are allowed.";
                return false;
            }

            var trimmed = new string[list.Count];
            for (var i = 0; i < list.Count; i++)
            {
                var word = list[i]?.Trim();
                if (string.IsNullOrEmpty(word) || word.Length > MaxWordLength || word.Any(char.IsControl))
                {
                    error = $"The words of {name} are 1 to {MaxWordLength} characters without control characters.";
                    return false;
                }

                if (seen.TryGetValue(word, out var other))
                {
                    error = other == status
                        ? $"'{word}' is listed twice under {name}."
                        : $"'{word}' is listed under both {ConversionStatusNames.Name(other)} and {name}; a word names one status.";
                    return false;
                }

                seen[word] = status;
                trimmed[i] = word;
            }

            kept[status] = trimmed;
        }

        if (kept.Count == 0)
        {
            error = "A status map needs at least one word; send null for the default map.";
            return false;
        }

        map = new ConversionStatusMap(kept);
        error = null;
        return true;
    }

    /// <summary>Creates a map from status names (<c>approved</c>, <c>pending</c>, <c>rejected</c>, <c>chargeback</c>), or explains why the words are not one.</summary>
    /// <param name="wordsByName">The words of each status by its wire name; a status may be left out.</param>
    /// <param name="map">The map, when valid.</param>
    /// <param name="error">Why the words are invalid, when they are.</param>
    /// <returns><see langword="true"/> when <paramref name="wordsByName"/> make a map.</returns>
    public static bool TryCreate(
        IReadOnlyDictionary<string, IReadOnlyList<string>?> wordsByName,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ConversionStatusMap? map,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(wordsByName);
        var words = new Dictionary<ConversionStatus, IReadOnlyList<string>>();
        foreach (var (name, list) in wordsByName)
        {
            if (!ConversionStatusNames.TryParse(name, out var status))
            {
                map = null;
                error = $"'{name}' is not a status: use {ConversionStatusNames.Approved}, {ConversionStatusNames.Pending}, {ConversionStatusNames.Rejected} or {ConversionStatusNames.Chargeback}.";
                return false;
            }

            words[status] = list ?? [];
        }

        return TryCreate(words, out map, out error);
    }

    /// <summary>Reads a map written by <see cref="ToJson"/> (how the stores persist it).</summary>
    /// <param name="json">A JSON object of status names to arrays of words.</param>
    /// <returns>The map.</returns>
    /// <exception cref="FormatException">The text is not a valid map.</exception>
    public static ConversionStatusMap Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var words = new Dictionary<string, IReadOnlyList<string>?>();
        try
        {
            using var document = JsonDocument.Parse(json);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                words[property.Name] = [.. property.Value.EnumerateArray().Select(w => w.GetString() ?? "")];
            }
        }
        catch (JsonException ex)
        {
            throw new FormatException("A status map is a JSON object of status names to arrays of words.", ex);
        }
        catch (InvalidOperationException ex)
        {
            throw new FormatException("A status map is a JSON object of status names to arrays of words.", ex);
        }

        return TryCreate(words, out var map, out var error) ? map : throw new FormatException(error);
    }

    /// <summary>Writes the map as a JSON object of status names to arrays of words, in the order of <see cref="ConversionStatus"/>.</summary>
    /// <returns>The JSON text, e.g. <c>{"approved":["sale"],"pending":["lead"]}</c>.</returns>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var status in ConversionStatusNames.All)
            {
                if (Words.TryGetValue(status, out var list))
                {
                    writer.WriteStartArray(ConversionStatusNames.Name(status));
                    foreach (var word in list)
                    {
                        writer.WriteStringValue(word);
                    }

                    writer.WriteEndArray();
                }
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Finds the status a network's word names, ignoring case.</summary>
    /// <param name="word">The word as received, e.g. <c>Hold</c>.</param>
    /// <param name="status">The status it names.</param>
    /// <returns><see langword="true"/> when the map lists the word.</returns>
    public bool TryResolve(string word, out ConversionStatus status)
    {
        ArgumentNullException.ThrowIfNull(word);
        return _byWord.TryGetValue(word.Trim(), out status);
    }
}
