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

    [LoggerMessage(EventId = 3005, Level = LogLevel.Debug, Message = "Request body of {Method} {Route} could not be read ({ExceptionType}: {Reason}); answered {StatusCode}")]
    public static partial void RequestBodyUnreadable(ILogger logger, string method, string route, string exceptionType, string reason, int statusCode);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Information, Message = "Click redirect for campaign {CampaignId}: the tracker fields {Fields} rendered empty to keep Location within {Limit} characters")]
    public static partial void DestinationFieldsOmitted(ILogger logger, string campaignId, IReadOnlyList<string> fields, int limit);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Warning, Message = "Click redirect for campaign {CampaignId}: its destination has macros in its host, saved before they were refused; they render empty. Replace the destination with PUT")]
    public static partial void DestinationHostMacrosOmitted(ILogger logger, string campaignId);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Warning, Message = "Click redirect for campaign {CampaignId} answered 404 and stored no click: its destination, saved before today's checks, does not render to a URL. Replace the destination with PUT")]
    public static partial void DestinationNotRenderable(ILogger logger, string campaignId);
}
