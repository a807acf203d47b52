using Microsoft.Extensions.Logging;

namespace Chatterfy.Postbacks.Forwarding;

/// <summary>Forwarding logs; event ids 4000–4099.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "Destination {DestinationId} refused a batch of {Count} events permanently (code {Code}); splitting it to isolate the bad event")]
    public static partial void SplittingBatch(ILogger logger, string destinationId, int count, string? code);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Destination {DestinationId} refused {Count} event(s) permanently: {ErrorCode} (code {Code}, subcode {Subcode}, trace {TraceId})")]
    public static partial void DeadLettered(ILogger logger, string destinationId, int count, string errorCode, string? code, string? subcode, string? traceId);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Destination {DestinationId} failed transiently for {Count} event(s): {ErrorCode}; they will be retried")]
    public static partial void WillRetry(ILogger logger, string destinationId, int count, string errorCode);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Destination {DestinationId}: an outbound request was refused by the policy: {Reason}")]
    public static partial void RequestRefused(ILogger logger, string destinationId, string reason);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "Destination {DestinationId}: {Count} event(s) were not sent: {ErrorCode}")]
    public static partial void NotSent(ILogger logger, string destinationId, int count, string errorCode);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Debug, Message = "Destination {DestinationId}: {HttpMethod} to {Host} answered {StatusCode} in {ElapsedMs} ms")]
    public static partial void CallAnswered(ILogger logger, string destinationId, string httpMethod, string? host, int statusCode, double elapsedMs);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Debug, Message = "Destination {DestinationId}: {HttpMethod} to {Host} failed after {ElapsedMs} ms ({ExceptionType})")]
    public static partial void CallFailed(ILogger logger, string destinationId, string httpMethod, string? host, string exceptionType, double elapsedMs);
}
