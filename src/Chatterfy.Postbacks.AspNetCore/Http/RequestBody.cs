using Chatterfy.Postbacks.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Chatterfy.Postbacks.AspNetCore.Http;

/// <summary>
/// The one place where the package's endpoints read a request body (the receiver's text, the tracker API's JSON): a body
/// the client broke is the client's mistake, so it is answered 4xx and logged once at Debug without a stack trace,
/// never 500 and never an error-level "unhandled exception".
/// </summary>
/// <remarks>
/// Client failures are what the body stream throws: framing the server cannot parse (a chunk size that overflows is an
/// <see cref="IOException"/>, other framing errors and the server's own limits are a <see cref="BadHttpRequestException"/>
/// with its 400, 408 or 413), a body a middleware cannot decode (<see cref="InvalidDataException"/>), and a client that went
/// away mid-body (a reset or aborted connection, or <see cref="HttpContext.RequestAborted"/> signalled), answered 499.
/// </remarks>
internal static class RequestBody
{
    /// <summary>Runs <paramref name="read"/> on the request body; a client failure becomes the problem to answer.</summary>
    public static async ValueTask<(T? Value, ProblemHttpResult? Problem)> ReadAsync<TState, T>(
        HttpContext context,
        TState state,
        Func<TState, Stream, CancellationToken, ValueTask<T>> read)
    {
        try
        {
            // No cancellation token: a client that goes away fails the read itself, and a read cancelled half-way would
            // leave the server's body reader mid-read for its own drain after the answer.
            return (await read(state, context.Request.Body, CancellationToken.None).ConfigureAwait(false), null);
        }
        catch (Exception ex) when (StatusOf(ex, context) is { } status)
        {
            var logger = context.RequestServices.GetService<ILoggerFactory>()?.CreateLogger(Log.CategoryName) ?? NullLogger.Instance;

            // The route pattern, not the path: a receiver path carries the set's secret token.
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "";
            var failure = ex.GetType().Name;
            Log.RequestBodyUnreadable(logger, context.Request.Method, route, failure, ex.Message, status);
            if (status == StatusCodes.Status499ClientClosedRequest)
            {
                // The connection is gone: abort it, so that the server does not try to drain a body from it.
                context.Abort();
            }

            return (default, Problems.BodyUnreadable(status));
        }
    }

    /// <summary>The status to answer when <paramref name="exception"/> is the client's failure; otherwise <see langword="null"/>.</summary>
    private static int? StatusOf(Exception exception, HttpContext context) => exception switch
    {
        BadHttpRequestException bad => bad.StatusCode,
        ConnectionResetException or ConnectionAbortedException => StatusCodes.Status499ClientClosedRequest,
        OperationCanceledException when context.RequestAborted.IsCancellationRequested => StatusCodes.Status499ClientClosedRequest,
        IOException or InvalidDataException => StatusCodes.Status400BadRequest,
        _ => null,
    };
}
