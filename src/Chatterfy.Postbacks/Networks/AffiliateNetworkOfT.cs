using System.Text.Json;
using Chatterfy.Postbacks.Settings;

namespace Chatterfy.Postbacks.Networks;

/// <summary>
/// An affiliate network adapter with typed settings: the JSON settings of a set are bound to
/// <typeparamref name="TSettings"/> (camelCase, unknown members refused), validated, then turned into a profile.
/// </summary>
/// <typeparam name="TSettings">The settings type; a class with a parameterless constructor and settable properties.</typeparam>
public abstract class AffiliateNetwork<TSettings> : AffiliateNetwork
    where TSettings : class, new()
{
    /// <inheritdoc />
    public sealed override NetworkProfile CreateProfile(JsonElement? settings)
    {
        if (!JsonSettingsBinder.TryBind<TSettings>(settings, $"the {DisplayName} network", out var typed, out var field, out var message))
        {
            throw new InvalidNetworkSettingsException(Id, [new NetworkSettingsError(field, message)]);
        }

        var errors = new List<NetworkSettingsError>();
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
