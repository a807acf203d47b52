using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Chatterfy.Postbacks.ReliabilityTests.Infrastructure;

/// <summary>The sample's tracker API (<c>/api/tracker</c>, <c>X-Api-Key</c>), as a bot engine calls it.</summary>
internal sealed class TrackerApi : IDisposable
{
    private readonly HttpClient _client;

    public TrackerApi(Uri baseAddress)
    {
        _client = HttpClients.Create(baseAddress, TimeSpan.FromSeconds(15), maxConnections: 16);
        _client.DefaultRequestHeaders.Add("X-Api-Key", SampleHost.ApiKey);
    }

    /// <summary>Creates a set and returns its id and token (the last segment of its bare URL).</summary>
    public async Task<PostbackSetInfo> CreateSetAsync(string name, string network, CancellationToken cancellationToken)
    {
        using var response = await _client.PostAsJsonAsync("api/tracker/postback-sets", new { name, network }, cancellationToken);
        var body = await ReadJsonAsync(response, HttpStatusCode.Created, cancellationToken);
        var baseUrl = body.GetProperty("urls").GetProperty("base").GetString()!;
        var path = new Uri(baseUrl).AbsolutePath;
        return new PostbackSetInfo(body.GetProperty("id").GetString()!, path[(path.LastIndexOf('/') + 1)..]);
    }

    public Task<string> CreateClickAsync(string campaignId, CancellationToken cancellationToken) =>
        CreateClickAsync(new { campaignId }, cancellationToken);

    /// <summary>Creates a click from a <c>POST /clicks</c> body (campaign, subject, IP, user agent …) and returns its id.</summary>
    public async Task<string> CreateClickAsync(object click, CancellationToken cancellationToken)
    {
        using var response = await _client.PostAsJsonAsync("api/tracker/clicks", click, cancellationToken);
        var body = await ReadJsonAsync(response, HttpStatusCode.Created, cancellationToken);
        return body.GetProperty("clickId").GetString()!;
    }

