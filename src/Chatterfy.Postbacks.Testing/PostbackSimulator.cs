using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Chatterfy.Postbacks.PostbackSets;

namespace Chatterfy.Postbacks.Testing;

/// <summary>
/// Acts like an affiliate network against a running receiver: fires Binomo, 1Win and custom-network postbacks the way
/// each network sends them, with retries, concurrent duplicates, unsubstituted macros or comma decimals when asked,
/// and returns what the receiver answered for every request.
/// </summary>
/// <remarks>
/// <para>
/// Any <see cref="HttpClient"/> works: TestServer's (<c>app.GetTestClient()</c>,
/// <c>WebApplicationFactory.CreateClient()</c>), one pointing at Kestrel on 127.0.0.1, or one pointing at a staging
/// host. The simulator does not dispose the client, keeps no state between calls, and may be shared by tests running
/// in parallel.
/// </para>
/// <para>
/// The URLs come from a set created through the tracker API (<see cref="CreateSetAsync"/>), from
/// <c>PostbackSetService.GetUrls</c> in the host, or from strings: <c>new PostbackUrls(registration, firstDeposit,
/// deposit, bare)</c>.
/// </para>
/// </remarks>
public sealed class PostbackSimulator
{
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json") { CharSet = "utf-8" };
    private static readonly MediaTypeHeaderValue FormMediaType = new("application/x-www-form-urlencoded");

    private readonly HttpClient _httpClient;
    private readonly TimeProvider _timeProvider;

    /// <summary>Initializes a simulator that sends through <paramref name="httpClient"/>.</summary>
    /// <param name="httpClient">The client to send with; the tracker API calls need its <see cref="HttpClient.BaseAddress"/>.</param>
    /// <param name="timeProvider">The clock for <see cref="SimulatedPostbackResult.SentAt"/> and <see cref="SimulatedPostbackResult.Elapsed"/>; <see cref="TimeProvider.System"/> by default.</param>
    public PostbackSimulator(HttpClient httpClient, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        _httpClient = httpClient;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>
    /// Gets the path prefix of the tracker API, relative to the client's <see cref="HttpClient.BaseAddress"/>, as passed
    /// to <c>MapChatterfyTrackerApi(prefix)</c>. Default <c>/api/tracker</c>.
    /// </summary>
    public string TrackerApiPrefix { get; init; } = "/api/tracker";

    /// <summary>
    /// Gets a value indicating whether postbacks go to the client's <see cref="HttpClient.BaseAddress"/>. When
    /// <see langword="true"/> (the default) and the client has one, an absolute postback URL's scheme, host and port are
    /// replaced with the base address's, and its path and query are kept: URLs generated for the public base URL
    /// (<c>Postbacks:PublicBaseUrl</c>, e.g. <c>https://pb.example.com</c>) then reach a TestServer or a Kestrel on
    /// 127.0.0.1. Set it to <see langword="false"/> to send absolute URLs exactly where they point. Relative URLs always
    /// go to the base address.
    /// </summary>
    public bool SendToBaseAddress { get; init; } = true;

    /// <summary>
    /// Creates a postback set through the tracker API (<c>POST {prefix}/postback-sets</c>) and returns its id and URLs.
    /// </summary>
    /// <param name="network">The network id: <c>binomo</c>, <c>1win</c>, <c>custom</c> (see <c>NetworkIds</c>) or your own.</param>
    /// <param name="settingsJson">The network settings as a JSON object, e.g. <c>{"clickIdSub":"sub4"}</c>, or <see langword="null"/> for the network's defaults.</param>
    /// <param name="apiKeyHeader">A header that authorizes the tracker API call, e.g. <c>new("X-Api-Key", key)</c>, or <see langword="null"/>.</param>
    /// <param name="campaignId">The campaign to scope the set to, or <see langword="null"/>.</param>
    /// <param name="name">The set's name; the network id by default.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The created set.</returns>
    /// <exception cref="ArgumentException"><paramref name="settingsJson"/> is not JSON.</exception>
    /// <exception cref="InvalidOperationException">The client has no <see cref="HttpClient.BaseAddress"/>.</exception>
    /// <exception cref="HttpRequestException">The API did not answer <c>201 Created</c>; the message holds its answer.</exception>
    public async Task<SimulatedPostbackSet> CreateSetAsync(
        string network,
        string? settingsJson = null,
        KeyValuePair<string, string>? apiKeyHeader = null,
        string? campaignId = null,
        string? name = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(network);
        JsonDocument? settings = null;
        try
        {
            if (settingsJson is not null)
            {
                try
                {
                    settings = JsonDocument.Parse(settingsJson);
                }
                catch (JsonException ex)
                {
                    throw new ArgumentException($"The settings are not JSON: {ex.Message}", nameof(settingsJson), ex);
                }
            }

            var body = WriteJson(writer =>
            {
                writer.WriteString("name", name ?? network);
                writer.WriteString("network", network);
                writer.WriteString("campaignId", campaignId);
                writer.WritePropertyName("settings");
                if (settings is null)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    settings.RootElement.WriteTo(writer);
                }
            });

            using var response = await PostTrackerAsync("postback-sets", body, apiKeyHeader, cancellationToken).ConfigureAwait(false);
            var set = response.RootElement;
            var urls = set.GetProperty("urls");
            return new SimulatedPostbackSet(
                set.GetProperty("id").GetString()!,
                set.GetProperty("name").GetString()!,
                set.GetProperty("network").GetString()!,
                set.GetProperty("campaignId").GetString(),
                new PostbackUrls(
                    urls.GetProperty("registration").GetString()!,
                    urls.GetProperty("firstDeposit").GetString()!,
                    urls.GetProperty("deposit").GetString()!,
                    urls.GetProperty("base").GetString()!));
        }
        finally
        {
            settings?.Dispose();
        }
    }

