using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Chatterfy.Postbacks.Forwarding.Http;
using Chatterfy.Postbacks.Forwarding.HttpPostback;
using Chatterfy.Postbacks.Ingestion;
using Microsoft.Extensions.Logging;

namespace Chatterfy.Postbacks.Forwarding.Reactions;

/// <summary>Posts one conversion per call as JSON, signed with every secret of the rule.</summary>
internal sealed class SignedWebhookProfile : DestinationProfile
{
    private readonly Uri _url;
    private readonly string[] _secrets;
    private readonly TimeProvider _timeProvider;
    private readonly int _maxBodyBytes;
    private readonly ILogger _logger;

    public SignedWebhookProfile(Uri url, string[] secrets, TimeProvider timeProvider, int maxBodyBytes, ILogger logger)
    {
        _url = url;
        _secrets = secrets;
        _timeProvider = timeProvider;
        _maxBodyBytes = maxBodyBytes;
        _logger = logger;
        Endpoints = [new DestinationEndpoint("settings.url", url)];
        var fingerprint = url.AbsoluteUri + "\n" + string.Join('\n', secrets);
        BatchKey = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(fingerprint)).AsSpan(0, 12));
    }

    public override string BatchKey { get; }

    public override IReadOnlyList<DestinationEndpoint> Endpoints { get; }

    public override bool Forwards(PostbackEvent conversionEvent) => true;

    public override async ValueTask<IReadOnlyList<DeliveryOutcome>> SendAsync(
        IReadOnlyList<ForwardedConversion> batch, HttpClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(client);
        var outcomes = new DeliveryOutcome[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            outcomes[i] = await SendOneAsync(batch[i], client, cancellationToken).ConfigureAwait(false);
        }

        return outcomes;
    }

    /// <summary>The webhook's JSON body for one delivery (documented in docs/telegram.md, "Reactions").</summary>
    internal static byte[] WriteBody(ForwardedConversion item)
    {
        var record = item.Conversion;
        var conversion = record.Conversion;
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, Facebook.FacebookEventWriter.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("deliveryId", item.MessageId);
            writer.WriteNumber("attempt", item.Attempt);
            writer.WriteString("conversionId", record.Id);
            writer.WriteString("event", conversion.Event.Name);
            WriteNullable(writer, "depositNumber", record.DepositNumber);
            writer.WriteString("occurredAt", conversion.ReceivedAt.UtcDateTime);
            writer.WriteString("setId", conversion.SetId);
            writer.WriteString("campaignId", record.CampaignId);
            writer.WriteString("clickId", conversion.ClickId);
            writer.WriteString("subjectId", item.Click?.SubjectId);
            if (conversion.Amount is { } amount)
            {
                writer.WriteNumber("amount", amount);
            }
            else
            {
                writer.WriteNull("amount");
            }

            writer.WriteString("currency", conversion.Currency);
            writer.WriteString("transactionId", conversion.TransactionId);

            // What this delivery is for: the conversion as stored, or one change of its status.
            writer.WriteString("status", ConversionStatusNames.Name(item.Status));
            writer.WriteString("statusAt", item.StatusAt.UtcDateTime);
            if (item.Change is { } change)
            {
                writer.WriteStartObject("change");
                writer.WriteString("id", change.Id);
                writer.WriteString("from", ConversionStatusNames.Name(change.From));
                writer.WriteString("to", ConversionStatusNames.Name(change.To));
                writer.WriteString("word", change.Word);
                writer.WriteString("at", change.At.UtcDateTime);
                writer.WriteEndObject();
            }
            else
            {
                writer.WriteNull("change");
            }

            writer.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, int? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private async Task<DeliveryOutcome> SendOneAsync(ForwardedConversion item, HttpClient client, CancellationToken cancellationToken)
    {
        var body = WriteBody(item);
        using var request = new HttpRequestMessage(HttpMethod.Post, _url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.TryAddWithoutValidation(WebhookSignature.HeaderName, WebhookSignature.Create(_timeProvider.GetUtcNow(), body, _secrets));
        request.Headers.TryAddWithoutValidation(WebhookSignature.DeliveryHeaderName, item.MessageId);
        var result = await DestinationHttp.SendAsync(client, request, _timeProvider, _maxBodyBytes, cancellationToken).ConfigureAwait(false);
        var outcome = HttpPostbackProfile.Classify(result);
        if (outcome.Status == DeliveryStatus.Retry)
        {
            Log.WillRetry(_logger, SignedWebhookDestination.DestinationId, 1, outcome.ErrorCode!);
        }
        else if (outcome.Status == DeliveryStatus.DeadLetter)
        {
            Log.DeadLettered(_logger, SignedWebhookDestination.DestinationId, 1, outcome.ErrorCode!, null, null, null);
        }

        return outcome;
    }
}
