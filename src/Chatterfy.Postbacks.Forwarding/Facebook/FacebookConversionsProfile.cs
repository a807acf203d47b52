using System.Buffers;
using System.Collections.Frozen;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Chatterfy.Postbacks.Forwarding.Http;
using Chatterfy.Postbacks.Ingestion;
using Microsoft.Extensions.Logging;

namespace Chatterfy.Postbacks.Forwarding.Facebook;

/// <summary>One <c>facebook-capi</c> rule: builds events, batches them per pixel, and applies Meta's error rules.</summary>
internal sealed class FacebookConversionsProfile : DestinationProfile
{
    /// <summary>The most events the Conversions API takes in one call.</summary>
    internal const int MaxEventsPerCall = 1000;

    /// <summary>
    /// The most calls one delivery may make while splitting failed batches to isolate bad events: enough for a few bad
    /// events among 1,000 (about 2 × log2(1000) calls each), bounded so a batch of bad events cannot flood the API.
    /// </summary>
    internal const int MaxCallsPerDelivery = 64;

    /// <summary>How old an event may be; Meta refuses the whole call when one event is older.</summary>
    internal static readonly TimeSpan MaxEventAge = TimeSpan.FromDays(7);

    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json") { CharSet = "utf-8" };

    private readonly Configuration _configuration;
    private readonly Uri _eventsUrl;
    private readonly TimeProvider _timeProvider;
    private readonly int _maxBodyBytes;
    private readonly ILogger _logger;

    public FacebookConversionsProfile(Configuration configuration, TimeProvider timeProvider, int maxBodyBytes, ILogger logger)
    {
        _configuration = configuration;
        _timeProvider = timeProvider;
        _maxBodyBytes = maxBodyBytes;
        _logger = logger;
        _eventsUrl = new Uri($"{configuration.BaseUrl.AbsoluteUri.TrimEnd('/')}/{configuration.ApiVersion}/{configuration.PixelId}/events");
        Endpoints = [new DestinationEndpoint("settings.graphBaseUrl", configuration.BaseUrl)];
        BatchKey = configuration.PixelId + ":" + configuration.Fingerprint();
    }

    public override int MaxBatchSize => MaxEventsPerCall;

    public override string BatchKey { get; }

    public override IReadOnlyList<DestinationEndpoint> Endpoints { get; }

    public override bool Forwards(PostbackEvent conversionEvent) => _configuration.Events.ContainsKey(conversionEvent.Name);

    // The Conversions API has no event for a reversal: a rejection or chargeback would arrive as a new purchase.
    public override bool ForwardsStatus(ConversionStatus status) => status is ConversionStatus.Approved or ConversionStatus.Pending;

    public override async ValueTask<IReadOnlyList<DeliveryOutcome>> SendAsync(
        IReadOnlyList<ForwardedConversion> batch, HttpClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(client);
        var outcomes = new DeliveryOutcome[batch.Count];
        var now = _timeProvider.GetUtcNow();
        var pending = new List<PendingEvent>(batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            var item = batch[i];
            var conversion = item.Conversion.Conversion;
            if (!_configuration.Events.TryGetValue(conversion.Event.Name, out var eventName))
            {
                outcomes[i] = DeliveryOutcome.DeadLetter(
                    DeliveryErrorCodes.EventNotForwarded, $"The rule maps no Meta event for '{conversion.Event.Name}', so the conversion was not sent.");
                continue;
            }

            if (!ForwardsStatus(item.Status))
            {
                // A rule stored before its statuses were checked at creation.
                outcomes[i] = DeliveryOutcome.DeadLetter(
                    DeliveryErrorCodes.EventNotForwarded,
                    $"The Conversions API has no event for a {ConversionStatusNames.Name(item.Status)} conversion, so it was not sent as '{eventName}'.");
                continue;
            }

            // The event's time is when the forwarded status took effect (a later approval: the approval's time).
            if (now - item.StatusAt > MaxEventAge)
            {
                var what = item.Change is null ? "The conversion was received" : $"Its {ConversionStatusNames.Name(item.Status)} status was received";
                outcomes[i] = DeliveryOutcome.DeadLetter(
                    DeliveryErrorCodes.EventTooOld,
                    string.Create(CultureInfo.InvariantCulture, $"{what} at {item.StatusAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z, ") +
                    "more than 7 days ago; the Conversions API refuses such events (and the whole call with them), so it was not sent.");
                continue;
            }

            var payload = FacebookEventWriter.Write(item, eventName, now, _configuration.ActionSource);
            if (payload is null)
            {
                outcomes[i] = DeliveryOutcome.DeadLetter(
                    DeliveryErrorCodes.MissingUserData,
                    "The conversion has no click data to match a person on (no click id cookie, browser id, IP address, user agent or subject id), " +
                    "which the Conversions API requires, so it was not sent.");
                continue;
            }

            pending.Add(new PendingEvent(i, payload));
        }

        LogNotSent(outcomes);
        var budget = new CallBudget(MaxCallsPerDelivery);
        for (var start = 0; start < pending.Count; start += MaxEventsPerCall)
        {
            var chunk = pending.GetRange(start, Math.Min(MaxEventsPerCall, pending.Count - start));
            await SendChunkAsync(chunk, outcomes, budget, client, cancellationToken).ConfigureAwait(false);
        }

        return outcomes;
    }

