using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Storage;

namespace Chatterfy.Postbacks.Forwarding;

/// <summary>
/// Which conversions a forwarding rule forwards, on top of what its destination forwards: every member that is set must
/// hold (a member left <see langword="null"/> lets every conversion through). The core evaluates the filter once, when it
/// writes a conversion's outbox messages; a deposit-number condition the store can only check once it has numbered the
/// conversion travels with the message (<see cref="OutboxMessage.DepositNumberCondition"/>).
/// </summary>
public sealed record ForwardingRuleFilter
{
    /// <summary>Gets the filter that lets every conversion through.</summary>
    public static ForwardingRuleFilter None { get; } = new();

    /// <summary>
    /// Gets the canonical names of the events the rule forwards (e.g. <c>first-deposit</c>, a custom name), or
    /// <see langword="null"/> for every event. A destination's own <c>events</c> setting applies as well: a conversion is
    /// forwarded only when both let it through.
    /// </summary>
    public IReadOnlyList<string>? Events { get; init; }

    /// <summary>
    /// Gets the deposit numbers the rule forwards, or <see langword="null"/> for every conversion. With a range, only
    /// credited first deposits and deposits whose number is in it are forwarded.
    /// </summary>
    public DepositNumberRange? DepositNumber { get; init; }

    /// <summary>Gets a value indicating whether the filter lets every conversion through.</summary>
    public bool IsEmpty => Events is null && DepositNumber is null;

    /// <summary>
    /// Tells whether a conversion's event passes the filter; the deposit number, which the store assigns later, is checked
    /// through <see cref="OutboxMessage.DepositNumberCondition"/>.
    /// </summary>
    /// <param name="conversionEvent">The conversion's event.</param>
    /// <returns><see langword="false"/> when the event is not in <see cref="Events"/>, or when a deposit-number range is set and the event is never numbered.</returns>
    public bool Matches(PostbackEvent conversionEvent)
    {
        return (Events is null || Events.Contains(conversionEvent.Name, StringComparer.Ordinal))
            && (DepositNumber is null || DepositNumbering.IsNumbered(conversionEvent.Kind));
    }
}
