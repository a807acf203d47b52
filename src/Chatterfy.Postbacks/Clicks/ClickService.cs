using Chatterfy.Postbacks.Storage;

namespace Chatterfy.Postbacks.Clicks;

/// <summary>
/// Creates and finds tracker clicks, lists the conversions reported for them and erases their personal data. Get it from
/// the service provider after <c>AddChatterfyPostbacks()</c>.
/// </summary>
public sealed class ClickService
{
    private readonly ClickStore _clicks;
    private readonly IngestStore _conversions;
    private readonly ClickCache _cache;
    private readonly IClickIdGenerator _clickIds;
    private readonly TimeProvider _timeProvider;

    // Created by AddChatterfyPostbacks: it fills the click cache that PostbackIngestor attributes with.
    internal ClickService(ClickStore clicks, IngestStore conversions, ClickCache cache, IClickIdGenerator clickIds, TimeProvider timeProvider)
    {
        _clicks = clicks;
        _conversions = conversions;
        _cache = cache;
        _clickIds = clickIds;
        _timeProvider = timeProvider;
    }

    /// <summary>Validates the click with <see cref="ClickLimits.Default"/>, mints a click id and stores the click.</summary>
    /// <param name="details">What is known about the click.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The stored click.</returns>
    /// <exception cref="ClickValidationException">A value breaks <see cref="ClickValidator"/>'s rules; nothing is stored.</exception>
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
    /// <exception cref="ClickValidationException">A value breaks <see cref="ClickValidator"/>'s rules with <see cref="ClickLimits.Default"/>.</exception>
    public Click Mint(NewClick details) => Mint(details, ClickLimits.Default);

    /// <summary>
    /// Validates the click with <paramref name="limits"/>, mints a click id and makes the click, without storing it; the
    /// click redirect passes <see cref="ClickLimits.PublicRedirect"/>.
    /// </summary>
    /// <param name="details">What is known about the click.</param>
    /// <param name="limits">The limits the values keep.</param>
    /// <returns>The click, not yet stored.</returns>
    /// <exception cref="ClickValidationException">A value breaks <see cref="ClickValidator"/>'s rules with <paramref name="limits"/>.</exception>
    public Click Mint(NewClick details, ClickLimits limits)
    {
        ArgumentNullException.ThrowIfNull(details);
        ArgumentNullException.ThrowIfNull(limits);
        var errors = ClickValidator.Validate(details, limits);
        if (errors.Count > 0)
        {
            throw new ClickValidationException(errors);
        }

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

    /// <summary>
    /// Stores a click made by <see cref="Mint(NewClick, ClickLimits)"/>, and in the same transaction credits the conversions that arrived for its
    /// id before it did and were stored unattributed (late attribution): those without a campaign or of the click's
    /// campaign now count toward the click's campaign. Their log entries keep the outcome they were answered with.
    /// </summary>
    /// <param name="click">The click.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the click is stored.</returns>
    /// <exception cref="InvalidOperationException">A click with the same id exists.</exception>
    public async ValueTask AddAsync(Click click, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(click);
        await _clicks.AddAsync(click, CreditFor(click), cancellationToken).ConfigureAwait(false);
        _cache.Remember(click);
    }

    /// <summary>Finds a click by id.</summary>
    /// <param name="clickId">The click id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The click, or <see langword="null"/>.</returns>
    public ValueTask<Click?> FindAsync(string clickId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(clickId);
        return _clicks.FindAsync(clickId, cancellationToken);
    }

    /// <summary>
    /// Lists the stored conversions reported for a click id, by any set, credited or not, oldest first. Duplicates are not
    /// stored, so not listed.
    /// </summary>
    /// <param name="clickId">The click id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The conversions.</returns>
    public ValueTask<IReadOnlyList<ConversionRecord>> ListConversionsAsync(string clickId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(clickId);
        return _conversions.ListConversionsByClickAsync(clickId, cancellationToken);
    }

    /// <summary>Erases a click's personal data (IP address and user agent); everything else is kept.</summary>
    /// <param name="clickId">The click id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when the click exists.</returns>
    public ValueTask<bool> ForgetPersonalDataAsync(string clickId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(clickId);
        return _clicks.ForgetPersonalDataAsync(clickId, cancellationToken);
    }

    /// <summary>
    /// The late-attribution rule, in one place: a conversion that arrived before its click (so it was stored unattributed)
    /// becomes credited to the click when the click is added, if it has no campaign (its set is not scoped) or the click's
    /// campaign; it counts toward the click's campaign from then on. Its log entry keeps the outcome it was answered with.
    /// </summary>
    internal static ConversionCredit CreditFor(Click click) => new()
    {
        CampaignIds = [null, click.CampaignId],
        NewCampaignId = click.CampaignId,
    };
}
