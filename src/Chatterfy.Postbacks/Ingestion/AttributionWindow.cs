namespace Chatterfy.Postbacks.Ingestion;

/// <summary>
/// The one home of the attribution window: how long after its click a new conversion is still credited to it. A set and a
/// campaign may each have one (<see cref="PostbackSets.PostbackSet.AttributionWindowSeconds"/>,
/// <see cref="Campaigns.Campaign.AttributionWindowSeconds"/>); the services validate them here, and
/// <see cref="PostbackIngestor"/> decides with <see cref="HasPassed"/> whether a conversion is stored unattributed with
/// <see cref="PostbackWarningCodes.AttributionWindowPassed"/>.
/// </summary>
/// <remarks>
/// The window applies to new conversions only, never to a later change of a stored conversion's status: statuses land
/// long after the conversion they change, and the conversion's attribution was decided when it arrived.
/// </remarks>
internal static class AttributionWindow
{
    /// <summary>The shortest window, in seconds (one minute).</summary>
    public const long MinSeconds = 60;

    /// <summary>The longest window, in seconds (365 days).</summary>
    public const long MaxSeconds = 365L * 24 * 60 * 60;

    /// <summary>The name of the member on sets and campaigns, as the validation errors name it.</summary>
    public const string Field = "attributionWindowSeconds";

    /// <summary>Checks a window: <see langword="null"/> (no window) or <see cref="MinSeconds"/> to <see cref="MaxSeconds"/>.</summary>
    /// <param name="seconds">The window in seconds, or <see langword="null"/>.</param>
    /// <returns>What is wrong with it, or <see langword="null"/> when it is valid.</returns>
    public static string? Validate(long? seconds) =>
        seconds is null or (>= MinSeconds and <= MaxSeconds)
            ? null
            : $"An attribution window is {MinSeconds} to {MaxSeconds} seconds (1 minute to 365 days), or null for none.";

    /// <summary>The window that applies to a conversion: its click's campaign's when that campaign has one, else its set's.</summary>
    /// <param name="campaignSeconds">The window of the click's campaign, or <see langword="null"/>.</param>
    /// <param name="setSeconds">The window of the set that received the postback, or <see langword="null"/>.</param>
    /// <returns>The window in seconds, or <see langword="null"/> when none applies.</returns>
    public static long? Of(long? campaignSeconds, long? setSeconds) => campaignSeconds ?? setSeconds;

    /// <summary>
    /// Tells whether a conversion received at <paramref name="receivedAt"/> (the original receive time on a replay) came
    /// after the window of a click created at <paramref name="clickCreatedAt"/>: when the time between them is longer than
    /// the window. Exactly the window is still inside.
    /// </summary>
    /// <param name="clickCreatedAt">When the click was created.</param>
    /// <param name="receivedAt">When the postback was received.</param>
    /// <param name="windowSeconds">The window in seconds (<see cref="Of"/>), or <see langword="null"/> for none.</param>
    /// <returns><see langword="true"/> when the window has passed.</returns>
    public static bool HasPassed(DateTimeOffset clickCreatedAt, DateTimeOffset receivedAt, long? windowSeconds) =>
        windowSeconds is { } seconds && receivedAt - clickCreatedAt > TimeSpan.FromSeconds(seconds);
}
