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

    /// <summary>Gets the campaign of the credited click, or <see langword="null"/>.</summary>
    public string? CampaignId { get; init; }
}
