namespace Chatterfy.Postbacks.Clicks;

/// <summary>
/// The click a subject (a chat user) is bound to in a campaign: the same click every time, whoever asks
/// (<see cref="ClickService.GetOrCreateForSubjectAsync"/>, <see cref="ClickService.BindClickAsync"/>). The first binding wins and never changes.
/// </summary>
public sealed record SubjectBinding
{
    /// <summary>Gets the subject id, e.g. <c>tg:123456789</c> (see <see cref="SubjectIds"/>).</summary>
    public required string SubjectId { get; init; }

    /// <summary>Gets the campaign id.</summary>
    public required string CampaignId { get; init; }

    /// <summary>Gets the bound click, as stored now.</summary>
    public required Click Click { get; init; }

    /// <summary>Gets when the binding was made (UTC).</summary>
    public required DateTimeOffset BoundAt { get; init; }

    /// <summary>Gets a value indicating whether this call made the binding (otherwise it existed and is returned unchanged).</summary>
    public bool IsNew { get; init; }

    /// <summary>Gets a value indicating whether this call created and stored <see cref="Click"/> (no click to bind existed).</summary>
    public bool ClickCreated { get; init; }
}
