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

    /// <summary>
    /// Gets the click of a subject (a chat user, e.g. <c>tg:123456789</c>) in a campaign: the same click every time, even
    /// when several instances ask at once. The first binding wins; with no binding yet, the oldest click already carrying
    /// the subject and the campaign is bound, else a new click is created from <paramref name="details"/> and bound.
    /// </summary>
    /// <param name="subjectId">The subject id (see <see cref="SubjectIds"/>).</param>
    /// <param name="campaignId">The campaign id (see <see cref="Campaigns.CampaignService.IsValidId"/>).</param>
    /// <param name="details">What is known about the click, used only when one is created; its subject and campaign, when set, are these.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The binding; <see cref="SubjectBinding.ClickCreated"/> tells whether the click is new.</returns>
    /// <exception cref="ClickValidationException">The subject id, the campaign id or a value of <paramref name="details"/> breaks its rule; nothing is stored.</exception>
    public async ValueTask<SubjectBinding> GetOrCreateForSubjectAsync(string subjectId, string campaignId, NewClick? details = null, CancellationToken cancellationToken = default)
    {
        var errors = ValidateBinding(subjectId, campaignId);
        if (details is not null && details.SubjectId is not null && details.SubjectId != subjectId)
        {
            errors["subjectId"] = ["The click's subject id, when given, is the subject it is bound to."];
        }

        if (details is not null && details.CampaignId is not null && details.CampaignId != campaignId)
        {
            errors["campaignId"] = ["The click's campaign id, when given, is the campaign it is bound in."];
        }

        if (errors.Count > 0)
        {
            throw new ClickValidationException(errors);
        }

        var candidate = Mint((details ?? new NewClick()) with { SubjectId = subjectId, CampaignId = campaignId });
        var binding = await _clicks.BindSubjectAsync(
            new SubjectBindingRequest
            {
                SubjectId = subjectId,
                CampaignId = campaignId,
                BoundAt = candidate.CreatedAt,
                NewClick = candidate,
                NewClickCredit = CreditFor(candidate),
            },
            cancellationToken).ConfigureAwait(false);

        // The store binds the new click when there is nothing else to bind, so it never answers null here.
        binding = binding ?? throw new InvalidOperationException("The store bound no click although a new one was given.");
        if (binding.ClickCreated)
        {
            _cache.Remember(binding.Click);
        }

        return binding;
    }

    /// <summary>
    /// Binds a subject (a chat user) to a stored click, in the click's campaign, unless the subject is bound there already:
    /// what a bot does when a Telegram <c>/start</c> payload names the click the click redirect created, so that the
    /// click's fbclid, cookies, IP address and user agent serve the subject's conversions. The first binding wins: a later
    /// call with another click returns the existing binding unchanged.
    /// </summary>
    /// <param name="subjectId">The subject id (see <see cref="SubjectIds"/>).</param>
    /// <param name="clickId">The click id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The binding (maybe to another click, made before), or <see langword="null"/> when no click has that id.</returns>
    /// <exception cref="ClickValidationException">The subject id breaks its rule, or the click has no campaign; nothing is stored.</exception>
    public async ValueTask<SubjectBinding?> BindClickAsync(string subjectId, string clickId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(clickId);
        if (!SubjectIds.IsValid(subjectId))
        {
            throw new ClickValidationException(new Dictionary<string, string[]> { ["subjectId"] = [SubjectIds.Rule] });
        }

        if (clickId.Length == 0 || await _clicks.FindAsync(clickId, cancellationToken).ConfigureAwait(false) is not { } click)
        {
            return null;
        }

        if (click.CampaignId is null)
        {
            throw new ClickValidationException(new Dictionary<string, string[]> { ["clickId"] = ["The click has no campaign: a subject is bound to a click per campaign."] });
        }

        return await _clicks.BindSubjectAsync(
            new SubjectBindingRequest { SubjectId = subjectId, CampaignId = click.CampaignId, BoundAt = _timeProvider.GetUtcNow(), ClickId = click.Id },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Lists the clicks of a subject (a chat user): the click bound to it in each campaign, and the clicks carrying its id
    /// (the newest <see cref="SubjectClicks.MaxClicks"/>).
    /// </summary>
    /// <param name="subjectId">The subject id (see <see cref="SubjectIds"/>).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The bindings and clicks, both empty for a subject nobody bound.</returns>
    /// <exception cref="ClickValidationException">The subject id breaks <see cref="SubjectIds"/>' rule.</exception>
    public ValueTask<SubjectClicks> ListForSubjectAsync(string subjectId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subjectId);
        if (!SubjectIds.IsValid(subjectId))
        {
            throw new ClickValidationException(new Dictionary<string, string[]>(StringComparer.Ordinal) { ["subjectId"] = [SubjectIds.Rule] });
        }

        return _clicks.ListSubjectClicksAsync(subjectId, cancellationToken);
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

    private static Dictionary<string, string[]> ValidateBinding(string subjectId, string campaignId)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!SubjectIds.IsValid(subjectId))
        {
            errors["subjectId"] = [SubjectIds.Rule];
        }

        if (!Campaigns.CampaignService.IsValidId(campaignId))
        {
            errors["campaignId"] = [$"A campaign id is 1 to {Campaigns.Campaign.MaxIdLength} characters of A-Z, a-z, 0-9, '_' and '-'."];
        }

        return errors;
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
