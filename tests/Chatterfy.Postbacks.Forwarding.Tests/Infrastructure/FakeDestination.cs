using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Chatterfy.Postbacks.Forwarding.Tests.Infrastructure;

/// <summary>A request a fake destination received.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, string? ContentType, string Body, IReadOnlyDictionary<string, string> Headers);

/// <summary>An answer a fake destination gives.</summary>
public sealed record FakeAnswer(int Status, string Body = "", IReadOnlyDictionary<string, string>? Headers = null)
{
    public static FakeAnswer Ok(string body = "") => new(200, body);
}

/// <summary>
/// A minimal Kestrel app on 127.0.0.1 (port chosen by the OS) that records every request and answers from a script: queued
/// answers first, then a responder.
/// </summary>
public sealed class FakeDestination : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<FakeAnswer> _script = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private FakeDestination(WebApplication app, Func<RecordedRequest, FakeAnswer> responder)
    {
        _app = app;
        Responder = responder;
    }

    public Func<RecordedRequest, FakeAnswer> Responder { get; set; }

    public string BaseUrl { get; private set; } = "";

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public static async Task<FakeDestination> StartAsync(Func<RecordedRequest, FakeAnswer>? responder = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var fake = new FakeDestination(app, responder ?? (_ => FakeAnswer.Ok()));
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        fake.BaseUrl = app.Urls.Single().Replace("localhost", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
        return fake;
    }

    /// <summary>Queues answers given, in order, before the responder takes over.</summary>
    public void Answer(params FakeAnswer[] answers)
    {
        foreach (var answer in answers)
        {
            _script.Enqueue(answer);
        }
    }

    /// <summary>Waits, at most <paramref name="timeout"/> of real time, until at least <paramref name="count"/> requests arrived.</summary>
    public async Task WaitForRequestsAsync(int count, TimeSpan timeout)
    {
        using var expired = new CancellationTokenSource(timeout);
        while (true)
        {
            var arrived = Volatile.Read(ref _arrived).Task;
            if (_requests.Count >= count)
            {
                return;
            }

            await arrived.WaitAsync(expired.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var request = new RecordedRequest(
            context.Request.Method,
            context.Request.Path.Value ?? "",
            context.Request.QueryString.Value ?? "",
            context.Request.ContentType,
            body,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase));
        _requests.Enqueue(request);
        Interlocked.Exchange(ref _arrived, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        var answer = _script.TryDequeue(out var scripted) ? scripted : Responder(request);
        context.Response.StatusCode = answer.Status;
        foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        if (answer.Body.Length > 0)
        {
            context.Response.ContentType = answer.Body.StartsWith('{') ? "application/json" : "text/plain";
            await context.Response.WriteAsync(answer.Body);
        }
    }
}
