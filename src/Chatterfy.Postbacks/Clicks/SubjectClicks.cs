namespace Chatterfy.Postbacks.Clicks;

/// <summary>
/// The clicks of a subject (a chat user, see <see cref="SubjectIds"/>): its bindings, one per campaign
/// (<see cref="ClickService.GetOrCreateForSubjectAsync"/>), and the clicks carrying its id (<see cref="ClickService.ListForSubjectAsync"/>).
/// </summary>
public sealed record SubjectClicks
{
    /// <summary>The most clicks carrying the subject listed: the newest 100.</summary>
    public const int MaxClicks = 100;

    /// <summary>Gets the subject's bindings, ordered by campaign id (ordinal).</summary>
    public required IReadOnlyList<SubjectBinding> Bindings { get; init; }

    /// <summary>Gets the clicks whose <see cref="Click.SubjectId"/> is the subject, newest first (creation time, then id), at most <see cref="MaxClicks"/>.</summary>
    public required IReadOnlyList<Click> Clicks { get; init; }
}
