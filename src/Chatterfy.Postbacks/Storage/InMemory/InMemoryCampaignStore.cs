using Chatterfy.Postbacks.Campaigns;

namespace Chatterfy.Postbacks.Storage.InMemory;

/// <summary>The in-memory store's campaigns.</summary>
internal sealed class InMemoryCampaignStore(InMemoryDatabase db) : CampaignStore
{
    protected override ValueTask AddCoreAsync(Campaign campaign, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (db.Lock)
        {
            if (!db.Campaigns.TryAdd(campaign.Id, campaign))
            {
                throw new InvalidOperationException($"A campaign with id '{campaign.Id}' exists.");
            }
        }

        return ValueTask.CompletedTask;
    }

    protected override ValueTask<Campaign?> GetCoreAsync(string campaignId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (db.Lock)
        {
            return new(db.Campaigns.GetValueOrDefault(campaignId));
        }
    }

    protected override ValueTask<IReadOnlyList<Campaign>> ListCoreAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        List<Campaign> campaigns;
        lock (db.Lock)
        {
            campaigns = [.. db.Campaigns.Values];
        }

        campaigns.Sort(static (a, b) => string.CompareOrdinal(a.Id, b.Id));
        return new(campaigns.AsReadOnly());
    }

    protected override ValueTask<Campaign?> UpdateCoreAsync(Campaign campaign, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (db.Lock)
        {
            if (!db.Campaigns.TryGetValue(campaign.Id, out var stored))
            {
                return new((Campaign?)null);
            }

            var updated = stored with { Name = campaign.Name, DestinationTemplate = campaign.DestinationTemplate, AttributionWindowSeconds = campaign.AttributionWindowSeconds };
            db.Campaigns[campaign.Id] = updated;
            return new(updated);
        }
    }

    protected override ValueTask<bool> DeleteCoreAsync(string campaignId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (db.Lock)
        {
            return new(db.Campaigns.Remove(campaignId));
        }
    }
}
