using Chatterfy.Postbacks.Campaigns;

namespace Chatterfy.Postbacks.Storage;

/// <summary>The store role of campaigns. A deleted campaign's id may be used again; clicks and rules that name it are kept.</summary>
/// <remarks>See <see cref="StoreRole"/> for what every role promises.</remarks>
public abstract class CampaignStore : StoreRole
{
    /// <summary>Adds a campaign.</summary>
    /// <param name="campaign">The campaign; its id must be unused (ordinal).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the campaign is stored.</returns>
    /// <exception cref="InvalidOperationException">A campaign with the same id exists.</exception>
    public ValueTask AddAsync(Campaign campaign, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        return AddCoreAsync(campaign, cancellationToken);
    }

    /// <summary>Gets a campaign by id (case-sensitive).</summary>
    /// <param name="campaignId">The campaign's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The campaign, or <see langword="null"/>.</returns>
    public ValueTask<Campaign?> GetAsync(string campaignId, CancellationToken cancellationToken)
    {
        ThrowIfInvalidId(campaignId);
        return GetCoreAsync(campaignId, cancellationToken);
    }

    /// <summary>Lists all campaigns by id (ordinal).</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The campaigns.</returns>
    public ValueTask<IReadOnlyList<Campaign>> ListAsync(CancellationToken cancellationToken) => ListCoreAsync(cancellationToken);

    /// <summary>Replaces a campaign's name, destination template and attribution window; its id and creation time are kept from the stored campaign.</summary>
    /// <param name="campaign">The campaign with its new values.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The stored campaign after the update, or <see langword="null"/> when none has that id.</returns>
    public ValueTask<Campaign?> UpdateAsync(Campaign campaign, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        return UpdateCoreAsync(campaign, cancellationToken);
    }

    /// <summary>Deletes a campaign; its id may be used again. Clicks and rules that name it are kept.</summary>
    /// <param name="campaignId">The campaign's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when a campaign was deleted.</returns>
    public ValueTask<bool> DeleteAsync(string campaignId, CancellationToken cancellationToken)
    {
        ThrowIfInvalidId(campaignId);
        return DeleteCoreAsync(campaignId, cancellationToken);
    }

    /// <summary>Stores a campaign (see <see cref="AddAsync"/>).</summary>
    /// <param name="campaign">The campaign.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the campaign is stored.</returns>
    protected abstract ValueTask AddCoreAsync(Campaign campaign, CancellationToken cancellationToken);

    /// <summary>Reads a campaign (see <see cref="GetAsync"/>).</summary>
    /// <param name="campaignId">The campaign's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The campaign, or <see langword="null"/>.</returns>
    protected abstract ValueTask<Campaign?> GetCoreAsync(string campaignId, CancellationToken cancellationToken);

    /// <summary>Lists the campaigns (see <see cref="ListAsync"/>).</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The campaigns.</returns>
    protected abstract ValueTask<IReadOnlyList<Campaign>> ListCoreAsync(CancellationToken cancellationToken);

    /// <summary>Updates a campaign (see <see cref="UpdateAsync"/>).</summary>
    /// <param name="campaign">The campaign with its new values.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The stored campaign, or <see langword="null"/>.</returns>
    protected abstract ValueTask<Campaign?> UpdateCoreAsync(Campaign campaign, CancellationToken cancellationToken);

    /// <summary>Deletes a campaign (see <see cref="DeleteAsync"/>).</summary>
    /// <param name="campaignId">The campaign's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when a campaign was deleted.</returns>
    protected abstract ValueTask<bool> DeleteCoreAsync(string campaignId, CancellationToken cancellationToken);
}
