using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Chatterfy.Postbacks.Dashboard.Forms;

/// <summary>
/// The form of a network's or destination's settings, built from its JSON Schema (<c>SettingsSchema</c>) and the current
/// settings; and the reverse, posted form values back to a settings object. Without a schema the form is one JSON text
/// area. It renders nothing: the pages write the HTML.
/// </summary>
internal sealed class SettingsForm
{
    /// <summary>The prefix of the form inputs' names, and of the core's settings error paths.</summary>
    public const string DefaultPrefix = "settings.";

    private SettingsForm(IReadOnlyList<SettingsField> fields, bool hasSchema)
    {
        Fields = fields;
        HasSchema = hasSchema;
    }

    /// <summary>Gets the fields, in the schema's order; one <see cref="SettingsFieldKind.Json"/> field without a schema.</summary>
    public IReadOnlyList<SettingsField> Fields { get; }

    /// <summary>Gets a value indicating whether the form was built from a schema (otherwise it is one JSON text area).</summary>
    public bool HasSchema { get; }

    /// <summary>Builds the form.</summary>
    /// <param name="schema">The settings' JSON Schema, or <see langword="null"/> for a JSON text area.</param>
    /// <param name="current">
    /// The current settings (an edit; pass them masked or not, secrets are never shown), or <see langword="null"/> for a new form.
    /// </param>
    /// <param name="prefix">The prefix of the inputs' names.</param>
    /// <returns>The form.</returns>
    public static SettingsForm Create(JsonObject? schema, JsonElement? current, string prefix = DefaultPrefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var values = current is { ValueKind: JsonValueKind.Object } c ? c : (JsonElement?)null;
        if (schema?["properties"] is not JsonObject properties)
        {
            var text = current is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) } any
                ? JsonSerializer.Serialize(any, SettingsFieldText.Indented)
                : null;
            return new SettingsForm(
                [new SettingsField { Name = string.Empty, FormName = prefix.TrimEnd('.'), Label = "Settings (JSON)", Kind = SettingsFieldKind.Json, Value = text }],
                hasSchema: false);
        }

        var required = schema["required"] is JsonArray names
            ? names.Select(n => n?.GetValue<string>()).OfType<string>().ToHashSet(StringComparer.Ordinal)
            : [];
        var fields = new List<SettingsField>();
        foreach (var (name, node) in properties)
        {
            var property = node as JsonObject ?? [];
            var (kind, mayBeNull, integer) = SettingsFieldText.KindOf(property);
            var writeOnly = property["writeOnly"] is JsonValue w && w.TryGetValue<bool>(out var isWriteOnly) && isWriteOnly;
            JsonElement? value = values is { } v && v.TryGetProperty(name, out var found) && found.ValueKind != JsonValueKind.Null ? found : null;
            var placeholder = property["default"] is { } d ? SettingsFieldText.Format(kind, JsonSerializer.SerializeToElement(d)) : null;
            fields.Add(new SettingsField
            {
                Name = name,
                FormName = prefix + name,
                Label = property["title"] is JsonValue t && t.TryGetValue<string>(out var title) ? title : name,
                Hint = property["description"] is JsonValue h && h.TryGetValue<string>(out var hint) ? hint : null,
                Kind = kind,
                Required = required.Contains(name),
                WriteOnly = writeOnly,
                HasStoredSecret = writeOnly && value is not null,
                Value = writeOnly ? null : value is { } shown ? SettingsFieldText.Format(kind, shown) : kind == SettingsFieldKind.Checkbox ? placeholder : null,
                Placeholder = placeholder,
                Options = kind == SettingsFieldKind.Select ? SettingsFieldText.OptionsOf(property) : [],
                IntegerOnly = integer,
                ValuesMayBeNull = mayBeNull,
            });
        }

        return new SettingsForm(fields, hasSchema: true);
    }

    /// <summary>Reads posted form values.</summary>
    /// <param name="posted">The posted form.</param>
    /// <param name="editing"><see langword="true"/> when editing stored settings: an empty secret keeps the stored one.</param>
    /// <returns>The settings or the errors.</returns>
    public SettingsFormResult Read(IFormCollection posted, bool editing = false)
    {
        ArgumentNullException.ThrowIfNull(posted);
        return Read(posted.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal), editing);
    }

    /// <summary>Reads posted form values.</summary>
    /// <param name="posted">The posted values by input name.</param>
    /// <param name="editing"><see langword="true"/> when editing stored settings: an empty secret keeps the stored one.</param>
    /// <returns>The settings (empty optional fields omitted) or one error per bad field.</returns>
    /// <remarks>
    /// Only the form's syntax is checked here (a number, JSON, <c>key=value</c> lines); whether the settings are right,
    /// required ones included, is the network's or destination's to say when they are saved.
    /// </remarks>
    public SettingsFormResult Read(IReadOnlyDictionary<string, StringValues> posted, bool editing = false)
    {
        ArgumentNullException.ThrowIfNull(posted);
        var settings = new JsonObject();
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var kept = new List<string>();
        foreach (var field in Fields)
        {
            var text = posted.TryGetValue(field.FormName, out var values) ? values : StringValues.Empty;
            if (!HasSchema)
            {
                return SettingsFieldText.ReadJsonObject(text.ToString(), out var whole, out var problem)
                    ? new SettingsFormResult(whole, errors, kept)
                    : new SettingsFormResult(null, new Dictionary<string, string> { [field.FormName] = problem! }, kept);
            }

            if (field.Kind != SettingsFieldKind.Checkbox && string.IsNullOrWhiteSpace(text.ToString()))
            {
                if (field.WriteOnly && editing)
                {
                    kept.Add(field.Name);
                }

                continue;
            }

            if (SettingsFieldText.TryParse(field, text, out var node, out var error))
            {
                settings[field.Name] = node;
            }
            else
            {
                errors[field.FormName] = error!;
            }
        }

        return new SettingsFormResult(errors.Count == 0 ? settings : null, errors, kept);
    }

    /// <summary>Finds the field a settings error belongs to, e.g. <c>settings.macros.amount</c> → the <c>macros</c> field.</summary>
    /// <param name="errorPath">The error's field path, as the core reports it.</param>
    /// <returns>The field, or <see langword="null"/> when none matches (show the error above the form).</returns>
    public SettingsField? FieldFor(string errorPath)
    {
        ArgumentNullException.ThrowIfNull(errorPath);
        if (!HasSchema)
        {
            return Fields[0];
        }

        return Fields.FirstOrDefault(f => errorPath == f.FormName)
            ?? Fields.FirstOrDefault(f => errorPath.Length > f.FormName.Length && errorPath.StartsWith(f.FormName, StringComparison.Ordinal)
                && errorPath[f.FormName.Length] is '.' or '[');
    }
}
