namespace Chatterfy.Postbacks.Dashboard.Forms;

/// <summary>How a settings field is edited, chosen from the property's JSON Schema.</summary>
internal enum SettingsFieldKind
{
    /// <summary>A one-line text input (<c>"type": "string"</c>); a write-only one is a password input.</summary>
    Text,

    /// <summary>
    /// A number typed as text (<c>"type": "number"</c> or <c>"integer"</c>), so a decimal such as <c>0.10</c> stays exact:
    /// it never passes through a binary floating-point number.
    /// </summary>
    Number,

    /// <summary>A checkbox (<c>"type": "boolean"</c>).</summary>
    Checkbox,

    /// <summary>A choice among <see cref="SettingsField.Options"/> (the schema's <c>enum</c>).</summary>
    Select,

    /// <summary>A list of strings, one per line (<c>"type": "array"</c> of strings).</summary>
    Lines,

    /// <summary>A map of strings, one <c>key=value</c> per line (<c>"type": "object"</c> with string <c>additionalProperties</c>).</summary>
    KeyValueLines,

    /// <summary>Anything else (a nested object, a list of objects, no schema at all), as JSON text.</summary>
    Json,
}
