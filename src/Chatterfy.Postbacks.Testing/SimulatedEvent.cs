using Chatterfy.Postbacks.Ingestion;

namespace Chatterfy.Postbacks.Testing;

/// <summary>
/// The event a simulated network reports: registration, first deposit, repeat deposit, or a custom event by name. It
/// picks the URL the network calls (see <see cref="PostbackTarget"/>) and, for Binomo on the bare URL, the event flag.
/// </summary>
/// <remarks>
/// Custom names are not validated: a simulator must be able to send what a misconfigured network sends, so
/// <c>SimulatedEvent.Custom("not an event")</c> goes out as written (escaped in the URL) and the receiver decides.
/// </remarks>
public sealed record SimulatedEvent
{
    private SimulatedEvent(string name, bool isCustom)
    {
        Name = name;
        IsCustom = isCustom;
    }

    /// <summary>Gets the registration event: the set's registration URL, Binomo flag <c>reg</c>.</summary>
    public static SimulatedEvent Registration { get; } = new(PostbackEvent.Registration.Name, isCustom: false);

    /// <summary>Gets the first deposit (FTD) event: the set's first-deposit URL, Binomo flag <c>ftd</c>.</summary>
    public static SimulatedEvent FirstDeposit { get; } = new(PostbackEvent.FirstDeposit.Name, isCustom: false);

    /// <summary>Gets the repeat deposit event: the set's deposit URL, Binomo flag <c>dep</c>.</summary>
    public static SimulatedEvent Deposit { get; } = new(PostbackEvent.Deposit.Name, isCustom: false);

    /// <summary>
    /// Gets the event's name: <c>registration</c>, <c>first-deposit</c>, <c>deposit</c>, or the custom name as given.
    /// </summary>
    public string Name { get; }

    /// <summary>Gets a value indicating whether this is a custom event, created with <see cref="Custom(string)"/>.</summary>
    public bool IsCustom { get; }

    /// <summary>
    /// Creates a custom event, e.g. <c>emailconf</c> or <c>withdrawal</c>. On the event URL it is sent as the last path
    /// segment after the token (<c>…/{token}/withdrawal</c>); for Binomo on the bare URL as the flag <c>withdrawal=true</c>.
    /// </summary>
    /// <param name="name">The event name, sent as written.</param>
    /// <returns>The custom event.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    public static SimulatedEvent Custom(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new SimulatedEvent(name, isCustom: true);
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
