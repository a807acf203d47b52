namespace Chatterfy.Postbacks.Forwarding;

/// <summary>The verdict of <see cref="OutboundUrlPolicy"/> on a destination URL.</summary>
/// <param name="IsAllowed">Whether the URL may be called.</param>
/// <param name="Problem">Why it may not, in a sentence naming the URL's host or address; <see langword="null"/> when allowed.</param>
public readonly record struct OutboundUrlCheck(bool IsAllowed, string? Problem)
{
    /// <summary>Gets the verdict for an allowed URL.</summary>
    public static OutboundUrlCheck Allowed => new(true, null);

    /// <summary>Creates the verdict for a refused URL.</summary>
    /// <param name="problem">Why it is refused.</param>
    /// <returns>The verdict.</returns>
    public static OutboundUrlCheck Refused(string problem) => new(false, problem);
}
