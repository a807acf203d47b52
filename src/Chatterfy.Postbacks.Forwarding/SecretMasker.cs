using System.Buffers;
using System.Text.Json;

namespace Chatterfy.Postbacks.Forwarding;

/// <summary>Masks secret settings in a JSON object, so a stored token never reaches an API answer or a log.</summary>
internal static class SecretMasker
{
    internal const string Masked = "****";

    // Below this length the last four characters would give away too much of the secret.
    private const int MinimumLengthForHint = 16;

    internal static JsonElement Mask(JsonElement settings, IReadOnlyList<string> secrets)
    {
        if (settings.ValueKind != JsonValueKind.Object || secrets.Count == 0)
        {
            return settings;
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in settings.EnumerateObject())
            {
                if (!IsSecret(property.Name, secrets))
                {
                    property.WriteTo(writer);
                    continue;
                }

                writer.WritePropertyName(property.Name);
                if (property.Value.ValueKind == JsonValueKind.Null)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    writer.WriteStringValue(MaskValue(property.Value));
                }
            }

            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    /// <summary>Gets the values of the secret settings (top level, names matched case-insensitively): strings and numbers.</summary>
    internal static IEnumerable<string> Values(JsonElement settings, IReadOnlyList<string> secrets)
    {
        if (settings.ValueKind != JsonValueKind.Object || secrets.Count == 0)
        {
            yield break;
        }

        foreach (var property in settings.EnumerateObject())
        {
            if (IsSecret(property.Name, secrets) && property.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number)
            {
                yield return property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
            }
        }
    }

    internal static string MaskValue(string? value) =>
        value is { Length: >= MinimumLengthForHint } ? Masked + value[^4..] : Masked;

    private static string MaskValue(JsonElement value) =>
        MaskValue(value.ValueKind == JsonValueKind.String ? value.GetString() : null);

    internal static bool IsSecret(string name, IReadOnlyList<string> secrets)
    {
        foreach (var secret in secrets)
        {
            if (string.Equals(secret, name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
