namespace Chatterfy.Postbacks.Sqlite;

/// <summary>
/// How hard SQLite syncs the write-ahead log to disk on commit (<c>PRAGMA synchronous</c>). The store never offers
/// <c>OFF</c>: an acknowledged postback must survive a crash of the process.
/// </summary>
public enum SqliteSynchronousMode
{
    /// <summary>
    /// <c>FULL</c>, the default: every commit is synced to disk before the write completes, so an acknowledged conversion
    /// survives a power loss or an operating system crash. With group commit this costs one sync per batch, not per postback.
    /// </summary>
    Full,

    /// <summary>
    /// <c>NORMAL</c>: commits survive a crash of the process, but the last ones before a power loss or an operating system
    /// crash may be lost (they are synced at the next checkpoint). Faster on slow disks; a postback acknowledged with 200 in
    /// that short window would then be gone, and the network would not retry it.
    /// </summary>
    Normal,

    /// <summary>
    /// <c>EXTRA</c>: SQLite's strictest setting, <see cref="Full"/> plus extra directory syncs. Those matter mostly for
    /// rollback journals, so with the write-ahead log this store uses it adds little over <see cref="Full"/>.
    /// </summary>
    Extra,
}
