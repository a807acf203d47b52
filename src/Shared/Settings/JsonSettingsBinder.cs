using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Chatterfy.Postbacks.Settings;

/// <summary>
/// Binds the JSON settings of a plugin (a network's per-set settings, a destination's per-rule settings) to its typed
/// settings class: camelCase, case-insensitive, unknown members refused, and errors phrased for the person who wrote the
/// settings rather than in .NET terms.
/// </summary>
internal static class JsonSettingsBinder
{
    private static readonly JsonSerializerOptions SettingsJson = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowTrailingCommas = false,
        ReadCommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 8,
    };

    /// <summary>Binds <paramref name="settings"/>; <see langword="null"/> or JSON null gives the defaults.</summary>
    /// <param name="settings">The settings object.</param>
    /// <param name="owner">What the settings are for, e.g. "the 1Win network", used in messages.</param>
    /// <param name="value">The bound settings.</param>
    /// <param name="field">On failure, the field path from the request root, e.g. <c>settings.clickIdSub</c>.</param>
    /// <param name="message">On failure, what is wrong.</param>
    /// <returns><see langword="true"/> when the settings bound.</returns>
    public static bool TryBind<TSettings>(
        JsonElement? settings,
        string owner,
        [NotNullWhen(true)] out TSettings? value,
        [NotNullWhen(false)] out string? field,
        [NotNullWhen(false)] out string? message)
        where TSettings : class, new()
    {
        field = null;
        message = null;
        if (settings is not { } element || element.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            value = new TSettings();
            return true;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            value = null;
            field = "settings";
            message = "Settings must be a JSON object.";
            return false;
        }

        try
        {
            value = element.Deserialize<TSettings>(SettingsJson) ?? new TSettings();
            return true;
        }
        catch (JsonException ex)
        {
            value = null;
            field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "settings" : "settings" + ex.Path.TrimStart('$');

            // System.Text.Json's messages name .NET types; whoever wrote the settings needs the setting and the reason.
            message = ex.Message.Contains("could not be mapped", StringComparison.Ordinal)
                ? $"'{(field.StartsWith("settings.", StringComparison.Ordinal) ? field["settings.".Length..] : field)}' is not a setting of {owner}."
                : $"The value of '{field}' has the wrong type or shape for {owner}.";
            return false;
        }
    }
}
