using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Nodes;
using Chatterfy.Postbacks.Settings;

namespace Chatterfy.Postbacks.Networks;

/// <summary>
/// An affiliate network adapter with typed settings: the JSON settings of a set are bound to
/// <typeparamref name="TSettings"/> (camelCase, unknown members refused), validated, then turned into a profile.
/// </summary>
/// <remarks>
/// The settings' <see cref="SettingsSchema"/> is made from <typeparamref name="TSettings"/>: mark a property
/// <see cref="DisplayAttribute"/> (<c>Name</c> = the form's label, <c>Description</c> = its one-line hint) and
/// <see cref="RequiredAttribute"/> (its <c>ErrorMessage</c> is the error when the setting is missing; the binder refuses
/// settings without it before <see cref="Validate"/> runs).
/// </remarks>
/// <typeparam name="TSettings">The settings type; a class with a parameterless constructor and settable properties.</typeparam>
public abstract class AffiliateNetwork<TSettings> : AffiliateNetwork
    where TSettings : class, new()
{
    private readonly Lazy<JsonObject> _schema = new(JsonSettingsBinder.CreateSchema<TSettings>);

    /// <summary>Gets the JSON Schema of <typeparamref name="TSettings"/>, with the names the settings are bound with.</summary>
    /// <value>A new copy on each read of the schema made once per network.</value>
    public override JsonObject? SettingsSchema => _schema.Value.DeepClone().AsObject();

    /// <inheritdoc />
    public sealed override NetworkProfile CreateProfile(JsonElement? settings)
    {
        if (!JsonSettingsBinder.TryBind<TSettings>(settings, $"the {DisplayName} network", out var typed, out var field, out var message))
        {
            throw new InvalidNetworkSettingsException(Id, [new NetworkSettingsError(field, message)]);
        }

        var errors = JsonSettingsBinder.RequiredSettings(typed).Select(e => new NetworkSettingsError(e.Field, e.Message)).ToList();
        Validate(typed, errors);
        if (errors.Count > 0)
        {
            throw new InvalidNetworkSettingsException(Id, errors);
        }

        return CreateProfile(typed);
    }

    /// <summary>Checks settings that binding alone cannot, adding one error per bad field.</summary>
    /// <param name="settings">The bound settings.</param>
    /// <param name="errors">Where to add errors; the field path is camelCase from the settings root, e.g. <c>settings.clickIdSub</c>.</param>
    protected virtual void Validate(TSettings settings, ICollection<NetworkSettingsError> errors)
    {
    }

    /// <summary>Creates the profile for validated settings.</summary>
    /// <param name="settings">The bound and validated settings.</param>
    /// <returns>The profile that serves one postback set.</returns>
    protected abstract NetworkProfile CreateProfile(TSettings settings);
}
