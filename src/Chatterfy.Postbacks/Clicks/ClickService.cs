using Chatterfy.Postbacks.Storage;

namespace Chatterfy.Postbacks.Clicks;

/// <summary>Creates and finds tracker clicks.</summary>
public sealed class ClickService
{
    private readonly PostbackStore _store;
    private readonly IClickIdGenerator _clickIds;
    private readonly TimeProvider _timeProvider;

    /// <summary>Initializes a new instance of the <see cref="ClickService"/> class.</summary>
    /// <param name="store">The store.</param>
    /// <param name="clickIds">The click id generator.</param>
    /// <param name="timeProvider">The clock.</param>
    public ClickService(PostbackStore store, IClickIdGenerator clickIds, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(clickIds);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _store = store;
        _clickIds = clickIds;
        _timeProvider = timeProvider;
    }

    /// <summary>Mints a click id and stores the click.</summary>
    /// <param name="details">What is known about the click.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The stored click.</returns>
    public async ValueTask<Click> CreateAsync(NewClick details, CancellationToken cancellationToken = default)
    {
        var click = Mint(details);
        await AddAsync(click, cancellationToken).ConfigureAwait(false);
        return click;
    }

    /// <summary>
    /// Mints a click id and makes the click, without storing it: the click redirect renders the campaign's destination
    /// for the click first and stores it with <see cref="AddAsync"/> only when it redirects.
    /// </summary>
    /// <param name="details">What is known about the click.</param>
    /// <returns>The click, not yet stored.</returns>
    public Click Mint(NewClick details)
    {
        ArgumentNullException.ThrowIfNull(details);
        return new Click
        {
            Id = _clickIds.NewClickId(),
            CampaignId = details.CampaignId,
            SubjectId = details.SubjectId,
            Fbclid = details.Fbclid,
            Fbc = details.Fbc,
            Fbp = details.Fbp,
            IpAddress = details.IpAddress,
            UserAgent = details.UserAgent,
            EventSourceUrl = details.EventSourceUrl,
            CreatedAt = _timeProvider.GetUtcNow(),
            Fields = details.Fields is null ? new Dictionary<string, string>() : new Dictionary<string, string>(details.Fields, StringComparer.Ordinal),
        };
    }

    /// <summary>Stores a click made by <see cref="Mint"/>.</summary>
    /// <param name="click">The click.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the click is stored.</returns>
    public ValueTask AddAsync(Click click, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(click);
        return _store.AddClickAsync(click, cancellationToken);
    }

    /// <summary>Finds a click by id.</summary>
    /// <param name="clickId">The click id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The click, or <see langword="null"/>.</returns>
    public ValueTask<Click?> FindAsync(string clickId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(clickId);
        return _store.FindClickAsync(clickId, cancellationToken);
    }
}
