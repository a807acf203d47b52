namespace Chatterfy.Postbacks.Storage;

/// <summary>An open time range: strictly after <see cref="After"/> and strictly before <see cref="Before"/>; a missing bound is open.</summary>
/// <param name="After">The exclusive start, or <see langword="null"/> for no start.</param>
/// <param name="Before">The exclusive end, or <see langword="null"/> for no end.</param>
public readonly record struct ReceivedRange(DateTimeOffset? After, DateTimeOffset? Before)
{
    /// <summary>Gets the range of all times.</summary>
    public static ReceivedRange Always => default;

    /// <summary>Tells whether <paramref name="time"/> lies in the range.</summary>
    /// <param name="time">The time.</param>
    /// <returns><see langword="true"/> when it does.</returns>
    public bool Contains(DateTimeOffset time) => (After is not { } after || time > after) && (Before is not { } before || time < before);
}
