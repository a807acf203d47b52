using System.Diagnostics.CodeAnalysis;
using Chatterfy.Postbacks.PostbackSets;

namespace Chatterfy.Postbacks.Networks;

/// <summary>Resolves affiliate network adapters by id and the cached profile of a postback set.</summary>
public interface IAffiliateNetworkRegistry
{
    /// <summary>Gets the registered networks, in registration order.</summary>
    IReadOnlyList<AffiliateNetwork> Networks { get; }

    /// <summary>Finds a network by id (case-insensitive).</summary>
    /// <param name="networkId">The id, e.g. <c>1win</c>.</param>
    /// <param name="network">The network.</param>
    /// <returns><see langword="true"/> when a network with that id is registered.</returns>
    bool TryGetNetwork(string networkId, [NotNullWhen(true)] out AffiliateNetwork? network);

    /// <summary>Gets the profile that serves <paramref name="postbackSet"/>, created from its settings once and cached.</summary>
    /// <param name="postbackSet">The postback set.</param>
    /// <returns>The set's profile.</returns>
    /// <exception cref="InvalidOperationException">The set's network is not registered.</exception>
    /// <exception cref="InvalidNetworkSettingsException">The set's stored settings are no longer valid.</exception>
    NetworkProfile GetProfile(PostbackSet postbackSet);
}
