using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Chatterfy.Postbacks.PostbackSets;

namespace Chatterfy.Postbacks.Networks;

/// <summary>The default <see cref="IAffiliateNetworkRegistry"/>: a fixed set of networks with unique ids.</summary>
public sealed class AffiliateNetworkRegistry : IAffiliateNetworkRegistry
{
    private readonly Dictionary<string, AffiliateNetwork> _byId;

    // Sets are immutable records, so a profile keyed by the set instance can never be stale; a changed set is a new instance.
    private readonly ConditionalWeakTable<PostbackSet, NetworkProfile> _profiles = [];

    /// <summary>Initializes a new instance of the <see cref="AffiliateNetworkRegistry"/> class.</summary>
    /// <param name="networks">The networks to serve.</param>
    /// <exception cref="InvalidOperationException">Two networks share one id, or an id is malformed.</exception>
    public AffiliateNetworkRegistry(IEnumerable<AffiliateNetwork> networks)
    {
        ArgumentNullException.ThrowIfNull(networks);
        var list = new List<AffiliateNetwork>();
        _byId = new Dictionary<string, AffiliateNetwork>(StringComparer.OrdinalIgnoreCase);
        foreach (var network in networks)
        {
            ValidateId(network);
            if (_byId.TryGetValue(network.Id, out var existing))
            {
                throw new InvalidOperationException(
                    $"Two affiliate networks are registered with the id '{network.Id}': {existing.GetType().FullName} and {network.GetType().FullName}. " +
                    "Network ids must be unique; remove one registration or give the plugin network another id.");
            }

            _byId.Add(network.Id, network);
            list.Add(network);
        }

        Networks = list;
    }

    /// <inheritdoc />
    public IReadOnlyList<AffiliateNetwork> Networks { get; }

    /// <inheritdoc />
    public bool TryGetNetwork(string networkId, [NotNullWhen(true)] out AffiliateNetwork? network)
    {
        ArgumentNullException.ThrowIfNull(networkId);
        return _byId.TryGetValue(networkId, out network);
    }

    /// <inheritdoc />
    public NetworkProfile GetProfile(PostbackSet postbackSet)
    {
        ArgumentNullException.ThrowIfNull(postbackSet);

        // The hit is every postback's path, so it allocates nothing: the miss lives in its own method, where creating the
        // factory's state cannot leak into this one.
        return _profiles.TryGetValue(postbackSet, out var cached) ? cached : CreateProfile(postbackSet);
    }

    private NetworkProfile CreateProfile(PostbackSet set)
    {
        if (!TryGetNetwork(set.NetworkId, out var network))
        {
            throw new InvalidOperationException(
                $"Postback set '{set.Id}' uses the affiliate network '{set.NetworkId}', which is not registered. Register it with AddNetwork<T>().");
        }

        return _profiles.GetOrAdd(set, static (s, n) => n.CreateProfile(s.Settings), network);
    }

    private static void ValidateId(AffiliateNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var id = network.Id;
        var valid = !string.IsNullOrEmpty(id) && id.Length <= 32;
        if (valid)
        {
            foreach (var c in id)
            {
                if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
                {
                    valid = false;
                    break;
                }
            }
        }

        if (!valid)
        {
            throw new InvalidOperationException(
                $"The affiliate network {network.GetType().FullName} has the id '{id}'; ids must be 1 to 32 lower-case letters, digits or '-'.");
        }
    }
}
