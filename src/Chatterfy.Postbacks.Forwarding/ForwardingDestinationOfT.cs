using System.Text.Json;
using Chatterfy.Postbacks.Settings;

namespace Chatterfy.Postbacks.Forwarding;

/// <summary>
/// A forwarding destination with typed settings: a rule's JSON settings are bound to <typeparamref name="TSettings"/>
/// (camelCase, matched case-insensitively, unknown members refused), validated, then turned into a profile.
/// </summary>
/// <typeparam name="TSettings">The settings type; a class with a parameterless constructor and settable properties.</typeparam>
public abstract class ForwardingDestination<TSettings> : ForwardingDestination
    where TSettings : class, new()
{
    /// <inheritdoc />
    public sealed override DestinationProfile CreateProfile(JsonElement settings)
    {
        if (!JsonSettingsBinder.TryBind<TSettings>(settings, $"the {DisplayName} destination", out var typed, out var field, out var message))
        {
            throw new InvalidDestinationSettingsException(Id, [new DestinationSettingsError(field, message)]);
        }

        var errors = new List<DestinationSettingsError>();
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
}
