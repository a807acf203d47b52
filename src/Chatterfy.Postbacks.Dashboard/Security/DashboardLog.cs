using Microsoft.Extensions.Logging;

namespace Chatterfy.Postbacks.Dashboard.Security;

/// <summary>The dashboard's log messages.</summary>
internal static partial class DashboardLog
{
    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning,
        Message = "The Chatterfy dashboard at {Prefix} has no authorization requirement: it answers loopback requests only. Map it with .RequireAuthorization(…) to protect it and open it to others.")]
    public static partial void NoAuthorization(ILogger logger, string prefix);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Warning,
        Message = "Refused a dashboard request from {RemoteAddress}: the dashboard has no authorization requirement, so it answers loopback requests only.")]
    public static partial void RemoteRequestRefused(ILogger logger, string remoteAddress);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Warning, Message = "Refused a dashboard {Method} {Path}: its antiforgery token is missing or invalid.")]
    public static partial void AntiforgeryRefused(ILogger logger, string method, string path);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Warning, Message = "Dashboard sign-in refused from {RemoteAddress}: the key is not one of the API-key scheme's keys.")]
    public static partial void SignInRefused(ILogger logger, string remoteAddress);

    [LoggerMessage(EventId = 7005, Level = LogLevel.Information, Message = "Dashboard sign-in from {RemoteAddress}.")]
    public static partial void SignedIn(ILogger logger, string remoteAddress);

    [LoggerMessage(EventId = 7020, Level = LogLevel.Information, Message = "Refused a dashboard {Method} {Path}: the form is over its size limit.")]
    public static partial void FormTooLarge(ILogger logger, string method, string path);

    [LoggerMessage(EventId = 7050, Level = LogLevel.Warning, Message = "Dashboard {Method} {Path} answered 503: {Reason}")]
    public static partial void StoreUnavailable(ILogger logger, string method, string path, string reason);
}
