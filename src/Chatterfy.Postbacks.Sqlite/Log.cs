using Microsoft.Extensions.Logging;

namespace Chatterfy.Postbacks.Sqlite;

/// <summary>The SQLite store's log messages (event ids 3001–3099).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Applied SQLite schema migration {Version} ({Description}) to {DataSource}")]
    public static partial void MigrationApplied(ILogger logger, int version, string description, string dataSource);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Debug, Message = "SQLite postback store {DataSource} is at schema version {Version}")]
    public static partial void SchemaUpToDate(ILogger logger, string dataSource, int version);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Error, Message = "The SQLite postback store {DataSource} could not be opened")]
    public static partial void InitializationFailed(ILogger logger, string dataSource, Exception exception);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Debug, Message = "Committed {Count} postback store writes in one transaction in {ElapsedMilliseconds} ms")]
    public static partial void BatchCommitted(ILogger logger, int count, double elapsedMilliseconds);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Error, Message = "A transaction of {Count} postback store writes failed after {ElapsedMilliseconds} ms; nothing was committed and the writes were answered as unavailable")]
    public static partial void BatchFailed(ILogger logger, int count, double elapsedMilliseconds, Exception exception);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "The postback store's write queue is full ({Capacity} writes waiting); a write was refused")]
    public static partial void QueueFull(ILogger logger, int capacity);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Debug, Message = "SQLite postback store {DataSource} stopped after committing the writes it had queued")]
    public static partial void Stopped(ILogger logger, string dataSource);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Warning, Message = "Checkpointing the write-ahead log of {DataSource} at shutdown failed; SQLite will do it on the next start")]
    public static partial void CheckpointFailed(ILogger logger, string dataSource, Exception exception);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Error, Message = "The SQLite postback store could not read {DataSource}")]
    public static partial void ReadFailed(ILogger logger, string dataSource, Exception exception);
}
