using System.Text.Json;

namespace Chatterfy.Postbacks.PostbackSets;

/// <summary>
/// A postback set: the receiver configuration that one affiliate network calls when a user registers or deposits.
/// Its secret <see cref="Token"/> authenticates the network's calls; its URLs are built by
/// <c>PostbackSetService.GetUrls</c>.
/// </summary>
public sealed record PostbackSet
{
    /// <summary>Gets the set's opaque, stable identifier.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the display name chosen by the marketer, e.g. <c>Binomo main</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the id of the affiliate network adapter, e.g. <c>binomo</c>, <c>1win</c> or <c>custom</c>.</summary>
    public required string NetworkId { get; init; }

    /// <summary>Gets the campaign the set is scoped to, or <see langword="null"/> when it accepts clicks of any campaign.</summary>
    public string? CampaignId { get; init; }

    /// <summary>Gets the secret, URL-safe token that appears in the set's postback URLs.</summary>
    public required string Token { get; init; }

    /// <summary>
    /// Gets the network-specific settings as a JSON object (camelCase), or <see langword="null"/> for the network's defaults.
    /// The network adapter validates and interprets them.
    /// </summary>
    public JsonElement? Settings { get; init; }

    /// <summary>Gets when the set was created (UTC).</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets a value indicating whether the set accepts postbacks. A disabled set's URLs answer as unknown.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>
    /// Gets how long after its click a new conversion is still credited, in seconds, or <see langword="null"/> for no limit.
    /// A conversion received later is stored unattributed with warning <c>attribution_window_passed</c>. The window of the
    /// click's campaign, when it has one, wins over this one.
    /// </summary>
    /// <value><see langword="null"/> (no window) by default; otherwise 60 seconds to 365 days.</value>
    public long? AttributionWindowSeconds { get; init; }

    /// <summary>
    /// Gets the network's words for each conversion status, or <see langword="null"/> for
    /// <see cref="Ingestion.ConversionStatusMap.Default"/>. A set's own map replaces the default entirely.
    /// </summary>
    public Ingestion.ConversionStatusMap? StatusMap { get; init; }
}