    /// <summary>
    /// Creates a click through the tracker API (<c>POST {prefix}/clicks</c>), as the bot does when a user arrives, and
    /// returns its click id: the value the network later sends back.
    /// </summary>
    /// <param name="campaignId">The click's campaign, or <see langword="null"/>.</param>
    /// <param name="apiKeyHeader">A header that authorizes the tracker API call, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new click id.</returns>
    /// <exception cref="InvalidOperationException">The client has no <see cref="HttpClient.BaseAddress"/>.</exception>
    /// <exception cref="HttpRequestException">The API did not answer <c>201 Created</c>; the message holds its answer.</exception>
    public async Task<string> CreateClickAsync(
        string? campaignId = null,
        KeyValuePair<string, string>? apiKeyHeader = null,
        CancellationToken cancellationToken = default)
    {
        var body = WriteJson(writer => writer.WriteString("campaignId", campaignId));
        using var response = await PostTrackerAsync("clicks", body, apiKeyHeader, cancellationToken).ConfigureAwait(false);
        return response.RootElement.GetProperty("clickId").GetString()!;
    }

    /// <summary>
    /// Sends <paramref name="postback"/> to the set's URL the way its network does, as often and in the way
    /// <paramref name="options"/> say, and returns every answer.
    /// </summary>
    /// <param name="urls">The set's URLs as the network has them, macros literal (<see cref="SimulatedPostbackSet.Urls"/>, <c>PostbackSetService.GetUrls</c>, or your own strings).</param>
    /// <param name="postback">The conversion and the network that reports it: <see cref="BinomoPostback"/>, <see cref="OneWinPostback"/> or <see cref="CustomPostback"/>.</param>
    /// <param name="options">Retries, concurrent copies, mistakes and method; <see cref="PostbackSimulationOptions.Default"/> when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the remaining requests.</param>
    /// <returns>
    /// One result per request, in sending order: attempt by attempt, and within an attempt by copy.
    /// <c>(1 + Retries) × ConcurrentCopies</c> results.
    /// </returns>
    /// <exception cref="ArgumentException">The URL the postback needs is missing, or a macro to leave unsubstituted is not in it.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="PostbackSimulationOptions.Retries"/> is negative or <see cref="PostbackSimulationOptions.ConcurrentCopies"/> is less than 1.</exception>
    /// <exception cref="InvalidOperationException">The URL is relative and the client has no <see cref="HttpClient.BaseAddress"/>.</exception>
    /// <exception cref="HttpRequestException">A request got no answer at all (connection refused or closed).</exception>
    public async Task<IReadOnlyList<SimulatedPostbackResult>> SendAsync(
        PostbackUrls urls,
        SimulatedPostback postback,
        PostbackSimulationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(urls);
        ArgumentNullException.ThrowIfNull(postback);
        options ??= PostbackSimulationOptions.Default;
        ArgumentOutOfRangeException.ThrowIfNegative(options.Retries, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ConcurrentCopies, 1, nameof(options));

        var url = postback.BuildUrlWithStatus(urls, new PostbackRenderer(options));
        var request = Prepare(url, options);

        var results = new List<SimulatedPostbackResult>((options.Retries + 1) * options.ConcurrentCopies);
        for (var attempt = 1; attempt <= options.Retries + 1; attempt++)
        {
            var copies = new Task<SimulatedPostbackResult>[options.ConcurrentCopies];
            for (var copy = 0; copy < copies.Length; copy++)
            {
                copies[copy] = SendOneAsync(request, attempt, copy + 1, cancellationToken);
            }

            results.AddRange(await Task.WhenAll(copies).ConfigureAwait(false));
        }

        return results;
    }

