// The compiled example behind docs/forwarding.md ("Writing a destination"): keep the two in step.
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Chatterfy.Postbacks.Ingestion;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Chatterfy.Postbacks.Forwarding.Tests.Samples;

/// <summary>Settings of the webhook destination; bound from the rule's JSON settings (camelCase).</summary>
public sealed class WebhookSettings
{
    /// <summary>Gets or sets where conversions are posted.</summary>
    [Display(Name = "Webhook URL", Description = "Where each conversion is posted as JSON.")]
    public string? Url { get; set; }

    /// <summary>Gets or sets the key of the <c>X-Signature</c> HMAC; a secret.</summary>
    [Display(Name = "Signing key", Description = "The key of the X-Signature HMAC, at least 16 characters.")]
    public string? SigningKey { get; set; }
}

/// <summary>Posts each conversion as JSON to a URL, signed with HMAC-SHA256 of the body.</summary>
public sealed class WebhookDestination : ForwardingDestination<WebhookSettings>
{
    public override string Id => "webhook";

    public override string DisplayName => "Signed webhook";

    public override IReadOnlyList<string> SecretSettings => ["signingKey"];

    protected override void Validate(WebhookSettings settings, ICollection<DestinationSettingsError> errors)
    {
        if (!Uri.TryCreate(settings.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            errors.Add(new DestinationSettingsError("settings.url", "The webhook URL must be an absolute http(s) URL."));
        }

        if (settings.SigningKey is not { Length: >= 16 })
        {
            errors.Add(new DestinationSettingsError("settings.signingKey", "The signing key must have at least 16 characters."));
        }
    }

    protected override DestinationProfile CreateProfile(WebhookSettings settings) =>
        new WebhookProfile(new Uri(settings.Url!), Encoding.UTF8.GetBytes(settings.SigningKey!));

    private sealed class WebhookProfile(Uri url, byte[] key) : DestinationProfile
    {
        // One call per message; the key covers every setting, hashed so it reveals no secret.
        public override string BatchKey { get; } = Convert.ToHexStringLower(SHA256.HashData([.. Encoding.UTF8.GetBytes(url.AbsoluteUri), .. key]));

        // Checked against the outbound policy when a rule is created.
        public override IReadOnlyList<DestinationEndpoint> Endpoints { get; } = [new DestinationEndpoint("settings.url", url)];

        public override bool Forwards(PostbackEvent conversionEvent) => true;

        public override async ValueTask<IReadOnlyList<DeliveryOutcome>> SendAsync(
            IReadOnlyList<ForwardedConversion> batch, HttpClient client, CancellationToken cancellationToken)
        {
            var outcomes = new List<DeliveryOutcome>(batch.Count);
            foreach (var item in batch)
            {
                outcomes.Add(await SendOneAsync(item, client, cancellationToken));
            }

            return outcomes;
        }

        private async Task<DeliveryOutcome> SendOneAsync(ForwardedConversion item, HttpClient client, CancellationToken cancellationToken)
        {
            var conversion = item.Conversion.Conversion;
            var body = JsonContent.Create(new
            {
                id = item.Conversion.Id,
                @event = conversion.Event.Name,
                clickId = conversion.ClickId,
                amount = conversion.Amount?.ToString(CultureInfo.InvariantCulture),
                currency = conversion.Currency,
            });
            var bytes = await body.ReadAsByteArrayAsync(cancellationToken);
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(bytes) };
            request.Content.Headers.ContentType = new("application/json");
            request.Headers.Add("X-Signature", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(key, bytes)));
            try
            {
                using var response = await client.SendAsync(request, cancellationToken);
                var status = (int)response.StatusCode;
                var outcome = status switch
                {
                    >= 200 and < 300 => DeliveryOutcome.Delivered(),
                    408 or 429 or >= 500 => DeliveryOutcome.Retry(DeliveryErrorCodes.HttpStatus, $"The webhook answered HTTP {status}.", response.Headers.RetryAfter?.Delta),
                    _ => DeliveryOutcome.DeadLetter(DeliveryErrorCodes.HttpStatus, $"The webhook answered HTTP {status}."),
                };
                return outcome with { HttpStatusCode = status };
            }
            catch (HttpRequestException ex) when (ex.InnerException is OutboundRequestRefusedException refused)
            {
                return DeliveryOutcome.DeadLetter(refused.ErrorCode, refused.Message);
            }
            catch (OutboundRequestRefusedException refused)
            {
                return DeliveryOutcome.DeadLetter(refused.ErrorCode, refused.Message);
            }
            catch (BrokenCircuitException ex)
            {
                return DeliveryOutcome.Retry(DeliveryErrorCodes.CircuitOpen, "The webhook host's circuit is open.", ex.RetryAfter);
            }
            catch (TimeoutRejectedException)
            {
                return DeliveryOutcome.Retry(DeliveryErrorCodes.Timeout, "The webhook did not answer in time.");
            }
            catch (HttpRequestException ex)
            {
                return DeliveryOutcome.Retry(DeliveryErrorCodes.NetworkError, ex.Message);
            }
        }
    }
}
