using Chatterfy.Postbacks.Ingestion;

namespace Chatterfy.Postbacks.Networks.Binomo;

/// <summary>
/// Binomo (binpartner). Its panel takes a <b>bare</b> URL ("any additional settings starting with <c>?</c> break the
/// postback") and appends its own query: <c>click_id</c>, <c>amount</c> (in USD), <c>transaction_id</c>, <c>user_id</c>,
/// <c>site_id</c>, <c>campaign_id</c>, and event flags such as <c>reg=true</c>.
/// </summary>
public sealed class BinomoNetwork : AffiliateNetwork<BinomoSettings>
{
    /// <inheritdoc />
    public override string Id => NetworkIds.Binomo;

    /// <inheritdoc />
    public override string DisplayName => "Binomo";

    /// <inheritdoc />
    protected override void Validate(BinomoSettings settings, ICollection<NetworkSettingsError> errors)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(errors);
        if (settings.EventFlags is null)
        {
            return;
        }

        if (settings.EventFlags.Count == 0)
        {
            errors.Add(new NetworkSettingsError("settings.eventFlags", "At least one event flag is needed, e.g. {\"reg\":\"registration\"}; omit eventFlags for the defaults."));
        }

        foreach (var (flag, eventName) in settings.EventFlags)
        {
            if (!IsParameterName(flag))
            {
                errors.Add(new NetworkSettingsError("settings.eventFlags", $"The flag name '{flag}' must be 1 to 32 letters, digits, '_', '-' or '.'."));
            }

            if (!PostbackEvent.TryParse(eventName, out _))
            {
                errors.Add(new NetworkSettingsError($"settings.eventFlags.{flag}", $"'{eventName}' is not an event name: use {EventNameHint.Text}."));
            }
        }
    }

    /// <inheritdoc />
    protected override NetworkProfile CreateProfile(BinomoSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var source = settings.EventFlags is { } configured ? [.. configured] : BinomoSettings.DefaultEventFlags;
        var flags = new KeyValuePair<string, PostbackEvent>[source.Count];
        for (var i = 0; i < flags.Length; i++)
        {
            if (!PostbackEvent.TryParse(source[i].Value, out var parsed))
            {
                throw new InvalidOperationException($"Binomo event flag '{source[i].Key}' names no event; Validate should have refused it.");
            }

            flags[i] = new(source[i].Key, parsed);
        }

        return new BinomoProfile(flags);
    }

    internal static bool IsParameterName(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 32)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }
}
