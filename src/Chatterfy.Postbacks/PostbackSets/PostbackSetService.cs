using System.Text;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Networks;
using Chatterfy.Postbacks.Storage;
using Microsoft.Extensions.Options;

namespace Chatterfy.Postbacks.PostbackSets;

/// <summary>
/// Creates and manages postback sets and builds their URLs: the API behind "create a postback set, get its three URLs".
/// Get it from the service provider after <c>AddChatterfyPostbacks()</c>.
/// </summary>
public sealed class PostbackSetService
{
    private const int MaxNameLength = DisplayNames.MaxLength;
    private const int MaxCampaignIdLength = Campaigns.Campaign.MaxIdLength;

    private readonly PostbackSetStore _store;
    private readonly PostbackSetCache _cache;
    private readonly IAffiliateNetworkRegistry _networks;
    private readonly IOptionsMonitor<ChatterfyPostbacksOptions> _options;
    private readonly TimeProvider _timeProvider;

    // Created by AddChatterfyPostbacks: it shares the token cache with PostbackIngestor, so its changes apply at once.
    internal PostbackSetService(PostbackSetStore store, PostbackSetCache cache, IAffiliateNetworkRegistry networks, IOptionsMonitor<ChatterfyPostbacksOptions> options, TimeProvider timeProvider)
    {
        _store = store;
        _cache = cache;
        _networks = networks;
        _options = options;
        _timeProvider = timeProvider;
    }

    /// <summary>Creates a postback set with a new secret token.</summary>
    /// <param name="request">The name, network, campaign scope and settings.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The stored set; pass it to <see cref="GetUrls"/> for its URLs.</returns>
    /// <exception cref="PostbackSetValidationException">The name, network, campaign, settings or attribution window are invalid.</exception>
    public async ValueTask<PostbackSet> CreateAsync(NewPostbackSet request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new Dictionary<string, string[]>();
        ValidateName(request.Name, errors);
        if (request.CampaignId is not null && (request.CampaignId.Length is 0 or > MaxCampaignIdLength || request.CampaignId.Any(char.IsControl)))
        {
            errors["campaignId"] = [$"A campaign id is 1 to {MaxCampaignIdLength} characters without control characters."];
        }

        ValidateAttributionWindow(request.AttributionWindowSeconds, errors);
        var set = new PostbackSet
        {
            Id = StoreIds.New(_timeProvider),
            Name = request.Name?.Trim() ?? "",
            NetworkId = request.NetworkId?.ToLowerInvariant() ?? "",
            CampaignId = request.CampaignId,
            Token = PostbackSetToken.New(),
            Settings = request.Settings?.Clone(),
            CreatedAt = _timeProvider.GetUtcNow(),
            Enabled = true,
            AttributionWindowSeconds = request.AttributionWindowSeconds,
            StatusMap = request.StatusMap,
        };
        ValidateNetwork(set, errors);
        if (errors.Count > 0)
        {
            throw new PostbackSetValidationException(errors);
        }

        await _store.AddAsync(set, cancellationToken).ConfigureAwait(false);
        _cache.Invalidate(null, set.Token);
        return set;
    }

    /// <summary>Gets a set by id.</summary>
    /// <param name="setId">The set's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The set, or <see langword="null"/>.</returns>
    public ValueTask<PostbackSet?> GetAsync(string setId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(setId);
        return _store.GetAsync(setId, cancellationToken);
    }

    /// <summary>Lists all sets, oldest first.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The sets.</returns>
    public ValueTask<IReadOnlyList<PostbackSet>> ListAsync(CancellationToken cancellationToken = default) =>
        _store.ListAsync(cancellationToken);

    /// <summary>Changes a set's name, settings, enabled flag or attribution window. Its URLs stay the same (the query may change with the settings).</summary>
    /// <param name="setId">The set's id.</param>
    /// <param name="changes">The changes.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The changed set, or <see langword="null"/> when there is no such set.</returns>
    /// <exception cref="PostbackSetValidationException">The new name, settings or attribution window are invalid.</exception>
    public async ValueTask<PostbackSet?> UpdateAsync(string setId, PostbackSetChanges changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(setId);
        ArgumentNullException.ThrowIfNull(changes);
        var current = await _store.GetAsync(setId, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            return null;
        }

        var errors = new Dictionary<string, string[]>();
        if (changes.Name is not null)
        {
            ValidateName(changes.Name, errors);
        }

        ValidateAttributionWindow(changes.AttributionWindowSeconds, errors);
        if (changes.RemoveAttributionWindow && changes.AttributionWindowSeconds is not null)
        {
            errors[AttributionWindow.Field] = ["Give a new attribution window or remove it, not both."];
        }

        if (changes.ResetStatusMap && changes.StatusMap is not null)
        {
            errors[ConversionStatusMap.Field] = ["Give a new status map or reset it, not both."];
        }

        var changed = current with
        {
            Name = changes.Name?.Trim() ?? current.Name,
            Settings = changes.Settings is { } settings ? settings.Clone() : current.Settings,
            Enabled = changes.Enabled ?? current.Enabled,
            AttributionWindowSeconds = changes.RemoveAttributionWindow ? null : changes.AttributionWindowSeconds ?? current.AttributionWindowSeconds,
            StatusMap = changes.ResetStatusMap ? null : changes.StatusMap ?? current.StatusMap,
        };
        ValidateNetwork(changed, errors);
        if (errors.Count > 0)
        {
            throw new PostbackSetValidationException(errors);
        }

        var updated = await _store.UpdateAsync(changed, cancellationToken).ConfigureAwait(false);
        _cache.Invalidate(setId);
        return updated;
    }

