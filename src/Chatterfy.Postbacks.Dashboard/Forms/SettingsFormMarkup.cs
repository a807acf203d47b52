using Chatterfy.Postbacks.Dashboard.Html;
using Chatterfy.Postbacks.Dashboard.Layout;
using Microsoft.Extensions.Primitives;

namespace Chatterfy.Postbacks.Dashboard.Forms;

/// <summary>
/// Writes a <see cref="SettingsForm"/>'s fields as HTML inputs, each with its label, hint and error: write-only settings
/// (secrets) as empty password inputs, numbers as text (so decimals stay exact), lists and maps as text areas.
/// </summary>
internal static class SettingsFormMarkup
{
    /// <summary>Writes the fields.</summary>
    /// <param name="form">The form.</param>
    /// <param name="idPrefix">The prefix of the inputs' ids, unique in the page, e.g. <c>rule-settings-</c>.</param>
    /// <param name="errors">Messages by <see cref="SettingsField.FormName"/>.</param>
    /// <param name="posted">The values as posted, shown instead of the form's (a form answered with errors); secrets are never shown.</param>
    /// <returns>The fields.</returns>
    public static Markup Write(SettingsForm form, string idPrefix, IReadOnlyDictionary<string, string> errors, IReadOnlyDictionary<string, StringValues>? posted = null)
    {
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(errors);
        return Markup.Join(form.Fields.Select(field =>
        {
            var id = idPrefix + (field.Name.Length == 0 ? "json" : field.Name);
            var value = field.WriteOnly ? null : posted is null ? field.Value : posted.GetValueOrDefault(field.FormName).ToString();
            var error = errors.GetValueOrDefault(field.FormName);
            return Field(field, id, value, error);
        }));
    }

    private static Markup Field(SettingsField field, string id, string? value, string? error)
    {
        var described = string.Join(' ', new[] { field.Hint is null ? null : id + "-hint", error is null ? null : id + "-error" }.OfType<string>());
        var aria = Markup.Of($"""{(described.Length > 0 ? Markup.Of($" aria-describedby=\"{described}\"") : Markup.Empty)}{(error is null ? Markup.Empty : Markup.Trusted(" aria-invalid=\"true\""))}{(field.Required && !field.WriteOnly ? Markup.Trusted(" required") : Markup.Empty)}""");
        var hint = field.Hint is null ? Markup.Empty : Markup.Of($"""<p class="hint" id="{id}-hint">{field.Hint}</p>""");
        var errorText = error is null ? Markup.Empty : Markup.Of($"""<p class="error" id="{id}-error">{error}</p>""");
        var label = field.WriteOnly ? $"{field.Label} (secret, write-only)" : field.Label;
        if (field.Kind == SettingsFieldKind.Checkbox)
        {
            var on = value is not null && value.Split(',').Any(v => v is "true" or "on");
            return Markup.Of($"""
                <label class="checkbox" for="{id}"><input type="hidden" name="{field.FormName}" value="false"><input type="checkbox" id="{id}" name="{field.FormName}" value="true"{(on ? Markup.Trusted(" checked") : Markup.Empty)}{aria}> {label}</label>
                {hint}{errorText}
                """);
        }

        var input = field switch
        {
            { WriteOnly: true } => Markup.Of($"""<input type="password" id="{id}" name="{field.FormName}" autocomplete="new-password"{aria}>"""),
            { Kind: SettingsFieldKind.Select } => Markup.Of($"""
                <select id="{id}" name="{field.FormName}"{aria}><option value="">{(field.Placeholder is { } p ? $"Default ({p})" : "Not set")}</option>{field.Options.Where(o => o.Length > 0).Select(o => Display.Option(o, o, o == value))}</select>
                """),
            { Kind: SettingsFieldKind.Number } => Markup.Of($"""<input type="text" inputmode="decimal" id="{id}" name="{field.FormName}" value="{value}" placeholder="{field.Placeholder}"{aria}>"""),
            { Kind: SettingsFieldKind.Text } => Markup.Of($"""<input type="text" id="{id}" name="{field.FormName}" value="{value}" placeholder="{field.Placeholder}"{aria}>"""),
            _ => Markup.Of($"""<textarea id="{id}" name="{field.FormName}" rows="{(field.Kind == SettingsFieldKind.Json ? 8 : 4)}"{aria}>{value}</textarea>"""),
        };
        var shape = field.Kind switch
        {
            SettingsFieldKind.Lines => " (one per line)",
            SettingsFieldKind.KeyValueLines => " (one key=value per line)",
            _ => "",
        };
        return Markup.Of($"""
            <label for="{id}">{label}{shape}</label>
            {hint}
            {input}
            {errorText}
            """);
    }
}
