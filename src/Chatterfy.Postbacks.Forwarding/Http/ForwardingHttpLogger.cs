using Microsoft.Extensions.Http.Logging;
using Microsoft.Extensions.Logging;

namespace Chatterfy.Postbacks.Forwarding.Http;

/// <summary>
/// The only logger of forwarding clients, in place of the HTTP client factory's own, which prints every request's full URL
/// (a postback path can be a key, a query carries the conversion): one Debug line per call with the destination id, the
/// method, the host and the status or the failure's type, never the path or query.
/// </summary>
internal sealed class ForwardingHttpLogger(string destinationId, ILogger<ForwardingHttpLogger> logger) : IHttpClientLogger
{
    public object? LogRequestStart(HttpRequestMessage request) => null;

    public void LogRequestStop(object? context, HttpRequestMessage request, HttpResponseMessage response, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(response);
        Log.CallAnswered(logger, destinationId, request.Method.Method, request.RequestUri?.Host, (int)response.StatusCode, elapsed.TotalMilliseconds);
    }

    public void LogRequestFailed(object? context, HttpRequestMessage request, HttpResponseMessage? response, Exception exception, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(exception);
        if (logger.IsEnabled(LogLevel.Debug))
        {
            // The type only: the message of a connection failure can hold the destination's address, never the exception's stack.
            var failure = exception.GetType().Name;
            Log.CallFailed(logger, destinationId, request.Method.Method, request.RequestUri?.Host, failure, elapsed.TotalMilliseconds);
        }
    }
}
