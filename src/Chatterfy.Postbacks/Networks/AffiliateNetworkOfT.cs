using System.Text.Json;
using System.Text.Json.Serialization;

namespace Chatterfy.Postbacks.Networks;

/// <summary>
/// An affiliate network adapter with typed settings: the JSON settings of a set are bound to
/// <typeparamref name="TSettings"/> (camelCase, unknown members refused), validated, then turned into a profile.
/// </summary>
/// <typeparam name="TSettings">The settings type; a class with a parameterless constructor and settable properties.</typeparam>
public abstract class AffiliateNetwork<TSettings> : AffiliateNetwork
    where TSettings : class, new()
{
    private static readonly JsonSerializerOptions SettingsJson = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowTrailingCommas = false,
        ReadCommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 8,
    };

    /// <inheritdoc />
    public sealed override NetworkProfile CreateProfile(JsonElement? settings)
    {
        var typed = BindSettings(settings);
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

    private TSettings BindSettings(JsonElement? settings)
    {
        if (settings is not { } element || element.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return new TSettings();
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidNetworkSettingsException(Id, [new NetworkSettingsError("settings", "Settings must be a JSON object.")]);
        }

        try
        {
            return element.Deserialize<TSettings>(SettingsJson) ?? new TSettings();
        }
        catch (JsonException ex)
        {
            var path = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "settings" : "settings" + ex.Path.TrimStart('$');

            // System.Text.Json's messages name .NET types; a marketer needs to know which setting is wrong and why.
            var message = ex.Message.Contains("could not be mapped", StringComparison.Ordinal)
                ? $"'{(path.StartsWith("settings.", StringComparison.Ordinal) ? path["settings.".Length..] : path)}' is not a setting of the {DisplayName} network."
                : $"The value of '{path}' has the wrong type or shape for the {DisplayName} network.";
            throw new InvalidNetworkSettingsException(Id, [new NetworkSettingsError(path, message)]);
        }
    }
}
