using Chatterfy.Postbacks.Clicks;

namespace Chatterfy.Postbacks.Storage;

/// <summary>
/// What <see cref="ClickStore.BindSubjectAsync"/> binds, as the core decided it (<see cref="ClickService"/>): the subject and
/// campaign, the click to bind when the caller names one, and the click to add when there is nothing to bind.
/// </summary>
public sealed record SubjectBindingRequest
{
    /// <summary>Gets the subject id (see <see cref="SubjectIds"/>).</summary>
    public required string SubjectId { get; init; }

    /// <summary>Gets the campaign id.</summary>
    public required string CampaignId { get; init; }

    /// <summary>Gets the time a new binding records (UTC).</summary>
    public required DateTimeOffset BoundAt { get; init; }

    /// <summary>
    /// Gets the id of a stored click of <see cref="CampaignId"/> to bind when no binding exists (the click a Telegram
    /// <c>/start</c> payload named), or <see langword="null"/> to bind the subject's oldest click of the campaign.
    /// </summary>
    public string? ClickId { get; init; }

    /// <summary>
    /// Gets the click to add and bind, in the same transaction, when no binding exists and no click is found to bind; or
    /// <see langword="null"/> to add none. Its subject and campaign are <see cref="SubjectId"/> and <see cref="CampaignId"/>.
    /// </summary>
    public Click? NewClick { get; init; }

    /// <summary>Gets the late attribution <see cref="NewClick"/> applies when it is added (see <see cref="ClickStore.AddAsync"/>); required with it.</summary>
    public ConversionCredit? NewClickCredit { get; init; }
}
