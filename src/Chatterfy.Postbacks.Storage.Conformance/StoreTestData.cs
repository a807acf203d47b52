using System.Net;
using System.Text.Json;
using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.PostbackSets;

namespace Chatterfy.Postbacks.Storage.Conformance;

/// <summary>
/// Builders for store test data: sets, clicks, conversions, log entries and the <see cref="IngestRecord"/>s that carry
/// them. Every call returns fresh, unique ids and tokens; customize the result with <c>with</c>. Times are whole seconds
/// in UTC so that every database keeps them exactly.
/// </summary>
public static class StoreTestData
{
    /// <summary>A fixed instant the tests start from; the suite's clock starts here too.</summary>
    public static readonly DateTimeOffset Epoch = new(2025, 3, 14, 9, 26, 53, TimeSpan.Zero);

    /// <summary>Returns a new unique, URL-safe id (32 lower-case hex digits).</summary>
    /// <returns>The id.</returns>
    public static string NewId() => Guid.NewGuid().ToString("N");

    /// <summary>Parses a JSON object for <see cref="PostbackSet.Settings"/> or a forwarding rule's settings.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>A copy of the root element that outlives the document.</returns>
    public static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>Creates a set of the Binomo network with a unique id and token, and settings.</summary>
    /// <param name="createdAt">When it was created; <see cref="Epoch"/> when <see langword="null"/>.</param>
    /// <param name="campaignId">The campaign it is scoped to, or <see langword="null"/>.</param>
    /// <returns>The set.</returns>
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

    /// <summary>Creates a click with a unique id and every optional value filled in.</summary>
    /// <param name="createdAt">When it was created; <see cref="Epoch"/> when <see langword="null"/>.</param>
    /// <param name="campaignId">Its campaign, or <see langword="null"/>.</param>
    /// <returns>The click.</returns>
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

    /// <summary>
    /// Creates the credit the core applies when <paramref name="click"/> is added: the unattributed conversions of its id
    /// without a campaign or of the click's campaign become credited to the click's campaign.
    /// </summary>
    /// <param name="click">The new click.</param>
    /// <returns>The credit.</returns>
    public static ConversionCredit Credit(Click click)
    {
        ArgumentNullException.ThrowIfNull(click);
        return new() { CampaignIds = [null, click.CampaignId], NewCampaignId = click.CampaignId };
    }

    /// <summary>Creates a credit that credits nothing.</summary>
    /// <returns>The credit.</returns>
    public static ConversionCredit NoCredit() => new() { CampaignIds = [] };

    /// <summary>Creates a key that de-duplicates forever.</summary>
    /// <returns>The key.</returns>
    public static IdempotencyKey PermanentKey() => new("key_" + NewId(), null);

    /// <summary>Creates a key that de-duplicates within <paramref name="window"/> either side of a stored conversion.</summary>
    /// <param name="window">The window.</param>
    /// <returns>The key.</returns>
    public static IdempotencyKey WindowedKey(TimeSpan window) => new("key_" + NewId(), window);

    /// <summary>
    /// Creates a credited first deposit of 12.50 USD with a unique id, click id, transaction id and (by default) permanent
    /// key. Its <see cref="ConversionRecord.DepositNumber"/> is the one a store gives it when it is the first deposit of its
    /// click: 1 when credited, none when unattributed (stores number conversions themselves; see <see cref="DepositNumbering"/>).
    /// </summary>
    /// <param name="setId">The set; a new id when <see langword="null"/>.</param>
    /// <param name="clickId">The click id; a new one when <see langword="null"/>.</param>
    /// <param name="receivedAt">When it was received; <see cref="Epoch"/> when <see langword="null"/>.</param>
    /// <param name="key">The idempotency key; a new permanent key when <see langword="null"/>.</param>
    /// <param name="attribution">The attribution; a credited conversion counts toward <c>camp-1</c>, an unattributed one toward no campaign.</param>
    /// <returns>The conversion.</returns>
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
            DepositNumber = attribution == ConversionAttribution.Credited ? DepositNumbering.First : null,
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

