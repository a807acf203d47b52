namespace Chatterfy.Postbacks.Testing;

/// <summary>Which of a set's URLs a simulated network calls.</summary>
public enum PostbackTarget
{
    /// <summary>
    /// The URL of the event: <see cref="PostbackSets.PostbackUrls.Registration"/>,
    /// <see cref="PostbackSets.PostbackUrls.FirstDeposit"/> or <see cref="PostbackSets.PostbackUrls.Deposit"/>; for a
    /// custom event, the bare URL with the event name appended to its path (<c>…/{token}/emailconf</c>).
    /// </summary>
    EventUrl,

    /// <summary>
    /// The set's bare URL, <see cref="PostbackSets.PostbackUrls.Base"/>, for networks configured with one URL for all
    /// events. Binomo then adds its event flag (<c>reg=true</c>, <c>ftd=true</c>, <c>dep=true</c>); the other networks
    /// send the URL's own parameters, so add <c>event</c> through the set's macros or
    /// <see cref="PostbackSimulationOptions.Parameters"/>.
    /// </summary>
    BareUrl,
}
