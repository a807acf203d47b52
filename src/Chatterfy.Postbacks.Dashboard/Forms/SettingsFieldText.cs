using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Primitives;

namespace Chatterfy.Postbacks.Dashboard.Forms;

/// <summary>The text of each kind of settings field: a JSON value written as the input's text, and read back.</summary>
internal static class SettingsFieldText
{
    /// <summary>The JSON of text areas: indented, and with characters such as <c>'</c> or <c>→</c> as written (the page HTML-encodes).</summary>
    public static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private const NumberStyles NumberText = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    /// <summary>Chooses the kind of a property from its schema.</summary>
    public static (SettingsFieldKind Kind, bool MayBeNull, bool Integer) KindOf(JsonObject property)
    {
        var types = TypesOf(property);
        var mayBeNull = types.Remove("null");
        if (property["enum"] is JsonArray)
        {
            return (SettingsFieldKind.Select, mayBeNull, false);
        }

        if (types.Count != 1)
        {
            return (SettingsFieldKind.Json, mayBeNull, false);
        }

        switch (types[0])
        {
            case "string":
                return (SettingsFieldKind.Text, mayBeNull, false);
            case "number":
                return (SettingsFieldKind.Number, mayBeNull, false);
            case "integer":
                return (SettingsFieldKind.Number, mayBeNull, true);
            case "boolean":
                return (SettingsFieldKind.Checkbox, mayBeNull, false);
            case "array" when property["items"] is JsonObject items && IsString(items, out _):
                return (SettingsFieldKind.Lines, mayBeNull, false);
            case "object" when property["properties"] is null && property["additionalProperties"] is JsonObject values && IsString(values, out var valuesMayBeNull):
                return (SettingsFieldKind.KeyValueLines, valuesMayBeNull, false);
            default:
                return (SettingsFieldKind.Json, mayBeNull, false);
        }
    }

    /// <summary>Gets the choices of an <c>enum</c>, as text; JSON <c>null</c> is the empty choice.</summary>
    public static IReadOnlyList<string> OptionsOf(JsonObject property) =>
        property["enum"] is JsonArray values ? [.. values.Select(v => v is null ? string.Empty : Scalar(JsonSerializer.SerializeToElement(v)))] : [];

    /// <summary>Writes a value as the text of a field of <paramref name="kind"/>.</summary>
    public static string Format(SettingsFieldKind kind, JsonElement value) => kind switch
    {
        SettingsFieldKind.Lines when value.ValueKind == JsonValueKind.Array =>
            string.Join('\n', value.EnumerateArray().Select(Scalar)),
        SettingsFieldKind.KeyValueLines when value.ValueKind == JsonValueKind.Object =>
            string.Join('\n', value.EnumerateObject().Select(p => p.Name + "=" + (p.Value.ValueKind == JsonValueKind.Null ? string.Empty : Scalar(p.Value)))),
        SettingsFieldKind.Json => JsonSerializer.Serialize(value, Indented),
        _ => Scalar(value),
    };

    /// <summary>Reads a posted field.</summary>
    /// <returns><see langword="true"/> with the JSON value, or <see langword="false"/> with a message for the person who typed it.</returns>
    public static bool TryParse(SettingsField field, StringValues posted, out JsonNode? value, out string? error)
    {
        error = null;
        var text = posted.ToString();
        switch (field.Kind)
        {
            case SettingsFieldKind.Checkbox:
                // A checkbox posts only when ticked; a hidden "false" before it (posting "false,true") is allowed.
                value = JsonValue.Create(posted.Any(v => v is "true" or "on"));
                return true;
            case SettingsFieldKind.Number:
                return TryParseNumber(field, text.Trim(), out value, out error);
            case SettingsFieldKind.Select:
                value = field.Options.Contains(text, StringComparer.Ordinal)
                    ? JsonValue.Create(text)
                    : null;
                error = value is null ? $"Choose one of: {string.Join(", ", field.Options.Where(o => o.Length > 0))}." : null;
                return value is not null;
            case SettingsFieldKind.Lines:
                value = new JsonArray([.. Lines(text).Select(l => (JsonNode?)JsonValue.Create(l))]);
                return true;
            case SettingsFieldKind.KeyValueLines:
                return TryParseMap(field, text, out value, out error);
            case SettingsFieldKind.Json:
                try
                {
                    value = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 8 });
                    return true;
                }
                catch (JsonException ex)
                {
                    value = null;
                    error = "This is not valid JSON: " + ex.Message;
                    return false;
                }

            default:
                value = JsonValue.Create(text);
                return true;
        }
    }

    /// <summary>Reads the JSON text area of a form without a schema: a JSON object, or nothing for none.</summary>
    public static bool ReadJsonObject(string text, out JsonObject? settings, out string? error)
    {
        settings = null;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            settings = [];
            return true;
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException ex)
        {
            error = "The settings are not valid JSON: " + ex.Message;
            return false;
        }

        if (node is not JsonObject obj)
        {
            error = "The settings must be a JSON object, e.g. {\"name\": \"value\"}.";
            return false;
        }

        settings = obj;
        return true;
    }

    private static bool TryParseNumber(SettingsField field, string text, out JsonNode? value, out string? error)
    {
        value = null;
        error = null;

        // decimal keeps the digits as written (0.10 stays 0.10); a binary double would not.
        if (!decimal.TryParse(text, NumberText, CultureInfo.InvariantCulture, out var number))
        {
            error = field.IntegerOnly ? $"'{text}' is not a whole number." : $"'{text}' is not a number; write it with a point, e.g. 0.5.";
            return false;
        }

        if (field.IntegerOnly && !decimal.IsInteger(number))
        {
            error = $"'{text}' is not a whole number.";
            return false;
        }

        value = JsonValue.Create(number);
        return true;
    }

    private static bool TryParseMap(SettingsField field, string text, out JsonNode? value, out string? error)
    {
        var map = new JsonObject();
        value = null;
        error = null;
        var number = 0;
        foreach (var raw in text.ReplaceLineEndings("\n").Split('\n'))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? string.Empty : line[..equals].Trim();
            if (key.Length == 0)
            {
                error = $"Line {number}: write key=value.";
                return false;
            }

            if (map.ContainsKey(key))
            {
                error = $"Line {number}: '{key}' is given twice.";
                return false;
            }

            var item = line[(equals + 1)..].Trim();
            map[key] = item.Length == 0 && field.ValuesMayBeNull ? null : JsonValue.Create(item);
        }

        value = map;
        return true;
    }

    private static IEnumerable<string> Lines(string text) =>
        text.ReplaceLineEndings("\n").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0);

    private static string Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => string.Empty,

        // Numbers as written: 0.10 stays 0.10.
        JsonValueKind.Number => value.GetRawText(),
        _ => JsonSerializer.Serialize(value, Indented),
    };

    private static bool IsString(JsonObject schema, out bool mayBeNull)
    {
        var types = TypesOf(schema);
        mayBeNull = types.Remove("null");
        return types is ["string"];
    }

    private static List<string> TypesOf(JsonObject schema) => schema["type"] switch
    {
        JsonValue one when one.TryGetValue<string>(out var name) => [name],
        JsonArray many => [.. many.Select(n => n?.GetValue<string>()).OfType<string>()],
        _ => [],
    };
}
