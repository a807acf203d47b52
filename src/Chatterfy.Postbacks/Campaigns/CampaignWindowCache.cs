using Chatterfy.Postbacks.Caching;
using Chatterfy.Postbacks.Storage;
using Microsoft.Extensions.Options;

namespace Chatterfy.Postbacks.Campaigns;

/// <summary>
/// Caches each campaign's attribution window for ingestion, for <see cref="ChatterfyPostbacksOptions.SetCacheDuration"/>
/// (as token lookups are), so a postback for a campaign's click does not read the campaign from the store.
/// <see cref="CampaignService"/> forgets this instance's entry at once when it changes a campaign; other instances sharing
/// the database see the change when their entry expires.
/// </summary>
internal sealed class CampaignWindowCache(CampaignStore store, IOptionsMonitor<ChatterfyPostbacksOptions> options, TimeProvider timeProvider)
{
    // Far more campaigns than anyone has; past it the cache starts over rather than grow.
    private readonly ExpiringCache<long?> _byId = new(maxEntries: 10_000);

    /// <summary>Gets a campaign's attribution window.</summary>
    /// <returns>The window in seconds, or <see langword="null"/> when the campaign has none or does not exist.</returns>
    public async ValueTask<long?> GetWindowSecondsAsync(string campaignId, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        if (_byId.TryGet(campaignId, now, out var cached))
        {
            return cached;
        }

        var campaign = CampaignService.IsValidId(campaignId) ? await store.GetAsync(campaignId, cancellationToken).ConfigureAwait(false) : null;
        var seconds = campaign?.AttributionWindowSeconds;
        var lifetime = options.CurrentValue.SetCacheDuration;
        if (lifetime > TimeSpan.Zero)
        {
            _byId.Set(campaignId, seconds, now + lifetime);
        }

        return seconds;
    }

    /// <summary>Forgets a campaign's cached window.</summary>
    public void Invalidate(string campaignId) => _byId.Remove(campaignId);
}
