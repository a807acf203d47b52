using System.Net;
using System.Text.Json;
using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Storage;

namespace Chatterfy.Postbacks.ConformanceTests;

/// <summary>
/// Builders for store test data. Every call returns fresh, unique ids and tokens; customize the result with <c>with</c>.
/// Times are whole seconds in UTC so that every database keeps them exactly.
/// </summary>
public static class StoreTestData
{
    /// <summary>A fixed instant the tests start from.</summary>
    public static readonly DateTimeOffset Epoch = new(2025, 3, 14, 9, 26, 53, TimeSpan.Zero);

    /// <summary>A new unique, URL-safe id (32 lower-case hex digits).</summary>
    public static string NewId() => Guid.NewGuid().ToString("N");

    /// <summary>A JSON object for <see cref="PostbackSet.Settings"/>.</summary>
    public static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>A set of the Binomo network with a unique id and token.</summary>
    public static PostbackSet Set(DateTimeOffset? createdAt = null, string? campaignId = null) => new()
    {
        Id = "set_" + NewId(),
        Name = "Binomo main",
        NetworkId = "binomo",
        CampaignId = campaignId,
        Token = "tok_" + NewId(),
        Settings = Json("""{"clickIdParameter":"click_id","defaultCurrency":"USD","events":{"reg":"registration"}}"""),
        CreatedAt = createdAt ?? Epoch,
    };

    /// <summary>A click with every optional value filled in.</summary>
    public static Click Click(DateTimeOffset? createdAt = null, string? campaignId = "camp-1") => new()
    {
        Id = "c" + NewId()[..11],
        CampaignId = campaignId,
        SubjectId = "chat-" + NewId(),
        Fbclid = "IwAR0" + NewId(),
        Fbc = "fb.1.1554763741205.IwAR0" + NewId(),
        Fbp = "fb.1.1558571054389.1098115397",
        IpAddress = IPAddress.Parse("203.0.113.7"),
        UserAgent = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X)",
        EventSourceUrl = "https://example.com/landing?utm_source=fb",
        CreatedAt = createdAt ?? Epoch,
        Fields = new Dictionary<string, string> { ["ad_name"] = "spring-1", ["utm_source"] = "facebook" },
    };

    /// <summary>A key that de-duplicates forever.</summary>
    public static IdempotencyKey PermanentKey() => new("key_" + NewId(), null);

    /// <summary>A key that de-duplicates within <paramref name="window"/> of a series' first occurrence.</summary>
    public static IdempotencyKey WindowedKey(TimeSpan window) => new("key_" + NewId(), window);

    /// <summary>A credited first deposit of 12.50 USD with a unique id, click id, transaction id and permanent key.</summary>
    public static ConversionRecord Conversion(
        string? setId = null,
        string? clickId = null,
        DateTimeOffset? receivedAt = null,
        IdempotencyKey? key = null,
        ConversionAttribution attribution = ConversionAttribution.Credited) => new()
        {
            Id = "conv_" + NewId(),
            Attribution = attribution,
            CampaignId = attribution == ConversionAttribution.Credited ? "camp-1" : null,
            Conversion = new Conversion
            {
                SetId = setId ?? "set_" + NewId(),
                Event = PostbackEvent.FirstDeposit,
                ClickId = clickId ?? "c" + NewId()[..11],
                Amount = 12.50m,
                Currency = "USD",
                TransactionId = "tx_" + NewId(),
                Attributes = new Dictionary<string, string> { ["user_id"] = "987654", ["country"] = "BR" },
                ReceivedAt = receivedAt ?? Epoch,
                RemoteAddress = IPAddress.Parse("198.51.100.23"),
                IdempotencyKey = key ?? PermanentKey(),
            },
        };

    /// <summary>A log entry with a unique id and a GET request.</summary>
    public static PostbackLogEntry LogEntry(
        string? setId = null,
        DateTimeOffset? receivedAt = null,
        PostbackOutcome outcome = PostbackOutcome.Rejected) => new()
        {
            Id = "log_" + NewId(),
            ReceivedAt = receivedAt ?? Epoch,
            SetId = setId ?? "set_" + NewId(),
            Outcome = outcome,
            Code = outcome == PostbackOutcome.Rejected ? "click_id_missing" : null,
            Warnings = ["macro_not_substituted"],
            Request = new PostbackRequest
            {
                Method = "GET",
                Path = "/api/postbacks/tok/first-deposit",
                EventSegment = "first-deposit",
                QueryString = "?click_id=%7Bsub1%7D&amount=12,50",
                RemoteAddress = IPAddress.Parse("198.51.100.23"),
            },
        };

    /// <summary>
    /// An identical postback received again at <paramref name="receivedAt"/> (default: the same time): same key and
    /// values, new conversion id.
    /// </summary>
    public static ConversionRecord Retry(ConversionRecord original, DateTimeOffset? receivedAt = null) => original with
    {
        Id = "conv_" + NewId(),
        Conversion = original.Conversion with { ReceivedAt = receivedAt ?? original.Conversion.ReceivedAt },
    };

    /// <summary>The log entry that records the request of <paramref name="conversion"/>.</summary>
    public static PostbackLogEntry LogEntryFor(ConversionRecord conversion) =>
        LogEntry(conversion.Conversion.SetId, conversion.Conversion.ReceivedAt, PostbackOutcome.Rejected) with { Code = null };
}
