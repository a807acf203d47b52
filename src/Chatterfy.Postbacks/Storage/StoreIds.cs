namespace Chatterfy.Postbacks.Storage;

/// <summary>Mints the opaque ids of sets, conversions and log entries.</summary>
internal static class StoreIds
{
    // Version 7 GUIDs sort by creation time, which keeps database indexes append-only and log paging cheap.
    public static string New(TimeProvider timeProvider) => Guid.CreateVersion7(timeProvider.GetUtcNow()).ToString("N");
}
