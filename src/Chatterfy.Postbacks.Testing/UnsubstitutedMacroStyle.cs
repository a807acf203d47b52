namespace Chatterfy.Postbacks.Testing;

/// <summary>
/// How a macro listed in <see cref="PostbackSimulationOptions.LeaveUnsubstituted"/> reaches the receiver.
/// </summary>
public enum UnsubstitutedMacroStyle
{
    /// <summary>
    /// The macro stays in the URL as written, e.g. <c>{sub1}</c>. The HTTP client percent-encodes the braces on the wire
    /// (<c>%7Bsub1%7D</c>), as most clients do, and the receiver reads <c>{sub1}</c>.
    /// </summary>
    AsWritten,

    /// <summary>
    /// The network percent-encodes the macro text as a parameter value before sending it, so the wire carries
    /// <c>%257Bsub1%257D</c> and the receiver reads <c>%7Bsub1%7D</c>.
    /// </summary>
    PercentEncoded,
}
