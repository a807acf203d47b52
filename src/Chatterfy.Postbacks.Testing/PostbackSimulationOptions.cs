namespace Chatterfy.Postbacks.Testing;

/// <summary>
/// How a simulated network sends one postback: how often, how many copies at once, with which mistakes, and by which
/// method. The defaults send one well-formed <c>GET</c>.
/// </summary>
/// <remarks>
/// The simulator sends <c>(1 + <see cref="Retries"/>) × <see cref="ConcurrentCopies"/></c> identical requests: a round
/// of <see cref="ConcurrentCopies"/> requests started together, repeated after each round has been answered.
/// </remarks>
public sealed record PostbackSimulationOptions
{
    /// <summary>Gets the default options: one <c>GET</c>, every macro substituted, invariant amounts.</summary>
    public static PostbackSimulationOptions Default { get; } = new();

    /// <summary>
    /// Gets how many times the network retries the postback after the first request, one after another, each once the
    /// previous answer arrived. Default <c>0</c>. With <c>1</c>, a first deposit is expected to be answered
    /// <c>accepted</c> and then <c>duplicate</c>.
    /// </summary>
    public int Retries { get; init; }

    /// <summary>
    /// Gets how many identical copies are sent at once in each round (all started before any is awaited), as networks
    /// that fire the same postback twice at the same moment do. Default <c>1</c>.
    /// </summary>
    public int ConcurrentCopies { get; init; } = 1;

    /// <summary>
    /// Gets the macros the network leaves as they are instead of substituting them, e.g. <c>{sub1}</c> for 1Win or
    /// <c>{subid}</c> for a custom network. For Binomo, which has no macros in the URL, <c>{name}</c> sends the parameter
    /// <c>name</c> with the literal value <c>{name}</c>, e.g. <c>{click_id}</c> sends <c>click_id=%7Bclick_id%7D</c>.
    /// A macro listed here that the postback's URL does not contain is a mistake in the test: sending throws
    /// <see cref="ArgumentException"/>.
    /// </summary>
    public IReadOnlyCollection<string> LeaveUnsubstituted { get; init; } = [];

    /// <summary>Gets how the macros of <see cref="LeaveUnsubstituted"/> reach the receiver. Default <see cref="UnsubstitutedMacroStyle.AsWritten"/>.</summary>
    public UnsubstitutedMacroStyle UnsubstitutedMacroStyle { get; init; }

    /// <summary>
    /// Gets a value indicating whether amounts are written with a decimal comma, as some networks do: <c>12.50m</c> is
    /// sent as <c>12,50</c> and <c>1.234m</c> as <c>1,234</c>. Default <see langword="false"/>: the invariant
    /// <c>12.50</c>, keeping the <see cref="decimal"/>'s scale.
    /// </summary>
    public bool CommaDecimals { get; init; }

    /// <summary>
    /// Gets parameters to add to or override in the request after the network built it: a name already present gets the
    /// new value in place (its other occurrences are dropped), a new name is appended, and a <see langword="null"/> value
    /// removes the parameter. Names and values are given decoded and are percent-encoded as needed. Use it for renamed
    /// Binomo flags (<c>first_dep=true</c>), an <c>event</c> on a bare URL, or deliberately bad values.
    /// </summary>
    public IReadOnlyDictionary<string, string?> Parameters { get; init; } = new Dictionary<string, string?>();

    /// <summary>Gets how the parameters are sent. Default <see cref="SimulatedPostbackMethod.Get"/>.</summary>
    public SimulatedPostbackMethod Method { get; init; }
}
