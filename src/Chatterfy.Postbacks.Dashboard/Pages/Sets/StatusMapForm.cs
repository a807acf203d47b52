using Chatterfy.Postbacks.Dashboard.Html;
using Chatterfy.Postbacks.Ingestion;
using Microsoft.Extensions.Primitives;

namespace Chatterfy.Postbacks.Dashboard.Pages.Sets;

/// <summary>
/// A set's status map on its page and in its edit form: one text field per status with its words comma-separated
/// (<c>statusMap-approved</c>, …), all empty for the default map. The words are checked by
/// <see cref="ConversionStatusMap.TryCreate(IReadOnlyDictionary{ConversionStatus, IReadOnlyList{string}}, out ConversionStatusMap?, out string?)"/>,
/// as the API checks them; its error is shown next to the status it is about.
/// </summary>
internal static class StatusMapForm
{
    private const string Prefix = ConversionStatusMap.Field + "-";

    /// <summary>Gets whether an error key is one of the status map's fields.</summary>
    /// <param name="key">The key.</param>
    /// <returns><see langword="true"/> for <c>statusMap-…</c>.</returns>
    public static bool Owns(string key) => key.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>Writes a set's map (or says it uses the default, with the default's words).</summary>
    /// <param name="map">The set's map, or <see langword="null"/> for the default.</param>
    /// <returns>The fragment.</returns>
    public static Markup View(ConversionStatusMap? map) => map is null
        ? Markup.Of($"""default: {Words(ConversionStatusMap.Default)}""")
        : Words(map);

    /// <summary>Reads the posted fields into a map; on invalid words, adds the error under the status it is about.</summary>
    /// <param name="posted">The posted form.</param>
    /// <param name="map">The map, or <see langword="null"/> when every field is empty (the default map).</param>
    /// <param name="errors">The form's errors, by field.</param>
    /// <returns><see langword="true"/> when the fields are a map or all empty.</returns>
    public static bool TryRead(Dictionary<string, StringValues> posted, out ConversionStatusMap? map, Dictionary<string, string[]> errors)
    {
        map = null;
        var words = new Dictionary<ConversionStatus, IReadOnlyList<string>>();
        foreach (var status in ConversionStatusNames.All)
        {
            var list = Split(posted.GetValueOrDefault(FieldName(status)).ToString());
            if (list.Count == 0)
            {
                continue;
            }

            // The statuses so far, in the map's order: the first status that makes them invalid is the one to correct.
            words[status] = list;
            if (!ConversionStatusMap.TryCreate(words, out map, out var error))
            {
                errors[FieldName(status)] = [error];
                map = null;
                return false;
            }
        }

        return true;
    }

    /// <summary>Writes the edit form's fields.</summary>
    /// <param name="map">The set's map, or <see langword="null"/> for the default.</param>
    /// <param name="errors">The form's errors, by field.</param>
    /// <param name="posted">The posted form when it is shown again, else <see langword="null"/>.</param>
    /// <returns>The fieldset.</returns>
    public static Markup Fields(ConversionStatusMap? map, Dictionary<string, string[]> errors, Dictionary<string, StringValues>? posted)
    {
        var fields = ConversionStatusNames.All.Select(status =>
        {
            var id = FieldName(status);
            var value = posted is null
                ? (map is not null && map.Words.TryGetValue(status, out var list) ? string.Join(", ", list) : "")
                : posted.GetValueOrDefault(id).ToString();
            var invalid = errors.ContainsKey(id);
            return Markup.Of($"""
                <label for="{id}">{ConversionStatusNames.Name(status)}</label>
                {SetForm.FieldErrors(id, errors.GetValueOrDefault(id))}
                <input id="{id}" name="{id}" type="text" autocomplete="off" value="{value}"{SetForm.Described(id, invalid, hint: false)}>
                """);
        });
        return Markup.Of($"""
            <fieldset id="status-map">
            <legend>Status map</legend>
            <p class="hint">The network's words for each status, comma-separated, matched ignoring case. Leave all empty for the default map: {Words(ConversionStatusMap.Default)}.</p>
            {fields}
            </fieldset>
            """);
    }

    private static string FieldName(ConversionStatus status) => Prefix + ConversionStatusNames.Name(status);

    private static List<string> Split(string text) =>
        [.. text.Split(',', StringSplitOptions.TrimEntries).Where(w => w.Length > 0)];

    private static Markup Words(ConversionStatusMap map) => Markup.Join(ConversionStatusNames.All
        .Where(map.Words.ContainsKey)
        .Select((status, i) => Markup.Of($"""{(i == 0 ? "" : "; ")}{ConversionStatusNames.Name(status)} [{string.Join(", ", map.Words[status])}]""")));
}
