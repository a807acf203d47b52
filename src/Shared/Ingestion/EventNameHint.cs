namespace Chatterfy.Postbacks.Ingestion;

/// <summary>
/// What an event name may be, for messages that refuse one: the three known names, or a custom name of 1 to
/// <see cref="PostbackEvent.MaxCustomNameLength"/> of <c>a-z 0-9 _ -</c>. The one wording, built from the one list of
/// names; linked into each package that refuses event names.
/// </summary>
internal static class EventNameHint
{
    /// <summary>Gets the wording, e.g. <c>registration, first-deposit, deposit or 1 to 32 of a-z 0-9 _ -</c>.</summary>
    public static string Text { get; } =
        $"{PostbackEvent.Registration.Name}, {PostbackEvent.FirstDeposit.Name}, {PostbackEvent.Deposit.Name} or 1 to {PostbackEvent.MaxCustomNameLength} of a-z 0-9 _ -";
}
