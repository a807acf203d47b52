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

    /// <summary>
    /// Gets the status names (<see cref="ConversionStatusNames"/>) the rule forwards a conversion in, each time it enters
    /// one of them (created in it or changed into it), or <see langword="null"/> to forward a conversion once, when it is
    /// first approved (<see cref="MatchesStatus"/>).
    /// </summary>
    public IReadOnlyList<string>? Statuses { get; init; }

    /// <summary>Gets a value indicating whether the filter lets every conversion through.</summary>
    public bool IsEmpty => Events is null && DepositNumber is null && Statuses is null;

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

    /// <summary>
    /// Tells whether the rule forwards a conversion as it enters its current status (<see cref="ConversionRecord.Status"/>;
    /// created in it when <see cref="ConversionRecord.History"/> is empty, else changed into it by the last history entry).
    /// Without <see cref="Statuses"/> only the first entry into <c>approved</c> is forwarded (an approval after a pending,
    /// once; a chargeback is not sent again); with them, every entry into one of them.
    /// </summary>
    /// <param name="conversion">The conversion as stored with its new status.</param>
    /// <returns><see langword="true"/> when this entry into the status is forwarded.</returns>
    public bool MatchesStatus(ConversionRecord conversion)
    {
        ArgumentNullException.ThrowIfNull(conversion);
        if (Statuses is not null)
        {
            return Statuses.Contains(ConversionStatusNames.Name(conversion.Status), StringComparer.Ordinal);
        }

        if (conversion.Status != ConversionStatus.Approved)
        {
            return false;
        }

        // The first approval: created approved, or changed to approved with no approval before this last entry.
        var history = conversion.History;
        if (history.Count == 0)
        {
            return true;
        }

        if (history[0].From == ConversionStatus.Approved)
        {
            return false;
        }

        for (var i = 0; i < history.Count - 1; i++)
        {
            if (history[i].To == ConversionStatus.Approved)
            {
                return false;
            }
        }

        return true;
    }
}
