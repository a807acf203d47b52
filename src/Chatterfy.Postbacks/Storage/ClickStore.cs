using Chatterfy.Postbacks.Clicks;

namespace Chatterfy.Postbacks.Storage;

/// <summary>The store role of clicks.</summary>
/// <remarks>
/// See <see cref="StoreRole"/> for what every role promises. A click's id, campaign and creation time never change, so the
/// core may cache them; its personal data (IP address, user agent) can be erased, so they are always read from the store.
/// A click's subject is set once, when a binding binds a click that had none (<see cref="BindSubjectAsync"/>).
/// </remarks>
public abstract class ClickStore : StoreRole
{
    /// <summary>
    /// Adds a click, and in the same transaction applies <paramref name="credit"/> to the conversions already stored for its
    /// id (late attribution; see <see cref="ConversionCredit"/>), numbering the first deposits and deposits it credits in
    /// receive-time-then-id order after the numbers the click's conversions hold (<see cref="DepositNumbering"/>).
    /// </summary>
    /// <param name="click">The click; its id must be unused.</param>
    /// <param name="credit">Which stored conversions of the click's id become credited.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>How many conversions were credited.</returns>
    /// <exception cref="InvalidOperationException">A click with the same id exists. Nothing is stored.</exception>
    public ValueTask<int> AddAsync(Click click, ConversionCredit credit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(click);
        ArgumentNullException.ThrowIfNull(credit);
        ArgumentNullException.ThrowIfNull(credit.CampaignIds, nameof(credit));
        ThrowIfInvalidId(click.Id, nameof(click));
        return AddCoreAsync(click, credit, cancellationToken);
    }

    /// <summary>Finds a click by id (case-sensitive).</summary>
    /// <param name="clickId">The click id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The click, or <see langword="null"/>.</returns>
    public ValueTask<Click?> FindAsync(string clickId, CancellationToken cancellationToken)
    {
        ThrowIfInvalidId(clickId);
        return FindCoreAsync(clickId, cancellationToken);
    }

    /// <summary>Erases a click's personal data (IP address and user agent); everything else is kept.</summary>
    /// <param name="clickId">The click id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when the click exists.</returns>
    public ValueTask<bool> ForgetPersonalDataAsync(string clickId, CancellationToken cancellationToken)
    {
        ThrowIfInvalidId(clickId);
        return ForgetPersonalDataCoreAsync(clickId, cancellationToken);
    }

    /// <summary>
    /// Binds a subject to a click of a campaign, atomically, even when several store instances share the database: at most
    /// one binding exists per (subject, campaign), and the first one made wins and never changes.
    /// </summary>
    /// <remarks>
    /// In one transaction, the first rule that applies:
    /// <list type="number">
    /// <item>a binding of (subject, campaign) exists: it is returned unchanged (<see cref="SubjectBinding.IsNew"/> false);</item>
    /// <item><see cref="SubjectBindingRequest.ClickId"/> is set: that click is bound (<see langword="null"/> is returned when it is not stored);</item>
    /// <item>a stored click carries the subject and the campaign: the oldest (by creation time, then id) is bound;</item>
    /// <item><see cref="SubjectBindingRequest.NewClick"/> is set: it is added with its credit, as <see cref="AddAsync"/> does, and bound (<see cref="SubjectBinding.ClickCreated"/> true);</item>
    /// <item>otherwise nothing is stored and <see langword="null"/> is returned.</item>
    /// </list>
    /// A bound click without a subject gets the binding's subject; nothing else of it changes.
    /// </remarks>
    /// <param name="request">What to bind.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The binding, or <see langword="null"/> when there was nothing to bind.</returns>
    public ValueTask<SubjectBinding?> BindSubjectAsync(SubjectBindingRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ThrowIfInvalidId(request.SubjectId, nameof(request));
        ThrowIfInvalidId(request.CampaignId, nameof(request));
        if (request.ClickId is not null)
        {
            ThrowIfInvalidId(request.ClickId, nameof(request));
        }

        if (request.NewClick is { } click)
        {
            ThrowIfInvalidId(click.Id, nameof(request));
            if (request.NewClickCredit is null)
            {
                throw new ArgumentException("A new click comes with its credit.", nameof(request));
            }

            if (click.SubjectId != request.SubjectId || click.CampaignId != request.CampaignId)
            {
                throw new ArgumentException("The new click carries the binding's subject and campaign.", nameof(request));
            }
        }

        return BindSubjectCoreAsync(request, cancellationToken);
    }

    /// <summary>
    /// Lists a subject's bindings (ordered by campaign id, ordinal) and the clicks carrying it (newest first by creation time,
    /// then id descending, at most <see cref="SubjectClicks.MaxClicks"/>).
    /// </summary>
    /// <param name="subjectId">The subject id (case-sensitive).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The bindings and clicks, both empty for an unknown subject.</returns>
    public ValueTask<SubjectClicks> ListSubjectClicksAsync(string subjectId, CancellationToken cancellationToken)
    {
        ThrowIfInvalidId(subjectId);
        return ListSubjectClicksCoreAsync(subjectId, cancellationToken);
    }

    /// <summary>
    /// Lists a subject's bindings and clicks (see <see cref="ListSubjectClicksAsync"/>). Virtual, so a store written before
    /// it still builds; every store of the SDK overrides it, and the conformance suite requires it. The default throws.
    /// </summary>
    /// <param name="subjectId">The subject id; validated.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The bindings and clicks.</returns>
    /// <exception cref="NotSupportedException">The store does not override it.</exception>
    protected virtual ValueTask<SubjectClicks> ListSubjectClicksCoreAsync(string subjectId, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"The store {GetType().Name} does not implement {nameof(ListSubjectClicksAsync)}: it was written before it; update it (the conformance suite covers it).");

    /// <summary>Binds a subject to a click (see <see cref="BindSubjectAsync"/>).</summary>
    /// <param name="request">What to bind; validated.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The binding, or <see langword="null"/>.</returns>
    protected abstract ValueTask<SubjectBinding?> BindSubjectCoreAsync(SubjectBindingRequest request, CancellationToken cancellationToken);

    /// <summary>Stores a click and applies the credit (see <see cref="AddAsync"/>).</summary>
    /// <param name="click">The click.</param>
    /// <param name="credit">The credit.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>How many conversions were credited.</returns>
    protected abstract ValueTask<int> AddCoreAsync(Click click, ConversionCredit credit, CancellationToken cancellationToken);

    /// <summary>Reads a click (see <see cref="FindAsync"/>).</summary>
    /// <param name="clickId">The click id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The click, or <see langword="null"/>.</returns>
    protected abstract ValueTask<Click?> FindCoreAsync(string clickId, CancellationToken cancellationToken);

    /// <summary>Erases personal data (see <see cref="ForgetPersonalDataAsync"/>).</summary>
    /// <param name="clickId">The click id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when the click exists.</returns>
    protected abstract ValueTask<bool> ForgetPersonalDataCoreAsync(string clickId, CancellationToken cancellationToken);
}
