using System.Text.Json;
using System.Text.Json.Nodes;

namespace Chatterfy.Postbacks.Networks;

/// <summary>
/// An affiliate network adapter: the extension point for adding a network without touching the core.
/// Derive from <see cref="AffiliateNetwork{TSettings}"/> to get typed, validated per-set settings for free.
/// </summary>
/// <remarks>
/// An adapter is a stateless singleton registered with <c>AddNetwork&lt;TNetwork&gt;()</c>. For each postback set it
/// creates a <see cref="NetworkProfile"/> from the set's settings; the profile decides the query of each generated
/// URL and how incoming parameters and events are read. See <c>docs/extending-networks.md</c>.
/// </remarks>
public abstract class AffiliateNetwork
{
    /// <summary>Gets the network's id as stored on postback sets, e.g. <c>binomo</c>. Lower-case letters, digits and <c>-</c>.</summary>
    public abstract string Id { get; }

    /// <summary>Gets the name shown to marketers, e.g. <c>Binomo</c>.</summary>
    public abstract string DisplayName { get; }

    /// <summary>
    /// Gets a JSON Schema of a set's settings, from which the dashboard renders the settings form: each property's
    /// <c>title</c> is the field's label, its <c>description</c> the hint, <c>required</c> the fields that must be filled.
    /// </summary>
    /// <value>
    /// Defaults to <see langword="null"/>: no schema, the settings are edited as JSON. <see cref="AffiliateNetwork{TSettings}"/>
    /// describes its settings type. Each read returns a new object, which the caller may change.
    /// </value>
    public virtual JsonObject? SettingsSchema => null;

    /// <summary>Validates a set's settings and creates the profile that serves that set.</summary>
    /// <param name="settings">The set's settings as a JSON object, or <see langword="null"/> for the defaults.</param>
    /// <returns>The profile for the set.</returns>
    /// <exception cref="InvalidNetworkSettingsException">The settings are invalid; the exception names each bad field.</exception>
    public abstract NetworkProfile CreateProfile(JsonElement? settings);
}