    /// <summary>Creates a log entry with a unique id and a GET request; a rejection unless <paramref name="outcome"/> says otherwise.</summary>
    /// <param name="setId">The set; a new id when <see langword="null"/>.</param>
    /// <param name="receivedAt">When it was received; <see cref="Epoch"/> when <see langword="null"/>.</param>
    /// <param name="outcome">The outcome; a rejection carries the code <c>click_id_missing</c>.</param>
    /// <returns>The entry.</returns>
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
    /// Creates an identical postback received again at <paramref name="receivedAt"/> (default: the same time): same key
    /// and values, new conversion id.
    /// </summary>
    /// <param name="original">The conversion to repeat.</param>
    /// <param name="receivedAt">When the repeat was received.</param>
    /// <returns>The repeat.</returns>
    public static ConversionRecord Retry(ConversionRecord original, DateTimeOffset? receivedAt = null)
    {
        ArgumentNullException.ThrowIfNull(original);
        return original with
        {
            Id = "conv_" + NewId(),
            Conversion = original.Conversion with { ReceivedAt = receivedAt ?? original.Conversion.ReceivedAt },
        };
    }

    /// <summary>
    /// Creates the log entry the core writes for <paramref name="conversion"/> when it is stored: outcome
    /// <see cref="PostbackOutcome.Accepted"/> when credited, <see cref="PostbackOutcome.Unattributed"/> otherwise, and the
    /// conversion's id; no deposit number (the store writes the one it assigns).
    /// </summary>
    /// <param name="conversion">The conversion.</param>
    /// <returns>The entry.</returns>
    public static PostbackLogEntry LogEntryFor(ConversionRecord conversion)
    {
        ArgumentNullException.ThrowIfNull(conversion);
        var outcome = conversion.Attribution == ConversionAttribution.Credited ? PostbackOutcome.Accepted : PostbackOutcome.Unattributed;
        return LogEntry(conversion.Conversion.SetId, conversion.Conversion.ReceivedAt, outcome) with { ConversionId = conversion.Id };
    }


    /// <summary>
    /// Gets the receive-time range in which a stored conversion with the same key makes <paramref name="conversion"/> a
    /// duplicate, as the core gives it: strictly within the key's window either side of its receive time, or
    /// <see cref="ReceivedRange.Always"/> for a key without a window.
    /// </summary>
    /// <param name="conversion">The conversion.</param>
    /// <returns>The range.</returns>
    public static ReceivedRange DuplicateRangeOf(Conversion conversion)
    {
        ArgumentNullException.ThrowIfNull(conversion);
        return conversion.IdempotencyKey.Window is { } window
            ? new ReceivedRange(conversion.ReceivedAt - window, conversion.ReceivedAt + window)
            : ReceivedRange.Always;
    }

    /// <summary>
    /// Creates the record the core appends for <paramref name="conversion"/>: its log entry (<see cref="LogEntryFor"/>),
    /// its duplicate range (<see cref="DuplicateRangeOf"/>) and <paramref name="outboxMessages"/>.
    /// </summary>
    /// <param name="conversion">The conversion.</param>
    /// <param name="outboxMessages">The outbox messages to write with it when it is stored.</param>
    /// <returns>The record.</returns>
    public static IngestRecord Record(ConversionRecord conversion, params OutboxMessage[] outboxMessages)
    {
        ArgumentNullException.ThrowIfNull(conversion);
        return new()
        {
            LogEntry = LogEntryFor(conversion),
            Conversion = conversion,
            DuplicateRange = DuplicateRangeOf(conversion.Conversion),
            OutboxMessages = outboxMessages,
        };
    }

    /// <summary>Creates the record of a request that stores only its log entry (a rejection, say).</summary>
    /// <param name="logEntry">The log entry.</param>
    /// <returns>The record.</returns>
    public static IngestRecord Record(PostbackLogEntry logEntry) => new() { LogEntry = logEntry };
}
