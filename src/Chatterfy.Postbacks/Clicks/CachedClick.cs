namespace Chatterfy.Postbacks.Clicks;

/// <summary>What attribution needs of a click, and nothing else: it never changes once the click is stored.</summary>
/// <param name="Id">The click id.</param>
/// <param name="CampaignId">The click's campaign, or <see langword="null"/>.</param>
/// <param name="CreatedAt">When the click was created.</param>
internal sealed record CachedClick(string Id, string? CampaignId, DateTimeOffset CreatedAt)
{
    public static CachedClick Of(Click click) => new(click.Id, click.CampaignId, click.CreatedAt);
}
