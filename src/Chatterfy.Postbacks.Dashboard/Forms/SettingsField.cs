namespace Chatterfy.Postbacks.Dashboard.Forms;

/// <summary>One field of a settings form: what the page renders for one setting.</summary>
internal sealed class SettingsField
{
    /// <summary>Gets the setting's JSON name, e.g. <c>clickIdSub</c>; empty for the one JSON field of a form without a schema.</summary>
    public required string Name { get; init; }

    /// <summary>
    /// Gets the name of the form input, e.g. <c>settings.clickIdSub</c> (or <c>settings</c> without a schema): also the field
    /// path the core's settings errors use, so <see cref="SettingsForm.FieldFor"/> places them.
    /// </summary>
    public required string FormName { get; init; }

    /// <summary>Gets the label: the schema's <c>title</c>, or the JSON name when it has none.</summary>
    public required string Label { get; init; }

    /// <summary>Gets the one-line hint (the schema's <c>description</c>), or <see langword="null"/>.</summary>
    public string? Hint { get; init; }

    /// <summary>Gets how the field is edited.</summary>
    public required SettingsFieldKind Kind { get; init; }

    /// <summary>Gets a value indicating whether the setting must be given (the schema's <c>required</c>).</summary>
    public bool Required { get; init; }

    /// <summary>
    /// Gets a value indicating whether the setting is a secret (<c>"writeOnly": true</c>): its <see cref="Value"/> is always
    /// <see langword="null"/>, and left empty when editing, the stored secret is kept.
    /// </summary>
    public bool WriteOnly { get; init; }

    /// <summary>Gets a value indicating whether the current settings hold a value for this write-only setting (so it can say "stored").</summary>
    public bool HasStoredSecret { get; init; }

    /// <summary>
    /// Gets the current value as the text of the input (a number as written, a checkbox as <c>true</c>/<c>false</c>, lines
    /// joined with <c>\n</c>), or <see langword="null"/> when there is none; never a secret.
    /// </summary>
    public string? Value { get; init; }

    /// <summary>Gets the default as text (the schema's <c>default</c>), for a placeholder; or <see langword="null"/>.</summary>
    public string? Placeholder { get; init; }

    /// <summary>Gets the choices of a <see cref="SettingsFieldKind.Select"/> (an empty string: no value); empty otherwise.</summary>
    public IReadOnlyList<string> Options { get; init; } = [];

    /// <summary>Gets a value indicating whether a number field takes whole numbers only.</summary>
    public bool IntegerOnly { get; init; }

    /// <summary>Gets a value indicating whether the setting may be JSON <c>null</c> (a <c>key=</c> line of a map means null then).</summary>
    internal bool ValuesMayBeNull { get; init; }
}
