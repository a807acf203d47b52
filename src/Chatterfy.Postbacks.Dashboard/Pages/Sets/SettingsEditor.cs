using System.Text.Json;
using Chatterfy.Postbacks.Dashboard.Html;
using Microsoft.AspNetCore.Http;

namespace Chatterfy.Postbacks.Dashboard.Pages.Sets;

/// <summary>
/// The settings part of a set's form: renders a network's settings and reads them back from the post. For now one JSON
/// text area, "Settings (JSON)"; the seam where the schema-driven form (<c>Forms/SettingsForm</c>) plugs in.
/// </summary>
internal sealed class SettingsEditor
{
    /// <summary>The input's name and id; also the root of the core's settings error paths (<c>settings.clickIdSub</c>).</summary>
    public const string FieldName = "settings";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private readonly string? _text;

    private SettingsEditor(string? text) => _text = text;

    /// <summary>Gets the form for <paramref name="current"/> settings (an edit), or empty ones (a new set).</summary>
    /// <param name="current">The stored settings, or <see langword="null"/>.</param>
    /// <returns>The editor.</returns>
    public static SettingsEditor For(JsonElement? current) =>
        new(current is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) } value ? JsonSerializer.Serialize(value, Indented) : null);

    /// <summary>Gets whether a core error path (e.g. <c>settings.clickIdSub</c>) belongs to the settings.</summary>
    /// <param name="errorPath">The field path.</param>
    /// <returns><see langword="true"/> when it does.</returns>
    public static bool Owns(string errorPath) =>
        errorPath == FieldName || errorPath.StartsWith(FieldName + ".", StringComparison.Ordinal);

    /// <summary>Reads the posted settings.</summary>
    /// <param name="form">The post.</param>
    /// <param name="settings">The settings; <see langword="null"/> when the field was left empty.</param>
    /// <param name="error">Why the text is not settings, or <see langword="null"/>.</param>
    /// <returns><see langword="true"/> when the text is empty or a JSON object.</returns>
    public static bool TryRead(IFormCollection form, out JsonElement? settings, out string? error)
    {
        settings = null;
        error = null;
        var text = form[FieldName].ToString();
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                error = "The settings must be a JSON object, e.g. {\"clickIdSub\":\"sub4\"}, or empty for the network's defaults.";
                return false;
            }

            settings = document.RootElement.Clone();
            return true;
        }
        catch (JsonException ex)
        {
            error = $"The settings are not valid JSON (line {(ex.LineNumber ?? 0) + 1}): write a JSON object, or leave the field empty for the network's defaults.";
            return false;
        }
    }

    /// <summary>Writes the field: a label, a hint, the errors of the settings, the text area.</summary>
    /// <param name="networkName">The chosen network's display name.</param>
    /// <param name="errors">The settings' errors (paths and messages) to show next to the field.</param>
    /// <param name="posted">The text the user posted (shown again after an error), or <see langword="null"/>.</param>
    /// <returns>The fragment.</returns>
    public Markup Render(string networkName, IReadOnlyList<KeyValuePair<string, string[]>> errors, string? posted) =>
        Markup.Of($"""
            <label for="{FieldName}">Settings (JSON)</label>
            <p class="hint" id="{FieldName}-hint">{networkName}'s settings as a JSON object; leave it empty for the defaults (see docs/networks.md).</p>
            {SetForm.FieldErrors(FieldName, errors.Select(e => e.Key == FieldName ? string.Join(" ", e.Value) : $"{e.Key[(FieldName.Length + 1)..]}: {string.Join(" ", e.Value)}").ToArray())}
            <textarea id="{FieldName}" name="{FieldName}" rows="6" spellcheck="false"{SetForm.Described(FieldName, errors.Count > 0)}>{posted ?? _text}</textarea>
            """);
}
