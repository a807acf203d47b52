using Chatterfy.Postbacks.Storage;

namespace Chatterfy.Postbacks.Ingestion;

/// <summary>
/// The one home of the duplicate rule's time window: which receive times of a stored conversion with the same key value
/// make a new one a duplicate. Stores only apply the range (<see cref="IngestRecord.DuplicateRange"/>).
/// </summary>
internal static class DuplicateWindow
{
    /// <summary>
    /// The range of a conversion's key: every time for a key without a window; otherwise strictly less than the window
    /// before or after <paramref name="receivedAt"/>. It reaches both ways, so a replay stamped with its original, earlier
    /// receive time still finds the retry accepted after it; and only stored conversions count, never duplicates, so the
    /// window is measured from the first occurrence.
    /// </summary>
    public static ReceivedRange Of(IdempotencyKey key, DateTimeOffset receivedAt)
    {
        if (key.Window is not { } window)
        {
            return ReceivedRange.Always;
        }

        // A bound beyond the calendar is no bound.
        DateTimeOffset? after = receivedAt - DateTimeOffset.MinValue >= window ? receivedAt - window : null;
        DateTimeOffset? before = DateTimeOffset.MaxValue - receivedAt >= window ? receivedAt + window : null;
        return new ReceivedRange(after, before);
    }
}
