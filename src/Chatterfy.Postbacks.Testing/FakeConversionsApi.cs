using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Chatterfy.Postbacks.Testing;

/// <summary>
/// A stand-in for the Facebook Conversions API on 127.0.0.1, for integration tests and demos of forwarding: it takes
/// <c>POST /{version}/{pixelId}/events</c> like the Graph API, de-duplicates events by pixel, event name and
/// <c>event_id</c> as Meta does, answers <c>{"events_received":n}</c>, and can be told to fail. Point a
/// <c>facebook-capi</c> rule's <c>graphBaseUrl</c> at <see cref="BaseUrl"/> (with forwarding's <c>AllowHttp</c> and
/// <c>AllowPrivateNetworks</c> options on).
/// </summary>
/// <remarks>Thread-safe. Dispose of it to stop the server.</remarks>
public sealed class FakeConversionsApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<(string Pixel, string Name, string Id), FakeConversionsEvent> _accepted = new();
    private readonly ConcurrentQueue<FakeConversionsEvent> _acceptedInOrder = new();
    private int _requestCount;
    private int _eventsSent;
    private volatile int _failureStatus;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private FakeConversionsApi(WebApplication app) => _app = app;

    /// <summary>Gets the base URL to use as the rule's <c>graphBaseUrl</c>, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>Gets the accepted events, first occurrence of each, in the order they arrived.</summary>
    public IReadOnlyList<FakeConversionsEvent> Events => [.. _acceptedInOrder];

    /// <summary>Gets how many calls were made, failed ones included.</summary>
    public int RequestCount => Volatile.Read(ref _requestCount);

    /// <summary>Gets how many events were sent in calls that were answered 200, duplicates included.</summary>
    public int EventsSent => Volatile.Read(ref _eventsSent);

    /// <summary>Starts a fake on 127.0.0.1.</summary>
    /// <param name="port">The port; 0 for one the operating system picks.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running fake.</returns>
    public static async Task<FakeConversionsApi> StartAsync(int port = 0, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var fake = new FakeConversionsApi(app);
        app.MapPost("/{version}/{pixelId}/events", fake.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        fake.BaseUrl = app.Urls.First().Replace("localhost", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
        return fake;
    }

    /// <summary>Makes every following call fail with <paramref name="statusCode"/> and a Graph error (transient for 5xx), accepting nothing.</summary>
    /// <param name="statusCode">An HTTP status from 400 to 599, e.g. 503.</param>
    public void FailWith(int statusCode)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 400);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 599);
        _failureStatus = statusCode;
    }

    /// <summary>Makes following calls succeed again.</summary>
    public void Recover() => _failureStatus = 0;

    /// <summary>Waits until at least <paramref name="count"/> distinct events were accepted.</summary>
    /// <param name="count">The number of distinct events to wait for.</param>
    /// <param name="timeout">The longest wait.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns><see langword="true"/> when they arrived; <see langword="false"/> after <paramref name="timeout"/>.</returns>
    public async Task<bool> WaitForEventsAsync(int count, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            var changed = Volatile.Read(ref _changed).Task;
            if (_accepted.Count >= count)
            {
                return true;
            }

            try
            {
                await changed.WaitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return _accepted.Count >= count;
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private async Task<IResult> HandleAsync(string version, string pixelId, HttpRequest request)
    {
        Interlocked.Increment(ref _requestCount);
        var failure = _failureStatus;
        if (failure != 0)
        {
            return Results.Json(
                new { error = new { message = "Simulated failure", type = "OAuthException", code = failure >= 500 ? 2 : 100, is_transient = failure >= 500, fbtrace_id = "FakeTrace" } },
                statusCode: failure);
        }

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return Results.Json(new { error = new { message = "Invalid JSON", type = "OAuthException", code = 100, fbtrace_id = "FakeTrace" } }, statusCode: 400);
        }

        using (document)
        {
            if (!document.RootElement.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
            {
                return Results.Json(new { error = new { message = "The parameter data is required", type = "OAuthException", code = 100, fbtrace_id = "FakeTrace" } }, statusCode: 400);
            }

            var received = 0;
            foreach (var item in data.EnumerateArray())
            {
                received++;
                var accepted = Read(version, pixelId, item.Clone());
                if (_accepted.TryAdd((accepted.PixelId, accepted.EventName, accepted.EventId), accepted))
                {
                    _acceptedInOrder.Enqueue(accepted);
                }
            }

            Interlocked.Add(ref _eventsSent, received);
            Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            return Results.Json(new { events_received = received, messages = Array.Empty<string>(), fbtrace_id = "FakeTrace" });
        }
    }

    private static FakeConversionsEvent Read(string version, string pixelId, JsonElement item)
    {
        decimal? value = null;
        string? currency = null;
        if (item.TryGetProperty("custom_data", out var custom) && custom.ValueKind == JsonValueKind.Object)
        {
            if (custom.TryGetProperty("value", out var v))
            {
                value = v.ValueKind == JsonValueKind.Number ? v.GetDecimal() : decimal.Parse(v.GetString() ?? "0", CultureInfo.InvariantCulture);
            }

            currency = custom.TryGetProperty("currency", out var c) ? c.GetString() : null;
        }

        return new FakeConversionsEvent
        {
            PixelId = pixelId,
            ApiVersion = version,
            EventName = item.TryGetProperty("event_name", out var name) ? name.GetString() ?? "" : "",
            EventId = item.TryGetProperty("event_id", out var id) ? id.GetString() ?? "" : "",
            EventTime = item.TryGetProperty("event_time", out var time) && time.ValueKind == JsonValueKind.Number ? time.GetInt64() : 0,
            ActionSource = item.TryGetProperty("action_source", out var source) ? source.GetString() : null,
            Value = value,
            Currency = currency,
            Json = item,
        };
    }
}
