using Microsoft.Extensions.Logging;

namespace Chatterfy.Postbacks.PostgreSql;

/// <summary>The PostgreSQL store's log messages (event ids 5001–5099).</summary>
internal static partial class PostgreSqlLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Applied PostgreSQL postback store migration {Version} to schema {Schema}")]
    public static partial void MigrationApplied(ILogger logger, int version, string schema);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Debug, Message = "PostgreSQL postback store schema {Schema} is at version {Version}")]
    public static partial void SchemaCurrent(ILogger logger, string schema, int version);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Error, Message = "The PostgreSQL postback store could not be reached during {Operation}; the caller is told to retry later ({Failures} failed operations since the last report)")]
    public static partial void Unavailable(ILogger logger, string operation, long failures, Exception exception);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Debug, Message = "Skipped {Skipped} of {Count} outbox completions: their message no longer holds the lease (it expired and was taken over) or is no longer pending")]
    public static partial void OutboxCompletionsSkipped(ILogger logger, int skipped, int count);
}
