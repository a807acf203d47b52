namespace Chatterfy.Postbacks.Campaigns;

/// <summary>
/// A tracker campaign with a destination: the click redirect (<c>GET /api/go/{campaignId}</c>) creates a click for it and
/// sends the visitor to <see cref="DestinationTemplate"/> rendered with the click's macros.
/// </summary>
public sealed record Campaign
{
    /// <summary>The longest campaign id, in characters.</summary>
    public const int MaxIdLength = 64;

    /// <summary>Gets the campaign's id, chosen by its creator: 1 to 64 characters of <c>[A-Za-z0-9_-]</c>, e.g. <c>spring</c>. Clicks carry it.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the name shown to marketers, or <see langword="null"/>.</summary>
    public string? Name { get; init; }

    /// <summary>
    /// Gets the destination URL template, validated when the campaign is saved: an absolute <c>https</c> or <c>tg</c> URL whose
    /// macros are known, e.g. <c>https://t.me/mybot?start={{tracker.clickid}}</c>.
    /// </summary>
    public required string DestinationTemplate { get; init; }

    /// <summary>Gets when the campaign was created (UTC).</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>
    /// Gets how long after its click a new conversion is still credited, in seconds, or <see langword="null"/> for none.
    /// It applies to the campaign's clicks and wins over the window of the set that receives the postback.
    /// </summary>
    /// <value><see langword="null"/> (no window) by default; otherwise 60 seconds to 365 days.</value>
    public long? AttributionWindowSeconds { get; init; }
}
