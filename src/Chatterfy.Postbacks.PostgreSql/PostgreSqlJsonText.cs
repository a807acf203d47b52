using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Chatterfy.Postbacks.PostgreSql;

/// <summary>Converts values to and from the JSON text of <c>jsonb</c> columns, without reflection.</summary>
internal static class PostgreSqlJsonText
{
    /// <summary>Writes a string dictionary as a JSON object.</summary>
    public static string FromDictionary(IReadOnlyDictionary<string, string> values)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in values)
            {
                writer.WriteString(PostgreSqlValues.Clean(key), PostgreSqlValues.Clean(value));
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Reads a JSON object of strings.</summary>
    public static IReadOnlyDictionary<string, string> ToDictionary(string json)
    {
        using var document = JsonDocument.Parse(json);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            values[property.Name] = property.Value.GetString() ?? "";
        }

        return values.AsReadOnly();
    }

    /// <summary>
    /// Gets the text of a JSON value. <c>jsonb</c> refuses the escape <c>\u0000</c>, so a value that may hold one is
    /// written again with U+FFFD in its place.
    /// </summary>
    public static string FromElement(JsonElement element)
    {
        var raw = element.GetRawText();
        if (!raw.Contains("\\u0000", StringComparison.OrdinalIgnoreCase))
        {
            return raw;
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteClean(writer, element);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Parses JSON text into a value that outlives the parse.</summary>
    public static JsonElement ToElement(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static void WriteClean(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject())
                {
                    writer.WritePropertyName(PostgreSqlValues.Clean(property.Name));
                    WriteClean(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteClean(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(PostgreSqlValues.Clean(element.GetString()));
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
