using Chatterfy.Postbacks.Storage;

namespace Chatterfy.Postbacks.Forwarding;

/// <summary>
/// An inclusive range of deposit numbers (<see cref="ConversionRecord.DepositNumber"/>): a forwarding rule's
/// <c>depositNumber</c> filter, and the condition an outbox message carries until the store has numbered its conversion.
/// </summary>
public sealed record DepositNumberRange
{
    /// <summary>Gets the lowest number in the range (at least <see cref="DepositNumbering.First"/>), or <see langword="null"/> for no lower bound.</summary>
    public int? Min { get; init; }

    /// <summary>Gets the highest number in the range (at least <see cref="Min"/>), or <see langword="null"/> for no upper bound.</summary>
    public int? Max { get; init; }

    /// <summary>
    /// Tells whether a conversion's deposit number is in the range; a conversion without a number (not a credited deposit)
    /// never is.
    /// </summary>
    /// <param name="depositNumber">The number the store gave the conversion, or <see langword="null"/>.</param>
    /// <returns><see langword="true"/> when the number is between <see cref="Min"/> and <see cref="Max"/>, both included.</returns>
    public bool Contains(int? depositNumber) =>
        depositNumber is { } number && number >= (Min ?? DepositNumbering.First) && (Max is not { } max || number <= max);
}
