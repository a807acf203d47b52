using System.Buffers;
using System.Net.Http.Headers;
using System.Text;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Chatterfy.Postbacks.Forwarding.Http;

/// <summary>What one HTTP call to a destination produced: an answer (status, capped body, hints) or a failure outcome.</summary>
internal sealed class HttpCallResult
{
    public DeliveryOutcome? Failure { get; init; }

    public int StatusCode { get; init; }

    public string Body { get; init; } = "";

    public TimeSpan? RetryAfter { get; init; }

    public TimeSpan Duration { get; init; }

    public HttpResponseHeaders? Headers { get; init; }

    public bool IsSuccess => Failure is null && StatusCode is >= 200 and < 300;
}

/// <summary>Sends a request through a forwarding client and turns exceptions into outcomes; bodies are read up to a cap.</summary>
internal static class DestinationHttp
{
    internal const int DefaultMaxResponseBodyBytes = 64 * 1024;

    public static async Task<HttpCallResult> SendAsync(
        HttpClient client, HttpRequestMessage request, TimeProvider timeProvider, int maxBodyBytes, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            var body = await ReadBodyAsync(response.Content, maxBodyBytes, cancellationToken).ConfigureAwait(false);
            return new HttpCallResult
            {
                StatusCode = (int)response.StatusCode,
                Body = body,
                RetryAfter = GetRetryAfter(response.Headers.RetryAfter, timeProvider.GetUtcNow()),
                Duration = timeProvider.GetElapsedTime(started),
                Headers = response.Headers,
            };
        }
        catch (Exception ex) when (Classify(ex, cancellationToken) is { } failure)
        {
            return new HttpCallResult { Failure = failure with { Duration = timeProvider.GetElapsedTime(started) }, Duration = timeProvider.GetElapsedTime(started) };
        }
    }

    /// <summary>Turns a failed call into an outcome; <see langword="null"/> for the caller's own cancellation, which must propagate.</summary>
    internal static DeliveryOutcome? Classify(Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is OutboundRequestRefusedException refused)
            {
                return DeliveryOutcome.DeadLetter(refused.ErrorCode, refused.Message);
            }
        }

        return exception switch
        {
            BrokenCircuitException broken => DeliveryOutcome.Retry(
                DeliveryErrorCodes.CircuitOpen,
                "The destination host failed repeatedly, so its circuit is open and no request was made.",
                broken.RetryAfter),
            TimeoutRejectedException or OperationCanceledException => DeliveryOutcome.Retry(DeliveryErrorCodes.Timeout, "The destination did not answer in time."),
            HttpRequestException http => DeliveryOutcome.Retry(DeliveryErrorCodes.NetworkError, "The request failed: " + Describe(http)),
            IOException io => DeliveryOutcome.Retry(DeliveryErrorCodes.NetworkError, "The connection failed: " + io.Message),
            _ => null,
        };
    }

    internal static TimeSpan? GetRetryAfter(RetryConditionHeaderValue? header, DateTimeOffset now)
    {
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - now;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    private static string Describe(HttpRequestException exception)
    {
        var message = exception.Message;
        if (exception.InnerException is { } inner && !string.IsNullOrEmpty(inner.Message) && !message.Contains(inner.Message, StringComparison.Ordinal))
        {
            message += " (" + inner.Message + ")";
        }

        return message;
    }

    private static async Task<string> ReadBodyAsync(HttpContent content, int maxBytes, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(maxBytes);
        try
        {
            var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var length = 0;
                while (length < maxBytes)
                {
                    var read = await stream.ReadAsync(buffer.AsMemory(length, maxBytes - length), cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }

                    length += read;
                }

                // The rest of an oversized answer is dropped with the connection rather than read.
                return Encoding.UTF8.GetString(buffer, 0, length);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
