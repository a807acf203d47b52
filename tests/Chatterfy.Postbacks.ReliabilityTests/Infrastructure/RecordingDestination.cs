using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Chatterfy.Postbacks.ReliabilityTests.Infrastructure;

/// <summary>One request a <see cref="RecordingDestination"/> received.</summary>
/// <param name="Number">Its number, from 1, in the order of arrival.</param>
/// <param name="Path">The request path.</param>
/// <param name="Query">The query string, with its <c>?</c>.</param>
/// <param name="ArrivedAt">When it arrived (<see cref="Stopwatch.GetTimestamp"/>).</param>
/// <param name="GaveUpAt">When the caller gave up on a request that was held (<see cref="Stopwatch.GetTimestamp"/>), or <see langword="null"/>.</param>
internal sealed record ReceivedRequest(int Number, string Path, string Query, long ArrivedAt, long? GaveUpAt);

/// <summary>
/// A destination for the forwarding scenarios: a Kestrel app on 127.0.0.1 that records when each request arrived and
/// answers 200 with <c>{"events_received":1}</c> at once, or, for the requests the scenario picks, holds them unanswered
/// until the caller gives up (at most <see cref="MaxHold"/>), recording when it did.
/// </summary>
internal sealed class RecordingDestination : IAsyncDisposable
{
    /// <summary>The longest a held request is held; it is then answered 503.</summary>
    public static readonly TimeSpan MaxHold = TimeSpan.FromMinutes(2);

    private readonly WebApplication _app;
    private readonly Func<int, bool> _hold;
    private readonly Lock _lock = new();
    private readonly List<ReceivedRequest> _requests = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private RecordingDestination(WebApplication app, Func<int, bool> hold)
    {
        _app = app;
        _hold = hold;
    }

    public string BaseUrl { get; private set; } = "";

    public IReadOnlyList<ReceivedRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Starts a destination that holds request <c>n</c> (numbered from 1) when <paramref name="hold"/> says so.</summary>
    public static async Task<RecordingDestination> StartAsync(Func<int, bool> hold, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var destination = new RecordingDestination(app, hold);
        app.Run(destination.HandleAsync);
        await app.StartAsync(cancellationToken);
        destination.BaseUrl = app.Urls.Single().Replace("localhost", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
        return destination;
    }

    /// <summary>Waits until <paramref name="condition"/> holds for the requests so far, at most <paramref name="timeout"/>.</summary>
    /// <returns>Whether it held in time.</returns>
    public async Task<bool> WaitForAsync(Func<IReadOnlyList<ReceivedRequest>, bool> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (condition(_requests))
                {
                    return true;
                }

                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                lock (_lock)
                {
                    return condition(_requests);
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        int number;
        lock (_lock)
        {
            number = _requests.Count + 1;
            _requests.Add(new ReceivedRequest(number, context.Request.Path.Value ?? "", context.Request.QueryString.Value ?? "", Stopwatch.GetTimestamp(), null));
            Changed();
        }

        if (_hold(number))
        {
            try
            {
                await Task.Delay(MaxHold, context.RequestAborted);
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
            }
            catch (OperationCanceledException)
            {
                lock (_lock)
                {
                    _requests[number - 1] = _requests[number - 1] with { GaveUpAt = Stopwatch.GetTimestamp() };
                    Changed();
                }

                return;
            }
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync("""{"events_received":1}""");
    }

    private void Changed()
    {
        _changed.TrySetResult();
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
