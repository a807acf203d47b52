using System.Text.Json;
using System.Text.Json.Serialization;

namespace Chatterfy.Postbacks.Forwarding;

/// <summary>
/// A forwarding destination with typed settings: a rule's JSON settings are bound to <typeparamref name="TSettings"/>
/// (camelCase, matched case-insensitively, unknown members refused), validated, then turned into a profile.
/// </summary>
/// <typeparam name="TSettings">The settings type; a class with a parameterless constructor and settable properties.</typeparam>
public abstract class ForwardingDestination<TSettings> : ForwardingDestination
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
    public sealed override DestinationProfile CreateProfile(JsonElement settings)
    {
        var typed = BindSettings(settings);
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

    private TSettings BindSettings(JsonElement settings)
    {
        if (settings.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return new TSettings();
        }

        if (settings.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDestinationSettingsException(Id, [new DestinationSettingsError("settings", "Settings must be a JSON object.")]);
        }

        try
        {
            return settings.Deserialize<TSettings>(SettingsJson) ?? new TSettings();
        }
        catch (JsonException ex)
        {
            var path = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "settings" : "settings" + ex.Path.TrimStart('$');

            // System.Text.Json's messages name .NET types; a marketer needs to know which setting is wrong and why.
            var message = ex.Message.Contains("could not be mapped", StringComparison.Ordinal)
                ? $"'{(path.StartsWith("settings.", StringComparison.Ordinal) ? path["settings.".Length..] : path)}' is not a setting of the {DisplayName} destination."
                : $"The value of '{path}' has the wrong type or shape for the {DisplayName} destination.";
            throw new InvalidDestinationSettingsException(Id, [new DestinationSettingsError(path, message)]);
        }
    }
}
