using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Chatterfy.Postbacks.Settings;

/// <summary>
/// Binds the JSON settings of a plugin (a network's per-set settings, a destination's per-rule settings) to its typed
/// settings class: camelCase, case-insensitive, unknown members refused, and errors phrased for the person who wrote the
/// settings rather than in .NET terms. It also describes the settings class as a JSON Schema with the same names, so a form
/// can be rendered from it: a property's <see cref="DisplayAttribute"/> gives the field's <c>title</c> and
/// <c>description</c>, a <see cref="RequiredAttribute"/> puts it in <c>required</c> (and <see cref="RequiredSettings"/>
/// refuses settings without it), and a fresh instance's non-null values are the <c>default</c>s.
/// </summary>
internal static class JsonSettingsBinder
{
    private static readonly JsonSerializerOptions SettingsJson = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowTrailingCommas = false,
        ReadCommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 8,

        // Set, not left to the first use: the schema exporter needs it, and reflection is what binding uses anyway.
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    private static readonly JsonSchemaExporterOptions SchemaOptions = new() { TransformSchemaNode = Describe };

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

    /// <summary>Checks the settings marked <see cref="RequiredAttribute"/>, giving one error per missing value.</summary>
    /// <param name="value">The bound settings.</param>
    /// <returns>The field path (e.g. <c>settings.pixelId</c>) and message of each missing setting, in declaration order.</returns>
    public static IEnumerable<(string Field, string Message)> RequiredSettings<TSettings>(TSettings value)
        where TSettings : class, new()
    {
        ArgumentNullException.ThrowIfNull(value);
        foreach (var property in SettingsJson.GetTypeInfo(typeof(TSettings)).Properties)
        {
            if (Attribute<RequiredAttribute>(property) is { } required && property.Get is { } get && !required.IsValid(get(value)))
            {
                yield return ("settings." + property.Name, required.ErrorMessage ?? $"'{property.Name}' is required.");
            }
        }
    }

    /// <summary>Describes <typeparamref name="TSettings"/> as a JSON Schema (draft 2020-12), with the names the binder reads.</summary>
    /// <returns>A new schema object; the caller owns it.</returns>
    public static JsonObject CreateSchema<TSettings>()
        where TSettings : class, new() =>
        SettingsJson.GetJsonSchemaAsNode(typeof(TSettings), SchemaOptions).AsObject();

    private static JsonNode Describe(JsonSchemaExporterContext context, JsonNode schema)
    {
        if (schema is not JsonObject node)
        {
            return schema;
        }

        if (context.PropertyInfo is { } described && Attribute<DisplayAttribute>(described) is { } display)
        {
            var at = 0;
            if (display.Name is { } title)
            {
                node.Insert(at++, "title", title);
            }

            if (display.Description is { } description)
            {
                node.Insert(at, "description", description);
            }
        }

        if (context.TypeInfo.Kind == JsonTypeInfoKind.Object && node["properties"] is JsonObject properties)
        {
            var defaults = context.TypeInfo.CreateObject?.Invoke();
            var required = node["required"] as JsonArray;
            foreach (var property in context.TypeInfo.Properties)
            {
                if (Attribute<RequiredAttribute>(property) is not null && required?.Any(n => n?.GetValue<string>() == property.Name) != true)
                {
                    required ??= [];
                    required.Add(property.Name);
                }

                if (defaults is not null && property.Get?.Invoke(defaults) is { } value && properties[property.Name] is JsonObject propertySchema)
                {
                    propertySchema["default"] = JsonSerializer.SerializeToNode(value, property.PropertyType, SettingsJson);
                }
            }

            if (required is not null && node["required"] is null)
            {
                node["required"] = required;
            }
        }

        return node;
    }

    private static TAttribute? Attribute<TAttribute>(JsonPropertyInfo property)
        where TAttribute : Attribute =>
        property.AttributeProvider?.GetCustomAttributes(typeof(TAttribute), inherit: true).OfType<TAttribute>().FirstOrDefault();
}