    /// <summary>Creates <paramref name="count"/> clicks with a few concurrent callers.</summary>
    public async Task<IReadOnlyList<string>> CreateClicksAsync(int count, string campaignId, CancellationToken cancellationToken)
    {
        var clicks = new string[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, ct) =>
            clicks[i] = await CreateClickAsync(campaignId, ct));
        return clicks;
    }

    /// <summary>Tries to create a campaign; returns the status and the body, whatever they are.</summary>
    public async Task<(HttpStatusCode Status, string Body)> TryCreateCampaignAsync(string id, string destination, CancellationToken cancellationToken)
    {
        using var response = await _client.PostAsJsonAsync("api/tracker/campaigns", new { id, destination }, cancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    /// <summary>Creates a forwarding rule for a set and returns its id.</summary>
    public async Task<string> CreateForwardingRuleAsync(string setId, string destination, object settings, CancellationToken cancellationToken)
    {
        using var response = await _client.PostAsJsonAsync("api/tracker/forwarding-rules", new { setId, destination, settings }, cancellationToken);
        var body = await ReadJsonAsync(response, HttpStatusCode.Created, cancellationToken);
        return body.GetProperty("id").GetString()!;
    }

    /// <summary>The outbox messages of one conversion, each with its attempts (<c>GET /outbox/{id}</c>).</summary>
    public async Task<IReadOnlyList<JsonElement>> GetOutboxMessagesAsync(string conversionId, CancellationToken cancellationToken)
    {
        using var list = await _client.GetAsync($"api/tracker/outbox?conversionId={Uri.EscapeDataString(conversionId)}", cancellationToken);
        var page = await ReadJsonAsync(list, HttpStatusCode.OK, cancellationToken);
        var messages = new List<JsonElement>();
        foreach (var item in page.GetProperty("items").EnumerateArray())
        {
            using var response = await _client.GetAsync($"api/tracker/outbox/{Uri.EscapeDataString(item.GetProperty("id").GetString()!)}", cancellationToken);
            messages.Add(await ReadJsonAsync(response, HttpStatusCode.OK, cancellationToken));
        }

        return messages;
    }

    /// <summary>Counts the outbox messages by status (at most 1,000 each).</summary>
    public async Task<OutboxCounts> CountOutboxAsync(CancellationToken cancellationToken) => new(
        await CountOutboxAsync("delivered", cancellationToken),
        await CountOutboxAsync("pending", cancellationToken),
        await CountOutboxAsync("dead-lettered", cancellationToken));

    private async Task<int> CountOutboxAsync(string status, CancellationToken cancellationToken)
    {
        using var response = await _client.GetAsync($"api/tracker/outbox?status={status}&limit=1000", cancellationToken);
        var body = await ReadJsonAsync(response, HttpStatusCode.OK, cancellationToken);
        return body.GetProperty("items").GetArrayLength();
    }

    public async Task<TrackerStats> GetStatsAsync(CancellationToken cancellationToken)
    {
        using var response = await _client.GetAsync("api/tracker/stats", cancellationToken);
        return TrackerStats.FromJson(await ReadJsonAsync(response, HttpStatusCode.OK, cancellationToken));
    }

    /// <summary>The conversions stored for a click, oldest first.</summary>
    public async Task<IReadOnlyList<StoredConversion>> GetConversionsAsync(string clickId, CancellationToken cancellationToken)
    {
        using var response = await _client.GetAsync($"api/tracker/clicks/{Uri.EscapeDataString(clickId)}", cancellationToken);
        var body = await ReadJsonAsync(response, HttpStatusCode.OK, cancellationToken);
        return [.. body.GetProperty("conversions").EnumerateArray().Select(c => new StoredConversion(
            clickId,
            c.GetProperty("id").GetString()!,
            c.GetProperty("event").GetString()!,
            c.GetProperty("amount").ValueKind == JsonValueKind.Null ? null : c.GetProperty("amount").GetDecimal(),
            c.GetProperty("currency").GetString(),
            c.GetProperty("tid").GetString(),
            c.GetProperty("attribution").GetString()!))];
    }

    /// <summary>The conversions of many clicks, read with a few concurrent callers.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<StoredConversion>>> GetConversionsAsync(
        IReadOnlyList<string> clickIds,
        CancellationToken cancellationToken)
    {
        var results = new IReadOnlyList<StoredConversion>[clickIds.Count];
        await Parallel.ForAsync(0, clickIds.Count, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, ct) =>
            results[i] = await GetConversionsAsync(clickIds[i], ct));
        return clickIds.Select((id, i) => (id, results[i])).ToDictionary(p => p.id, p => p.Item2, StringComparer.Ordinal);
    }

    /// <summary>Every conversion of a set with its status and history (<c>GET /conversions?setId=</c>), page by page.</summary>
    public async Task<IReadOnlyList<ConversionWithHistory>> GetSetConversionsAsync(string setId, CancellationToken cancellationToken)
    {
        const int MaxPages = 1_000;
        var conversions = new List<ConversionWithHistory>();
        string? before = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var query = $"api/tracker/conversions?setId={Uri.EscapeDataString(setId)}&limit=1000" + (before is null ? "" : $"&before={Uri.EscapeDataString(before)}");
            using var response = await _client.GetAsync(query, cancellationToken);
            var body = await ReadJsonAsync(response, HttpStatusCode.OK, cancellationToken);
            conversions.AddRange(body.GetProperty("items").EnumerateArray().Select(c => new ConversionWithHistory(
                new StoredConversion(
                    c.GetProperty("clickId").GetString()!,
                    c.GetProperty("id").GetString()!,
                    c.GetProperty("event").GetString()!,
                    c.GetProperty("amount").ValueKind == JsonValueKind.Null ? null : c.GetProperty("amount").GetDecimal(),
                    c.GetProperty("currency").GetString(),
                    c.GetProperty("tid").GetString(),
                    c.GetProperty("attribution").GetString()!),
                c.GetProperty("status").GetString()!,
                [.. c.GetProperty("history").EnumerateArray().Select(h => $"{h.GetProperty("from").GetString()}>{h.GetProperty("to").GetString()}")])));
            before = body.GetProperty("next").GetString();
            if (before is null)
            {
                return conversions;
            }
        }

        throw new InvalidOperationException($"The set has more than {MaxPages} pages of conversions.");
    }

    /// <summary>The conversion ids of every postback-log entry with <paramref name="outcome"/>, page by page.</summary>
    public async Task<IReadOnlyList<string?>> GetLoggedConversionIdsAsync(string outcome, CancellationToken cancellationToken)
    {
        const int MaxPages = 1_000;
        var ids = new List<string?>();
        string? before = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var query = $"api/tracker/postback-log?outcome={outcome}&limit=1000" + (before is null ? "" : $"&before={Uri.EscapeDataString(before)}");
            using var response = await _client.GetAsync(query, cancellationToken);
            var body = await ReadJsonAsync(response, HttpStatusCode.OK, cancellationToken);
            ids.AddRange(body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("conversionId").GetString()));
            before = body.GetProperty("next").GetString();
            if (before is null)
            {
                return ids;
            }
        }

        throw new InvalidOperationException($"The postback log has more than {MaxPages} pages of '{outcome}' entries.");
    }

    public void Dispose() => _client.Dispose();

    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response, HttpStatusCode expected, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != expected)
        {
            throw new InvalidOperationException(
                $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}, expected {(int)expected}: {text}");
        }

        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}

