using Chatterfy.Postbacks.Campaigns;
using Chatterfy.Postbacks.Storage;

namespace YourStore;

/// <summary>One role of your store: campaigns, kept in a dictionary.</summary>
public sealed class DictionaryCampaignStore : CampaignStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Campaign> _campaigns = new(StringComparer.Ordinal);

    // Each …CoreAsync member is called after CampaignStore has checked the arguments: campaign is not null, ids are not
    // null or empty. What is left is what the XML docs of the public member promise.
    protected override ValueTask AddCoreAsync(Campaign campaign, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_campaigns.TryAdd(campaign.Id, campaign))
            {
                throw new InvalidOperationException($"A campaign with id '{campaign.Id}' exists.");
            }
        }

        return ValueTask.CompletedTask;
    }

    protected override ValueTask<Campaign?> GetCoreAsync(string campaignId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_campaigns.GetValueOrDefault(campaignId));
        }
    }

    protected override ValueTask<IReadOnlyList<Campaign>> ListCoreAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult<IReadOnlyList<Campaign>>([.. _campaigns.Values.OrderBy(c => c.Id, StringComparer.Ordinal)]);
        }
    }

    protected override ValueTask<Campaign?> UpdateCoreAsync(Campaign campaign, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_campaigns.TryGetValue(campaign.Id, out var stored))
            {
                return ValueTask.FromResult<Campaign?>(null);
            }

            // The name and template change; the id and creation time are kept from the stored campaign.
            var updated = stored with
            {
                Name = campaign.Name,
                DestinationTemplate = campaign.DestinationTemplate,
                AttributionWindowSeconds = campaign.AttributionWindowSeconds,
            };
            _campaigns[campaign.Id] = updated;
            return ValueTask.FromResult<Campaign?>(updated);
        }
    }

    protected override ValueTask<bool> DeleteCoreAsync(string campaignId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_campaigns.Remove(campaignId));
        }
    }
}
