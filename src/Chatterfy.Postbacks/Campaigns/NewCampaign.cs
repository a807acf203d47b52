namespace Chatterfy.Postbacks.Campaigns;

/// <summary>What <see cref="CampaignService.CreateAsync"/> needs to create a campaign, or <see cref="CampaignService.UpdateAsync"/> to change one.</summary>
public sealed record NewCampaign
{
    /// <summary>Gets the campaign's id: 1 to 64 characters of <c>[A-Za-z0-9_-]</c>, e.g. <c>spring</c>.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the name shown to marketers (at most 200 characters), or <see langword="null"/>.</summary>
    public string? Name { get; init; }

    /// <summary>
    /// Gets the destination URL template: an absolute <c>https</c> or <c>tg</c> URL with a literal host, whose macros are
    /// <c>{{tracker.clickid}}</c> or <c>{{tracker.&lt;field&gt;}}</c>, e.g. <c>https://t.me/mybot?start={{tracker.clickid}}</c>.
    /// </summary>
    public required string DestinationTemplate { get; init; }

    /// <summary>
    /// Gets the attribution window in seconds (see <see cref="Campaign.AttributionWindowSeconds"/>), or <see langword="null"/>
    /// for none; <see cref="CampaignService.UpdateAsync"/> replaces it like the other members.
    /// </summary>
    /// <value><see langword="null"/> by default; otherwise 60 seconds to 365 days.</value>
    public long? AttributionWindowSeconds { get; init; }
}