    /// <summary>Disables a set: its URLs answer as unknown until it is enabled again.</summary>
    /// <param name="setId">The set's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The disabled set, or <see langword="null"/> when there is no such set.</returns>
    public ValueTask<PostbackSet?> DisableAsync(string setId, CancellationToken cancellationToken = default) =>
        UpdateAsync(setId, new PostbackSetChanges { Enabled = false }, cancellationToken);

    /// <summary>Deletes a set; its URLs stop working at once. Its conversions and log are kept.</summary>
    /// <param name="setId">The set's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when a set was deleted.</returns>
    public async ValueTask<bool> DeleteAsync(string setId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(setId);
        var deleted = await _store.DeleteAsync(setId, cancellationToken).ConfigureAwait(false);
        _cache.Invalidate(setId);
        return deleted;
    }

    /// <summary>Gives a set a new secret token (new URLs), e.g. after its URLs leaked.</summary>
    /// <param name="setId">The set's id.</param>
    /// <param name="gracePeriod">How long the old URLs keep working; <see langword="null"/> or zero stops them at once.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The set with its new token, or <see langword="null"/> when there is no such set.</returns>
    public async ValueTask<PostbackSet?> RotateTokenAsync(string setId, TimeSpan? gracePeriod = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(setId);
        if (gracePeriod is { } grace && grace < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(gracePeriod), grace, "The grace period cannot be negative.");
        }

        DateTimeOffset? validUntil = gracePeriod is { } g && g > TimeSpan.Zero ? _timeProvider.GetUtcNow() + g : null;
        var rotated = await _store.RotateTokenAsync(setId, PostbackSetToken.New(), validUntil, cancellationToken).ConfigureAwait(false);
        _cache.Invalidate(setId, rotated?.Token);
        return rotated;
    }

    /// <summary>Builds the set's absolute postback URLs.</summary>
    /// <param name="postbackSet">The set.</param>
    /// <param name="publicBaseUrl">
    /// The receiver's public base URL (scheme, host, optional port and path base), or <see langword="null"/> to use
    /// <see cref="ChatterfyPostbacksOptions.PublicBaseUrl"/>.
    /// </param>
    /// <returns>The registration, first deposit, deposit and bare URLs.</returns>
    /// <exception cref="InvalidOperationException">No base URL was given or configured.</exception>
    /// <exception cref="ArgumentException"><paramref name="publicBaseUrl"/> is not an absolute http(s) URL without query.</exception>
    public PostbackUrls GetUrls(PostbackSet postbackSet, string? publicBaseUrl = null)
    {
        ArgumentNullException.ThrowIfNull(postbackSet);
        var options = _options.CurrentValue;
        var baseUrl = publicBaseUrl ?? options.PublicBaseUrl
            ?? throw new InvalidOperationException(
                "No public base URL for postback URLs: set ChatterfyPostbacksOptions.PublicBaseUrl (Postbacks:PublicBaseUrl) or pass one to GetUrls.");
        if (PublicBaseUrl.Validate(baseUrl) is { } problem)
        {
            throw new ArgumentException(problem, nameof(publicBaseUrl));
        }

        var profile = _networks.GetProfile(postbackSet);

        // Built as text, never through System.Uri: Uri would percent-encode the braces of network macros.
        var root = new StringBuilder(baseUrl.TrimEnd('/'))
            .Append(options.ReceiverPathPrefix.TrimEnd('/'))
            .Append('/')
            .Append(postbackSet.Token)
            .ToString();
        return new PostbackUrls(
            Registration: root + "/registration" + profile.GetPostbackQuery(PostbackUrlKind.Registration),
            FirstDeposit: root + "/first-deposit" + profile.GetPostbackQuery(PostbackUrlKind.FirstDeposit),
            Deposit: root + "/deposit" + profile.GetPostbackQuery(PostbackUrlKind.Deposit),
            Base: root + profile.GetPostbackQuery(PostbackUrlKind.Base));
    }

    private static void ValidateName(string? name, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > MaxNameLength || name.Any(char.IsControl))
        {
            errors["name"] = [$"A name is 1 to {MaxNameLength} characters without control characters."];
        }
    }

    private static void ValidateAttributionWindow(long? seconds, Dictionary<string, string[]> errors)
    {
        if (AttributionWindow.Validate(seconds) is { } problem)
        {
            errors[AttributionWindow.Field] = [problem];
        }
    }

    private void ValidateNetwork(PostbackSet set, Dictionary<string, string[]> errors)
    {
        if (!_networks.TryGetNetwork(set.NetworkId, out var network))
        {
            var known = string.Join(", ", _networks.Networks.Select(n => n.Id));
            errors["network"] = [$"Unknown affiliate network '{set.NetworkId}'. Registered networks: {known}."];
            return;
        }

        try
        {
            _ = network.CreateProfile(set.Settings);
        }
        catch (InvalidNetworkSettingsException ex)
        {
            foreach (var group in ex.Errors.GroupBy(e => e.Field))
            {
                errors[group.Key] = [.. group.Select(e => e.Message)];
            }
        }
    }
}
