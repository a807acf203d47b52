using Microsoft.Extensions.Logging;

namespace Chatterfy.Postbacks.Sqlite;

/// <summary>The SQLite store's log messages (event ids 4001–4099).</summary>
internal static partial class SqliteLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Applied SQLite schema migration {Version} ({Description}) to {DataSource}")]
    public static partial void MigrationApplied(ILogger logger, int version, string description, string dataSource);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Debug, Message = "SQLite postback store {DataSource} is at schema version {Version}")]
    public static partial void SchemaUpToDate(ILogger logger, string dataSource, int version);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Error, Message = "The SQLite postback store {DataSource} could not be opened")]
    public static partial void InitializationFailed(ILogger logger, string dataSource, Exception exception);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Debug, Message = "Committed {Count} postback store writes in one transaction in {ElapsedMilliseconds} ms")]
    public static partial void BatchCommitted(ILogger logger, int count, double elapsedMilliseconds);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Error, Message = "{Failures} postback store transactions failed since the last report; the latest, of {Count} writes, failed after {ElapsedMilliseconds} ms: nothing of it was committed and its writes, and those queued behind it, were answered as unavailable")]
    public static partial void BatchFailed(ILogger logger, long failures, int count, double elapsedMilliseconds, Exception exception);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Warning, Message = "The postback store's write queue is full ({Capacity} writes waiting); a write was refused")]
    public static partial void QueueFull(ILogger logger, int capacity);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Debug, Message = "SQLite postback store {DataSource} stopped after committing the writes it had queued")]
    public static partial void Stopped(ILogger logger, string dataSource);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Warning, Message = "Checkpointing the write-ahead log of {DataSource} at shutdown failed; SQLite will do it on the next start")]
    public static partial void CheckpointFailed(ILogger logger, string dataSource, Exception exception);

    [LoggerMessage(EventId = 4009, Level = LogLevel.Error, Message = "The SQLite postback store could not read {DataSource} ({Failures} failed reads since the last report)")]
    public static partial void ReadFailed(ILogger logger, string dataSource, long failures, Exception exception);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Information, Message = "Writes to {DataSource} succeed again after {Failures} failed transactions")]
    public static partial void WritesRecovered(ILogger logger, string dataSource, long failures);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Critical, Message = "The SQLite postback store's database file {DataSource} is no longer the file it opened: {Change}. Nothing more is written or read there (postbacks are answered 503) until the host restarts. Everything committed so far was saved to {RescuedTo}: stop the host, put the database you want at {DataSource} (without -wal and -shm files beside it) and start it again")]
    public static partial void DatabaseFileLost(ILogger logger, string dataSource, string change, string rescuedTo);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Critical, Message = "The SQLite postback store's database file {DataSource} is no longer the file it opened: {Change}. Nothing more is written or read there (postbacks are answered 503) until the host restarts. Saving what was committed to {RescuePath} failed; while this process runs, the opened file can still be copied from {OpenFile}. Then stop the host, put the database you want at {DataSource} (without -wal and -shm files beside it) and start it again")]
    public static partial void DatabaseFileLostNotSaved(ILogger logger, string dataSource, string change, string rescuePath, string openFile, Exception? exception);

    [LoggerMessage(EventId = 4013, Level = LogLevel.Warning, Message = "Created a new, empty postback database at {DataSource}. If a database was expected there, stop the host and put it back: postback URLs of the sets it held answer 404 meanwhile. Set Postbacks:Sqlite:CreateIfMissing to false to refuse to start instead")]
    public static partial void DatabaseCreated(ILogger logger, string dataSource);
}
