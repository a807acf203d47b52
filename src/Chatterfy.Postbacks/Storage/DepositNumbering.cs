using Chatterfy.Postbacks.Ingestion;

namespace Chatterfy.Postbacks.Storage;

/// <summary>
/// The rule by which deposits are numbered per click id, across sets (<see cref="ConversionRecord.DepositNumber"/>); the one
/// home of it, which every store applies atomically when a conversion is first credited (on append, and when a late click
/// credits waiting conversions, in receive-time-then-id order).
/// </summary>
/// <remarks>
/// <para>
/// Only credited first deposits and deposits are numbered. A first deposit takes <see cref="First"/> unless a conversion of
/// the click already holds it (a second first deposit, from another set); every other numbered conversion takes the
/// highest number of the click plus one, and never less than 2, so a repeat deposit credited before the first deposit
/// takes 2 and leaves 1 to it. Numbers are never reused nor changed: 1..n without gaps once the first deposit arrived.
/// </para>
/// <para>
/// The upgrade that introduced numbers applied the same rule to the conversions already stored, credited ones only, in
/// (received at, id) order per click: the earliest first deposit took 1 and the others followed in order with the repeats.
/// </para>
/// </remarks>
public static class DepositNumbering
{
    /// <summary>The number of a click's first deposit.</summary>
    public const int First = 1;

    /// <summary>
    /// The deposit number from which the stats count repeat deposits together (their <c>4+</c> bucket,
    /// <see cref="PostbackStats.RepeatDeposits"/>): 2 and 3 have a bucket each.
    /// </summary>
    public const int GroupedFrom = 4;

    /// <summary>
    /// Gets the stats bucket of a deposit number: the number itself below <see cref="GroupedFrom"/>, else
    /// <see cref="GroupedFrom"/>. Stores keep it with their daily roll-ups (<see cref="ConversionTotal.DepositBucket"/>).
    /// </summary>
    /// <param name="depositNumber">A conversion's <see cref="ConversionRecord.DepositNumber"/>.</param>
    /// <returns>The bucket, or <see langword="null"/> for a conversion without a number.</returns>
    public static int? StatsBucket(int? depositNumber) => depositNumber is { } number ? Math.Min(number, GroupedFrom) : null;

    /// <summary>Tells whether conversions of an event kind are numbered (first deposits and deposits).</summary>
    /// <param name="kind">The event kind.</param>
    /// <returns><see langword="true"/> for <see cref="PostbackEventKind.FirstDeposit"/> and <see cref="PostbackEventKind.Deposit"/>.</returns>
    public static bool IsNumbered(PostbackEventKind kind) => kind is PostbackEventKind.FirstDeposit or PostbackEventKind.Deposit;

    /// <summary>Gets the number a newly credited conversion of the click takes.</summary>
    /// <param name="kind">The conversion's event kind; <see cref="IsNumbered"/> must be <see langword="true"/>.</param>
    /// <param name="highest">The highest number the click's conversions hold, or <see langword="null"/> for none.</param>
    /// <param name="firstTaken">Whether a conversion of the click holds <see cref="First"/>.</param>
    /// <returns>The number.</returns>
    public static int Next(PostbackEventKind kind, int? highest, bool firstTaken)
    {
        if (!IsNumbered(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Only first deposits and deposits are numbered.");
        }

        return kind == PostbackEventKind.FirstDeposit && !firstTaken ? First : Math.Max(highest ?? 0, First) + 1;
    }
}