    // One line per reason, not per event: a backlog of a thousand stale events is one warning.
    private void LogNotSent(DeliveryOutcome?[] outcomes)
    {
        if (!_logger.IsEnabled(LogLevel.Warning))
        {
            return;
        }

        foreach (var group in outcomes.Where(o => o is not null).GroupBy(o => o!.ErrorCode!, StringComparer.Ordinal))
        {
            Log.NotSent(_logger, FacebookConversionsDestination.DestinationId, group.Count(), group.Key);
        }
    }

    private async Task SendChunkAsync(
        List<PendingEvent> chunk, DeliveryOutcome[] outcomes, CallBudget budget, HttpClient client, CancellationToken cancellationToken)
    {
        if (budget.Remaining == 0)
        {
            Assign(chunk, outcomes, DeliveryOutcome.Retry(
                DeliveryErrorCodes.IsolationDeferred,
                "A batch with this event was refused, and isolating the refused event needed more calls than one delivery may make; it will be retried in a later batch."));
            return;
        }

        budget.Remaining--;
        using var request = new HttpRequestMessage(HttpMethod.Post, _eventsUrl) { Content = CreateContent(chunk) };
        var result = await DestinationHttp.SendAsync(client, request, _timeProvider, _maxBodyBytes, cancellationToken).ConfigureAwait(false);
        var (outcome, splittable) = FacebookErrors.Classify(result);
        if (outcome.Status == DeliveryStatus.DeadLetter && splittable && chunk.Count > 1)
        {
            Log.SplittingBatch(_logger, FacebookConversionsDestination.DestinationId, chunk.Count, outcome.DestinationError?.Code);
            var half = chunk.Count / 2;
            await SendChunkAsync(chunk.GetRange(0, half), outcomes, budget, client, cancellationToken).ConfigureAwait(false);
            await SendChunkAsync(chunk.GetRange(half, chunk.Count - half), outcomes, budget, client, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (outcome.Status == DeliveryStatus.DeadLetter)
        {
            var error = outcome.DestinationError;
            Log.DeadLettered(_logger, FacebookConversionsDestination.DestinationId, chunk.Count, outcome.ErrorCode!, error?.Code, error?.Subcode, error?.TraceId);
        }
        else if (outcome.Status == DeliveryStatus.Retry)
        {
            Log.WillRetry(_logger, FacebookConversionsDestination.DestinationId, chunk.Count, outcome.ErrorCode!);
        }

        Assign(chunk, outcomes, outcome);
    }

    private ByteArrayContent CreateContent(List<PendingEvent> chunk)
    {
        var buffer = new ArrayBufferWriter<byte>(256 * chunk.Count + 256);
        using (var writer = new Utf8JsonWriter(buffer, FacebookEventWriter.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("data");
            foreach (var pending in chunk)
            {
                writer.WriteRawValue(pending.Payload, skipInputValidation: true);
            }

            writer.WriteEndArray();
            writer.WriteString("access_token", _configuration.AccessToken);
            if (_configuration.TestEventCode is { } testEventCode)
            {
                writer.WriteString("test_event_code", testEventCode);
            }

            writer.WriteEndObject();
        }

        var content = new ByteArrayContent(buffer.WrittenSpan.ToArray());
        content.Headers.ContentType = JsonMediaType;
        return content;
    }

    private static void Assign(List<PendingEvent> chunk, DeliveryOutcome[] outcomes, DeliveryOutcome outcome)
    {
        foreach (var pending in chunk)
        {
            outcomes[pending.Index] = outcome;
        }
    }

    /// <summary>The rule's settings, normalized.</summary>
    internal sealed record Configuration(
        Uri BaseUrl,
        string ApiVersion,
        string PixelId,
        string AccessToken,
        string? TestEventCode,
        string? ActionSource,
        FrozenDictionary<string, string> Events)
    {
        // A hash of everything that shapes a request, so equal batch keys mean interchangeable profiles; the token is
        // inside the hash, never in the key itself.
        internal string Fingerprint()
        {
            var text = new StringBuilder()
                .Append(BaseUrl.AbsoluteUri).Append('\n')
                .Append(ApiVersion).Append('\n')
                .Append(PixelId).Append('\n')
                .Append(AccessToken).Append('\n')
                .Append(TestEventCode).Append('\n')
                .Append(ActionSource).Append('\n');
            foreach (var (ours, theirs) in Events.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                text.Append(ours).Append('=').Append(theirs).Append('\n');
            }

            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())).AsSpan(0, 12));
        }
    }

    private readonly record struct PendingEvent(int Index, byte[] Payload);

    private sealed class CallBudget(int calls)
    {
        public int Remaining { get; set; } = calls;
    }
}
