using System.Text.Json.Nodes;

namespace Chatterfy.Postbacks.Dashboard.Forms;

/// <summary>The settings read from a posted form, or what is wrong with them.</summary>
internal sealed class SettingsFormResult
{
    internal SettingsFormResult(JsonObject? settings, IReadOnlyDictionary<string, string> errors, IReadOnlyList<string> keptSecrets)
    {
        Settings = settings;
        Errors = errors;
        KeptSecrets = keptSecrets;
    }

    /// <summary>Gets the settings (empty optional fields omitted), or <see langword="null"/> when <see cref="Errors"/> is not empty.</summary>
    public JsonObject? Settings { get; }

    /// <summary>Gets one message per bad field, keyed by <see cref="SettingsField.FormName"/>.</summary>
    public IReadOnlyDictionary<string, string> Errors { get; }

    /// <summary>
    /// Gets the JSON names of the write-only settings posted empty while editing: the stored secret is kept, so the page
    /// copies each from the stored settings into <see cref="Settings"/> before saving.
    /// </summary>
    public IReadOnlyList<string> KeptSecrets { get; }

    /// <summary>Gets a value indicating whether the form was valid.</summary>
    public bool IsValid => Errors.Count == 0;
}
