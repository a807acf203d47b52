using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Chatterfy.Postbacks.Forwarding.Http;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Templates;
using Microsoft.Extensions.Logging;

namespace Chatterfy.Postbacks.Forwarding.HttpPostback;

/// <summary>One <c>http-postback</c> rule: renders the template per conversion and sends one request each.</summary>
internal sealed class HttpPostbackProfile : DestinationProfile
{
    private readonly LinkTemplate _template;
    private readonly PostbackBodyFormat _format;
    private readonly HashSet<string>? _events;
    private readonly TimeProvider _timeProvider;
    private readonly int _maxBodyBytes;
    private readonly ILogger _logger;

    public HttpPostbackProfile(LinkTemplate template, PostbackBodyFormat format, HashSet<string>? events, TimeProvider timeProvider, int maxBodyBytes, ILogger logger)
    {
        _template = template;
        _format = format;
        _events = events;
        _timeProvider = timeProvider;
        _maxBodyBytes = maxBodyBytes;
        _logger = logger;
        Endpoints = [new DestinationEndpoint("settings.urlTemplate", PostbackUrlTemplate.GetAuthority(template))];
        var fingerprint = new StringBuilder()
            .Append(template.Text).Append('\n')
            .Append(format).Append('\n')
            .AppendJoin(',', events?.Order(StringComparer.Ordinal) ?? Enumerable.Empty<string>());
        BatchKey = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(fingerprint.ToString())).AsSpan(0, 12));
    }

    public override string BatchKey { get; }

    public override IReadOnlyList<DestinationEndpoint> Endpoints { get; }

    internal override IEnumerable<string> ImpliedSecrets => PostbackUrlTemplate.LiteralKeys(_template.Text);

    public override bool Forwards(PostbackEvent conversionEvent) => _events is null || _events.Contains(conversionEvent.Name);

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

    private async Task<DeliveryOutcome> SendOneAsync(ForwardedConversion item, HttpClient client, CancellationToken cancellationToken)
    {
        var rendered = _template.Render(new PostbackMacroValues(item)).Value;
        if (!Uri.TryCreate(rendered, UriKind.Absolute, out _))
        {
            return DeliveryOutcome.DeadLetter(DeliveryErrorCodes.InvalidUrl, "The rendered postback URL is not a valid absolute URL.");
        }

        using var request = CreateRequest(rendered);
        var result = await DestinationHttp.SendAsync(client, request, _timeProvider, _maxBodyBytes, cancellationToken).ConfigureAwait(false);
        var outcome = Classify(result);
        if (outcome.Status == DeliveryStatus.Retry)
        {
            Log.WillRetry(_logger, HttpPostbackDestination.DestinationId, 1, outcome.ErrorCode!);
        }
        else if (outcome.Status == DeliveryStatus.DeadLetter)
        {
            Log.DeadLettered(_logger, HttpPostbackDestination.DestinationId, 1, outcome.ErrorCode!, null, null, null);
        }

        return outcome;
    }

    private HttpRequestMessage CreateRequest(string rendered)
    {
        if (_format == PostbackBodyFormat.None)
        {
            return new HttpRequestMessage(HttpMethod.Get, rendered);
        }

        var fragment = rendered.IndexOf('#', StringComparison.Ordinal);
        var withoutFragment = fragment < 0 ? rendered : rendered[..fragment];
        var queryStart = withoutFragment.IndexOf('?', StringComparison.Ordinal);
        var url = queryStart < 0 ? withoutFragment : withoutFragment[..queryStart];
        var parameters = queryStart < 0 ? [] : ParseQuery(withoutFragment.AsSpan(queryStart + 1));
        return new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = _format == PostbackBodyFormat.Json ? JsonBody(parameters) : new FormUrlEncodedContent(parameters),
        };
    }

    private static List<KeyValuePair<string, string>> ParseQuery(ReadOnlySpan<char> query)
    {
        var parameters = new List<KeyValuePair<string, string>>();
        foreach (var range in query.Split('&'))
        {
            var pair = query[range];
            if (pair.IsEmpty)
            {
                continue;
            }

            var equals = pair.IndexOf('=');
            var name = equals < 0 ? pair : pair[..equals];
            var value = equals < 0 ? [] : pair[(equals + 1)..];
            parameters.Add(new(Uri.UnescapeDataString(name), Uri.UnescapeDataString(value)));
        }

        return parameters;
    }

    private static ByteArrayContent JsonBody(List<KeyValuePair<string, string>> parameters)
    {
        var grouped = new List<(string Name, List<string> Values)>();
        foreach (var (name, value) in parameters)
        {
            var index = grouped.FindIndex(g => g.Name == name);
            if (index < 0)
            {
                grouped.Add((name, [value]));
            }
            else
            {
                grouped[index].Values.Add(value);
            }
        }

        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, Facebook.FacebookEventWriter.WriterOptions))
        {
            writer.WriteStartObject();
            foreach (var (name, values) in grouped)
            {
                if (values.Count == 1)
                {
                    writer.WriteString(name, values[0]);
                    continue;
                }

                writer.WriteStartArray(name);
                foreach (var value in values)
                {
                    writer.WriteStringValue(value);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        var content = new ByteArrayContent(stream.ToArray());
        content.Headers.ContentType = new("application/json") { CharSet = "utf-8" };
        return content;
    }

    // The one home of how a plain HTTP destination's answer becomes an outcome (the signed webhook uses it too).
    internal static DeliveryOutcome Classify(HttpCallResult result)
    {
        if (result.Failure is { } failure)
        {
            return failure;
        }

        var status = result.StatusCode;
        var outcome = status switch
        {
            >= 200 and < 300 => DeliveryOutcome.Delivered(),
            429 => DeliveryOutcome.Retry(DeliveryErrorCodes.Throttled, "The destination answered HTTP 429 Too Many Requests.", result.RetryAfter),
            408 or >= 500 => DeliveryOutcome.Retry(DeliveryErrorCodes.HttpStatus, $"The destination answered HTTP {status}.", result.RetryAfter),
            _ => DeliveryOutcome.DeadLetter(DeliveryErrorCodes.HttpStatus, $"The destination answered HTTP {status}, which is neither success nor temporary."),
        };
        return outcome with { HttpStatusCode = status, ResponseExcerpt = result.Body, Duration = result.Duration };
    }
}
