using System.Text.Json;

namespace Chatterfy.Postbacks.PostbackSets;

/// <summary>What is needed to create a postback set.</summary>
public sealed record NewPostbackSet
{
    /// <summary>Gets the display name, 1 to 200 characters.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the network id, e.g. <c>binomo</c>, <c>1win</c>, <c>custom</c> or a plugin's.</summary>
    public required string NetworkId { get; init; }

    /// <summary>Gets the campaign to scope the set to, or <see langword="null"/> for any campaign.</summary>
    public string? CampaignId { get; init; }

    /// <summary>Gets the network settings as a JSON object, or <see langword="null"/> for the network's defaults.</summary>
    public JsonElement? Settings { get; init; }

    /// <summary>Gets the attribution window in seconds (see <see cref="PostbackSet.AttributionWindowSeconds"/>), or <see langword="null"/> for none.</summary>
    /// <value><see langword="null"/> by default; otherwise 60 seconds to 365 days.</value>
    public long? AttributionWindowSeconds { get; init; }

    /// <summary>Gets the network's status words (see <see cref="PostbackSet.StatusMap"/>), or <see langword="null"/> for the default map.</summary>
    public Ingestion.ConversionStatusMap? StatusMap { get; init; }
}
