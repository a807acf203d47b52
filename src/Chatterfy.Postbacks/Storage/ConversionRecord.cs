using Chatterfy.Postbacks.Ingestion;

namespace Chatterfy.Postbacks.Storage;

/// <summary>A conversion as the store keeps it.</summary>
public sealed record ConversionRecord
{
    /// <summary>Gets the conversion's opaque id, assigned before it is appended.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the normalized conversion.</summary>
    public required Conversion Conversion { get; init; }

    /// <summary>Gets whether the conversion is credited to its click.</summary>
    public required ConversionAttribution Attribution { get; init; }

    /// <summary>
    /// Gets the campaign the conversion counts toward: the click's campaign when credited, the set's campaign scope
    /// (or <see langword="null"/>) when unattributed.
    /// </summary>
    public string? CampaignId { get; init; }

    /// <summary>
    /// Gets a value indicating whether the conversion arrived after its click's attribution window: it is then
    /// <see cref="ConversionAttribution.Unattributed"/> for good, late attribution never credits it
    /// (<see cref="ConversionCredit"/>).
    /// </summary>
    public bool AttributionWindowPassed { get; init; }
}
