using System.Net;
using System.Text.Json;
using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Storage;

namespace Chatterfy.Postbacks.Tests.Storage;

/// <summary>
/// Builders for store test data in this project (the conformance suite has its own). Every call returns fresh, unique ids
/// and tokens; customize the result with <c>with</c>.
/// </summary>
internal static class StoreData
{
    public static readonly DateTimeOffset Epoch = new(2025, 3, 14, 9, 26, 53, TimeSpan.Zero);

    /// <summary>A new unique id of the SDK's shape (32 lower-case hex digits).</summary>
    public static string NewId() => Guid.NewGuid().ToString("N");

    public static PostbackSet Set(string? campaignId = null) => new()
    {
        Id = NewId(),
        Name = "Binomo main",
        NetworkId = "binomo",
        CampaignId = campaignId,
        Token = "tok_" + NewId(),
        Settings = Json("""{"defaultCurrency":"USD"}"""),
        CreatedAt = Epoch,
    };

    public static Click Click(string? campaignId = "camp-1") => new()
    {
        Id = "c" + NewId()[..11],
        CampaignId = campaignId,
        IpAddress = IPAddress.Parse("203.0.113.7"),
        UserAgent = "Mozilla/5.0",
        CreatedAt = Epoch,
        Fields = new Dictionary<string, string> { ["ad_name"] = "spring-1" },
    };

    /// <summary>A credited first deposit of 12.50 USD with a unique id, click id and permanent key (a store numbers it 1: the first deposit of its click).</summary>
    public static ConversionRecord Conversion(string? setId = null, string? clickId = null, DateTimeOffset? receivedAt = null, IdempotencyKey? key = null) => new()
    {
        Id = NewId(),
        Attribution = ConversionAttribution.Credited,
        CampaignId = "camp-1",
        Conversion = new Conversion
        {
            SetId = setId ?? NewId(),
            Event = PostbackEvent.FirstDeposit,
            ClickId = clickId ?? "c" + NewId()[..11],
            Amount = 12.50m,
            Currency = "USD",
            TransactionId = "tx_" + NewId(),
            Attributes = new Dictionary<string, string> { ["user_id"] = "987654" },
            ReceivedAt = receivedAt ?? Epoch,
            RemoteAddress = IPAddress.Parse("198.51.100.23"),
            IdempotencyKey = key ?? new IdempotencyKey("key_" + NewId(), null),
        },
    };

    public static PostbackLogEntry LogEntry(string? setId = null, DateTimeOffset? receivedAt = null) => new()
    {
        Id = NewId(),
        ReceivedAt = receivedAt ?? Epoch,
        SetId = setId ?? NewId(),
        Outcome = PostbackOutcome.Rejected,
        Code = "click_id_missing",
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

    /// <summary>The record that stores <paramref name="conversion"/> as accepted, with its log entry.</summary>
    public static IngestRecord Stored(ConversionRecord conversion, ReceivedRange range = default) => new()
    {
        Conversion = conversion,
        DuplicateRange = range,
        LogEntry = LogEntry(conversion.Conversion.SetId, conversion.Conversion.ReceivedAt) with
        {
            Outcome = PostbackOutcome.Accepted,
            Code = null,
            ConversionId = conversion.Id,
        },
    };

    /// <summary>The record of a rejected request: its log entry alone.</summary>
    public static IngestRecord Rejected(PostbackLogEntry entry) => new() { LogEntry = entry };

    /// <summary>Appends one record and returns its result.</summary>
    public static async Task<IngestResult> AppendAsync(this IngestStore store, IngestRecord record) =>
        (await store.AppendAsync([record], CancellationToken.None)).Single();

    public static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
