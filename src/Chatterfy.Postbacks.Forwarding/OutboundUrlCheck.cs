namespace Chatterfy.Postbacks.Forwarding;

/// <summary>The verdict of <see cref="OutboundUrlPolicy"/> on a destination URL.</summary>
/// <param name="IsAllowed">Whether the URL may be called.</param>
/// <param name="Problem">Why it may not, in a sentence naming the URL's host or address; <see langword="null"/> when allowed.</param>
public readonly record struct OutboundUrlCheck(bool IsAllowed, string? Problem)
{
    /// <summary>
    /// Gets the delivery error code a refused request is dead-lettered with: <see cref="DeliveryErrorCodes.UrlForbidden"/>
    /// (not absolute, a scheme or user info the policy refuses) or <see cref="DeliveryErrorCodes.AddressForbidden"/> (a
    /// forbidden address or port); <see langword="null"/> when allowed.
    /// </summary>
    public string? ErrorCode { get; init; }

    /// <summary>Gets the verdict for an allowed URL.</summary>
    public static OutboundUrlCheck Allowed => new(true, null);

    /// <summary>Creates the verdict for a refused URL, with the code <see cref="DeliveryErrorCodes.UrlForbidden"/>.</summary>
    /// <param name="problem">Why it is refused.</param>
    /// <returns>The verdict.</returns>
    public static OutboundUrlCheck Refused(string problem) => Refused(problem, DeliveryErrorCodes.UrlForbidden);

    /// <summary>Creates the verdict for a refused URL with its delivery error code.</summary>
    internal static OutboundUrlCheck Refused(string problem, string errorCode) => new(false, problem) { ErrorCode = errorCode };
}