    private static string WriteJson(Action<Utf8JsonWriter> members)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            members(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private async Task<JsonDocument> PostTrackerAsync(
        string route,
        string json,
        KeyValuePair<string, string>? apiKeyHeader,
        CancellationToken cancellationToken)
    {
        var baseAddress = _httpClient.BaseAddress
            ?? throw new InvalidOperationException("The tracker API calls need an HttpClient with a BaseAddress, e.g. the receiver's http://127.0.0.1:5000/.");
        var uri = new Uri(baseAddress, TrackerApiPrefix.Trim('/') + "/" + route);
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(json, Encoding.UTF8) };
        request.Content.Headers.ContentType = JsonMediaType;
        if (apiKeyHeader is { } header)
        {
            request.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        using var response = await _httpClient.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new HttpRequestException(
                $"POST {uri} answered {(int)response.StatusCode} instead of 201 Created: {text}",
                inner: null,
                response.StatusCode);
        }

        return JsonDocument.Parse(text);
    }

    private PreparedRequest Prepare(string url, PostbackSimulationOptions options)
    {
        var queryStart = url.IndexOf('?', StringComparison.Ordinal);
        var path = queryStart < 0 ? url : url[..queryStart];
        var query = QueryText.ApplyOverrides(queryStart < 0 ? null : url[(queryStart + 1)..], options.Parameters);
        return options.Method switch
        {
            SimulatedPostbackMethod.PostForm => new PreparedRequest(HttpMethod.Post, Resolve(path), query ?? "", FormMediaType),
            SimulatedPostbackMethod.PostJson => new PreparedRequest(HttpMethod.Post, Resolve(path), QueryText.ToJson(query), JsonMediaType),
            _ => new PreparedRequest(HttpMethod.Get, Resolve(query is null ? path : path + "?" + query), null, null),
        };
    }

    private Uri Resolve(string url)
    {
        var baseAddress = _httpClient.BaseAddress;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var absolute) || absolute.IsFile)
        {
            return baseAddress is null
                ? throw new InvalidOperationException($"The postback URL '{url}' is relative and the HttpClient has no BaseAddress.")
                : new Uri(baseAddress, url);
        }

        if (!SendToBaseAddress || baseAddress is null)
        {
            return absolute;
        }

        // Keep the path and query as written (so Uri escapes them once), on the base address's scheme, host and port.
        var authorityEnd = url.IndexOf("://", StringComparison.Ordinal) + 3;
        var rest = url.IndexOfAny(['/', '?', '#'], authorityEnd) is var at and >= 0 ? url[at..] : "/";
        return new Uri(baseAddress.GetLeftPart(UriPartial.Authority) + (rest.StartsWith('/') ? rest : "/" + rest));
    }

    private async Task<SimulatedPostbackResult> SendOneAsync(PreparedRequest prepared, int attempt, int copy, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(prepared.Method, prepared.Uri);
        if (prepared.Body is not null)
        {
            request.Content = new StringContent(prepared.Body, Encoding.UTF8);
            request.Content.Headers.ContentType = prepared.ContentType;
        }

        var sentAt = _timeProvider.GetUtcNow();
        var started = _timeProvider.GetTimestamp();
        using var response = await _httpClient.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var elapsed = _timeProvider.GetElapsedTime(started);
        var retryAfter = response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - sentAt,
            _ => (TimeSpan?)null,
        };

        return new SimulatedPostbackResult(
            attempt,
            copy,
            prepared.Method.Method,
            prepared.Uri.AbsoluteUri,
            prepared.Body,
            sentAt,
            elapsed,
            response.StatusCode,
            retryAfter,
            text);
    }

    private sealed record PreparedRequest(HttpMethod Method, Uri Uri, string? Body, MediaTypeHeaderValue? ContentType);
}