internal sealed record PostbackSetInfo(string Id, string Token);

/// <summary>One conversion as <c>GET /api/tracker/clicks/{id}</c> shows it.</summary>
internal sealed record StoredConversion(string ClickId, string Id, string Event, decimal? Amount, string? Currency, string? Tid, string Attribution)
{
    public override string ToString() =>
        $"{Id} {Event} click={ClickId} tid={Tid ?? "-"} amount={Amount?.ToString(CultureInfo.InvariantCulture) ?? "-"} {Currency} {Attribution}";
}

/// <summary>One conversion as <c>GET /api/tracker/conversions</c> lists it: its status and its history as <c>from&gt;to</c>, oldest first.</summary>
internal sealed record ConversionWithHistory(StoredConversion Conversion, string Status, IReadOnlyList<string> History)
{
    public override string ToString() => $"{Conversion} status={Status} history=[{string.Join(",", History)}]";
}

/// <summary><c>GET /api/tracker/stats</c>, compared exactly (counts and decimal sums per currency).</summary>
internal sealed record TrackerStats(
    long Clicks,
    long Registrations,
    long FirstDeposits,
    long Deposits,
    long Unattributed,
    long Rejected,
    IReadOnlyDictionary<string, (decimal FirstDeposits, decimal Deposits)> Amounts)
{
    public static TrackerStats FromJson(JsonElement json) => new(
        json.GetProperty("clicks").GetInt64(),
        json.GetProperty("registrations").GetInt64(),
        json.GetProperty("firstDeposits").GetInt64(),
        json.GetProperty("deposits").GetInt64(),
        json.GetProperty("unattributed").GetInt64(),
        json.GetProperty("rejected").GetInt64(),
        json.GetProperty("amounts").EnumerateArray().ToDictionary(
            a => a.GetProperty("currency").GetString()!,
            a => (a.GetProperty("firstDeposits").GetDecimal(), a.GetProperty("deposits").GetDecimal()),
            StringComparer.Ordinal));

    /// <summary>Equal counts and, per currency, equal sums (a currency with zero sums equals an absent one).</summary>
    public bool SameAs(TrackerStats other)
    {
        if (Clicks != other.Clicks || Registrations != other.Registrations || FirstDeposits != other.FirstDeposits
            || Deposits != other.Deposits || Unattributed != other.Unattributed || Rejected != other.Rejected)
        {
            return false;
        }

        foreach (var currency in Amounts.Keys.Union(other.Amounts.Keys))
        {
            if (Sums(currency) != other.Sums(currency))
            {
                return false;
            }
        }

        return true;
    }

    public (decimal FirstDeposits, decimal Deposits) Sums(string currency) =>
        Amounts.TryGetValue(currency, out var sums) ? sums : (0m, 0m);

    public override string ToString()
    {
        var amounts = string.Join(", ", Amounts.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a =>
            string.Create(CultureInfo.InvariantCulture, $"{a.Key}: ftd {a.Value.FirstDeposits} dep {a.Value.Deposits}")));
        return $"clicks={Clicks} registrations={Registrations} firstDeposits={FirstDeposits} deposits={Deposits} unattributed={Unattributed} rejected={Rejected} amounts=[{amounts}]";
    }
}

/// <summary>How many outbox messages are in each status.</summary>
internal sealed record OutboxCounts(int Delivered, int Pending, int DeadLettered);
