using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Nodes;
using Chatterfy.Postbacks.Settings;

namespace Chatterfy.Postbacks.Forwarding;

/// <summary>
/// A forwarding destination with typed settings: a rule's JSON settings are bound to <typeparamref name="TSettings"/>
/// (camelCase, matched case-insensitively, unknown members refused), validated, then turned into a profile.
/// </summary>
/// <remarks>
/// The settings' <see cref="SettingsSchema"/> is made from <typeparamref name="TSettings"/>: mark a property
/// <see cref="DisplayAttribute"/> (<c>Name</c> = the form's label, <c>Description</c> = its one-line hint) and
/// <see cref="RequiredAttribute"/> (its <c>ErrorMessage</c> is the error when the setting is missing; the binder refuses
/// settings without it before <see cref="Validate"/> runs). Secrets are marked from <see cref="ForwardingDestination.SecretSettings"/>.
/// </remarks>
/// <typeparam name="TSettings">The settings type; a class with a parameterless constructor and settable properties.</typeparam>
public abstract class ForwardingDestination<TSettings> : ForwardingDestination
    where TSettings : class, new()
{
    private JsonObject? _schema;

    /// <summary>
    /// Gets the JSON Schema of <typeparamref name="TSettings"/>, with the names the settings are bound with, each of
    /// <see cref="ForwardingDestination.SecretSettings"/> marked <c>"writeOnly": true</c>.
    /// </summary>
    /// <value>A new copy on each read of the schema made once per destination.</value>
    public override JsonObject? SettingsSchema => LazyInitializer.EnsureInitialized(ref _schema, CreateSchema).DeepClone().AsObject();

    /// <inheritdoc />
    public sealed override DestinationProfile CreateProfile(JsonElement settings)
    {
        if (!JsonSettingsBinder.TryBind<TSettings>(settings, $"the {DisplayName} destination", out var typed, out var field, out var message))
        {
            throw new InvalidDestinationSettingsException(Id, [new DestinationSettingsError(field, message)]);
        }

        var errors = JsonSettingsBinder.RequiredSettings(typed).Select(e => new DestinationSettingsError(e.Field, e.Message)).ToList();
        Validate(typed, errors);
        if (errors.Count > 0)
        {
            throw new InvalidDestinationSettingsException(Id, errors);
        }

        return CreateProfile(typed);
    }

    /// <summary>Checks settings that binding alone cannot, adding one error per bad field.</summary>
    /// <param name="settings">The bound settings.</param>
    /// <param name="errors">Where to add errors; the field path is camelCase from the settings root, e.g. <c>settings.pixelId</c>.</param>
    protected virtual void Validate(TSettings settings, ICollection<DestinationSettingsError> errors)
    {
    }

    /// <summary>Creates the profile for validated settings.</summary>
    /// <param name="settings">The bound and validated settings.</param>
    /// <returns>The profile that serves one forwarding rule.</returns>
    protected abstract DestinationProfile CreateProfile(TSettings settings);

    private JsonObject CreateSchema()
    {
        var schema = JsonSettingsBinder.CreateSchema<TSettings>();
        if (schema["properties"] is JsonObject properties)
        {
            foreach (var (name, property) in properties)
            {
                if (property is JsonObject secret && SecretSettings.Contains(name, StringComparer.OrdinalIgnoreCase))
                {
                    secret["writeOnly"] = true;
                }
            }
        }

        return schema;
    }
}
