using Microsoft.Extensions.Logging;

namespace Chatterfy.Postbacks.AspNetCore.Diagnostics;

/// <summary>
/// The package's source-generated logs. Client mistakes are Debug; a store outage is a Warning (the caller retries), once
/// per interval with a count (<see cref="StoreOutageLog"/>). No line shows a postback's path: it holds the set's token.
/// </summary>
internal static partial class Log
{
    public const string CategoryName = "Chatterfy.Postbacks.AspNetCore";

    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "Postback body over {Limit} bytes refused with 413")]
    public static partial void BodyTooLarge(ILogger logger, int limit);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "The postback store is unavailable: {Refused} requests to the {Endpoint} answered 503 with Retry-After {RetryAfterSeconds} s since the last report; the store said: {Reason}")]
    public static partial void StoreUnavailable(ILogger logger, long refused, string endpoint, int retryAfterSeconds, string reason);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Debug, Message = "Tracker API request to {Path} refused: {Reason}")]
    public static partial void TrackerRequestInvalid(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "Replayed postback log entry {LogEntryId} of set {SetId}: {Outcome}")]
    public static partial void Replayed(ILogger logger, string logEntryId, string? setId, Chatterfy.Postbacks.Storage.PostbackOutcome outcome);
}
