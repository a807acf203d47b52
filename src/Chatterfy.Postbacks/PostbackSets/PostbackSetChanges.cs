using System.Text.Json;

namespace Chatterfy.Postbacks.PostbackSets;

/// <summary>Changes to a postback set; each <see langword="null"/> member is left as it is.</summary>
public sealed record PostbackSetChanges
{
    /// <summary>Gets the new display name.</summary>
    public string? Name { get; init; }

    /// <summary>Gets the new network settings (replacing the old ones entirely).</summary>
    public JsonElement? Settings { get; init; }

    /// <summary>Gets whether the set accepts postbacks.</summary>
    public bool? Enabled { get; init; }

    /// <summary>Gets the new attribution window in seconds (see <see cref="PostbackSet.AttributionWindowSeconds"/>); to remove it, use <see cref="RemoveAttributionWindow"/>.</summary>
    /// <value><see langword="null"/> (leave it) by default; otherwise 60 seconds to 365 days.</value>
    public long? AttributionWindowSeconds { get; init; }

    /// <summary>Gets a value indicating whether the set's attribution window is removed (no limit); not together with <see cref="AttributionWindowSeconds"/>.</summary>
    public bool RemoveAttributionWindow { get; init; }

    /// <summary>Gets the new status map (see <see cref="PostbackSet.StatusMap"/>); to go back to the default map, use <see cref="ResetStatusMap"/>.</summary>
    public Ingestion.ConversionStatusMap? StatusMap { get; init; }

    /// <summary>Gets a value indicating whether the set goes back to the default status map; not together with <see cref="StatusMap"/>.</summary>
    public bool ResetStatusMap { get; init; }
}
