using System.Net;
using System.Text.Json;
using Chatterfy.Postbacks.Campaigns;
using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Storage;

namespace Chatterfy.Postbacks.Sqlite.Tests.Upgrade;

/// <summary>
/// What the database in <c>v2-62809e0.sql</c> holds, as the SDK's types: the state the code of commit 62809e0 (schema
/// version 2) left after <c>Generator/Program.cs</c> wrote it through its real store. The generator checks that the store
/// reads this back before it dumps the file; the upgrade test checks that the upgraded store reads exactly the same.
/// </summary>
/// <remarks>
/// This file compiles against both the old and the new code, so it names only types both have. Every table is filled:
/// sets (one with its token rotated and the previous one in grace, one rotated twice, one deleted), tokens, campaigns,
/// clicks (with personal data, without, erased), conversions (credited, unattributed, credited late by a click, windowed,
/// custom, of a deleted set), log entries of every outcome, forwarding rules (one deleted), outbox messages of every
/// status (delivered, dead-lettered, pending after a retry, pending under a live lease, pending of a deleted rule, replayed
/// after a dead letter) and their attempts.
/// </remarks>
internal static class V2Database
{
    /// <summary>The first instant of the data; times carry sub-millisecond ticks, which must survive exactly.</summary>
    public static readonly DateTimeOffset T0 = new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero).AddTicks(1_234_567);

    /// <summary>A time after everything in the database and before every lease and grace period ends.</summary>
    public static readonly DateTimeOffset Now = T0.AddDays(1);

    public const string SetAId = "0193a0c1b2c37d4e8f9a0b1c2d3e4f01";
    public const string SetBId = "0193a0c1b2c37d4e8f9a0b1c2d3e4f02";
    public const string SetCId = "0193a0c1b2c37d4e8f9a0b1c2d3e4f03";

    public const string SetATokenFirst = "tokA1-Zx9vQm3LpW8rT2yB";
    public const string SetATokenCurrent = "tokA2-Hn4cVk7JsD1fG6eR";
    public const string SetBTokenFirst = "tokB1-Qa2wSx3EdC4rFv5T";
    public const string SetBTokenSecond = "tokB2-Gb6yHn7UjM8iKo9L";
    public const string SetBTokenCurrent = "tokB3-Pl0oKi9JuY8hTg7R";
    public const string SetCToken = "tokC1-Fr5dEs4WaQ3zXc2V";

    /// <summary>Until when set A's first token still works (in grace at <see cref="Now"/>).</summary>
    public static readonly DateTimeOffset SetAGraceEnd = T0.AddDays(30);

    /// <summary>Until when set B's second token worked (ended before <see cref="Now"/>).</summary>
    public static readonly DateTimeOffset SetBGraceEnd = T0.AddHours(1);

    public const string CampaignSpring = "camp-spring";
    public const string CampaignAutumn = "camp-autumn";

    public const string Click1Id = "cA1b2C3d4E5f";
    public const string Click2Id = "cB2c3D4e5F6g";
    public const string Click3Id = "cC3d4E5f6G7h";
    public const string Click4Id = "cD4e5F6g7H8i";
    public const string UnknownClickId = "cUnknown0001";
    public const string LateClickId = "cLate0000002";

    public const string Rule1Id = "rule-facebook";
    public const string Rule2Id = "rule-s2s";
    public const string Rule3Id = "rule-deleted";

    public static PostbackSet SetA { get; } = new()
    {
        Id = SetAId,
        Name = "Binomo main",
        NetworkId = "binomo",
        CampaignId = CampaignSpring,
        Token = SetATokenCurrent,
        Settings = Json("""{"clickIdParameter":"click_id","defaultCurrency":"USD","events":{"reg":"registration","ftd":"first-deposit"}}"""),
        CreatedAt = T0.AddDays(-2),
        Enabled = true,
    };

    public static PostbackSet SetB { get; } = new()
    {
        Id = SetBId,
        Name = "1Win backup",
        NetworkId = "1win",
        CampaignId = null,
        Token = SetBTokenCurrent,
        Settings = null,
        CreatedAt = T0.AddDays(-2).AddMinutes(1),
        Enabled = false,
    };

    /// <summary>Deleted: not found by id or token, its id and token stay used, its conversions and log entries stay.</summary>
    public static PostbackSet SetC { get; } = new()
    {
        Id = SetCId,
        Name = "Custom (gone)",
        NetworkId = "custom",
        CampaignId = CampaignAutumn,
        Token = SetCToken,
        Settings = Json("""{"clickIdParameter":"sub1"}"""),
        CreatedAt = T0.AddDays(-2).AddMinutes(2),
        Enabled = true,
    };

    public static Campaign Spring { get; } = new()
    {
        Id = CampaignSpring,
        Name = "Spring promo",
        DestinationTemplate = "https://t.me/spring_bot?start={click_id}",
        CreatedAt = T0.AddDays(-3),
    };

    public static Campaign Autumn { get; } = new()
    {
        Id = CampaignAutumn,
        Name = null,
        DestinationTemplate = "https://t.me/autumn_bot?start={click_id}&src={fields.utm_source}",
        CreatedAt = T0.AddDays(-3).AddMinutes(5),
    };

    public static Click Click1 { get; } = new()
    {
        Id = Click1Id,
        CampaignId = CampaignSpring,
        SubjectId = "chat-1001",
        Fbclid = "IwAR0abcdefghijklmnop",
        Fbc = "fb.1.1554763741205.IwAR0abcdefghijklmnop",
        Fbp = "fb.1.1558571054389.1098115397",
        IpAddress = IPAddress.Parse("203.0.113.7"),
        UserAgent = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X)",
        EventSourceUrl = "https://example.com/landing?utm_source=fb",
        CreatedAt = T0,
        Fields = new Dictionary<string, string> { ["ad_name"] = "spring-1", ["utm_source"] = "facebook" },
    };

    public static Click Click2 { get; } = new()
    {
        Id = Click2Id,
        CreatedAt = T0.AddMinutes(10),
        Fields = new Dictionary<string, string>(),
    };

    /// <summary>Created after a conversion for it arrived: that conversion was credited late.</summary>
    public static Click Click3 { get; } = new()
    {
        Id = Click3Id,
        CampaignId = CampaignSpring,
        SubjectId = "chat-1003",
        IpAddress = IPAddress.Parse("192.0.2.44"),
        UserAgent = "Mozilla/5.0 (Linux; Android 14)",
        CreatedAt = T0.AddHours(4),
        Fields = new Dictionary<string, string> { ["utm_source"] = "tiktok", ["city"] = "São Paulo" },
    };

    /// <summary>As created (with personal data); <see cref="Click4Erased"/> is how it is stored.</summary>
    public static Click Click4 { get; } = new()
    {
        Id = Click4Id,
        CampaignId = CampaignAutumn,
        SubjectId = "chat-1004",
        Fbp = "fb.1.1558571054389.2098115397",
        IpAddress = IPAddress.Parse("2001:db8::7"),
        UserAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64)",
        CreatedAt = T0.AddMinutes(20),
        Fields = new Dictionary<string, string> { ["utm_source"] = "google" },
    };

    /// <summary>Click 4 after its personal data was erased.</summary>
    public static Click Click4Erased { get; } = Click4 with { IpAddress = null, UserAgent = null };

    public static IReadOnlyList<Click> Clicks { get; } = [Click1, Click2, Click3, Click4Erased];

    public static ConversionRecord Conv1FirstDeposit { get; } = Conversion(
        "0193a0c2000070008000000000000001", SetAId, PostbackEvent.FirstDeposit, Click1Id, T0.AddHours(1), ConversionAttribution.Credited, CampaignSpring,
        amount: 100.50m, currency: "USD", transactionId: "TX-1001",
        attributes: new Dictionary<string, string> { ["user_id"] = "987654", ["country"] = "BR" },
        remoteAddress: "198.51.100.23",
        key: new IdempotencyKey($"{SetAId}:first-deposit:{Click1Id}", null));

    public static ConversionRecord Conv2Registration { get; } = Conversion(
        "0193a0c2000070008000000000000002", SetAId, PostbackEvent.Registration, Click1Id, T0.AddMinutes(30), ConversionAttribution.Credited, CampaignSpring,
        key: new IdempotencyKey($"{SetAId}:registration:{Click1Id}", null));

    /// <summary>A deposit without a transaction id: its key de-duplicates within a 24-hour window.</summary>
    public static ConversionRecord Conv3WindowedDeposit { get; } = Conversion(
        "0193a0c2000070008000000000000003", SetAId, PostbackEvent.Deposit, Click1Id, T0.AddHours(2), ConversionAttribution.Credited, CampaignSpring,
        amount: 25.00m, currency: "EUR", remoteAddress: "198.51.100.23",
        key: new IdempotencyKey($"{SetAId}:deposit:{Click1Id}:h:Jq3Vb8mZr2LxT0uWc9Kd1eNf", TimeSpan.FromHours(24)));

    /// <summary>A custom event for a click the tracker never saw: unattributed, no campaign (set B has none).</summary>
    public static ConversionRecord Conv4Custom { get; } = Conversion(
        "0193a0c2000070008000000000000004", SetBId, Custom("EmailConf"), UnknownClickId, T0.AddHours(2).AddMinutes(30), ConversionAttribution.Unattributed, null,
        transactionId: "E-77", attributes: new Dictionary<string, string> { ["city"] = "São Paulo", ["empty"] = "" },
        remoteAddress: "2001:db8::1",
        key: new IdempotencyKey($"{SetBId}:emailconf:{UnknownClickId}:t:E-77", null));

    /// <summary>Arrived before click 3: stored unattributed (set A's campaign), credited when the click was created.</summary>
    public static ConversionRecord Conv5LateCredited { get; } = Conversion(
        "0193a0c2000070008000000000000005", SetAId, PostbackEvent.FirstDeposit, Click3Id, T0.AddHours(3), ConversionAttribution.Credited, CampaignSpring,
        amount: 0.00000001m, currency: "USD", transactionId: "TX-3003",
        key: new IdempotencyKey($"{SetAId}:first-deposit:{Click3Id}", null));

    public static ConversionRecord Conv6BigAmount { get; } = Conversion(
        "0193a0c2000070008000000000000006", SetBId, PostbackEvent.Deposit, Click2Id, T0.AddHours(3).AddMinutes(10), ConversionAttribution.Credited, null,
        amount: 999999999999.99999999m, currency: "USD", transactionId: "T-9",
        key: new IdempotencyKey($"{SetBId}:deposit:{Click2Id}:t:T-9", null));

    /// <summary>Of set C, deleted since.</summary>
    public static ConversionRecord Conv7DeletedSet { get; } = Conversion(
        "0193a0c2000070008000000000000007", SetCId, PostbackEvent.Registration, Click4Id, T0.AddHours(3).AddMinutes(20), ConversionAttribution.Credited, CampaignAutumn,
        key: new IdempotencyKey($"{SetCId}:registration:{Click4Id}", null));

    /// <summary>Unattributed for good (no click), with a one-hour window.</summary>
    public static ConversionRecord Conv8WindowedUnattributed { get; } = Conversion(
        "0193a0c2000070008000000000000008", SetAId, PostbackEvent.Deposit, LateClickId, T0.AddHours(3).AddMinutes(30), ConversionAttribution.Unattributed, CampaignSpring,
        amount: -5.5m, currency: "USD", attributes: new Dictionary<string, string> { ["note"] = "refund \"partial\"" },
        key: new IdempotencyKey($"{SetAId}:deposit:{LateClickId}:h:Pq7Ws2Er5Ty8Ui1Op4As6Df", TimeSpan.FromHours(1)));

    public static IReadOnlyList<ConversionRecord> Conversions { get; } =
        [Conv1FirstDeposit, Conv2Registration, Conv3WindowedDeposit, Conv4Custom, Conv5LateCredited, Conv6BigAmount, Conv7DeletedSet, Conv8WindowedUnattributed];

    /// <summary>A retry of conversion 1 (permanent key), answered as its duplicate; its id was never stored.</summary>
    public static ConversionRecord Conv1Retry { get; } = Conv1FirstDeposit with
    {
        Id = "0193a0c2000070008000000000000091",
        Conversion = Conv1FirstDeposit.Conversion with { ReceivedAt = T0.AddHours(5) },
    };

    /// <summary>A retry of conversion 3 one hour later, inside its window: a duplicate.</summary>
    public static ConversionRecord Conv3Retry { get; } = Conv3WindowedDeposit with
    {
        Id = "0193a0c2000070008000000000000093",
        Conversion = Conv3WindowedDeposit.Conversion with { ReceivedAt = T0.AddHours(3) },
    };

    public static PostbackLogEntry Log1 { get; } = Entry("0193a0c3000070008000000000000001", Conv1FirstDeposit, PostbackOutcome.Accepted, Conv1FirstDeposit.Id,
        "/api/postbacks/" + SetATokenFirst + "/first-deposit", "first-deposit", "?click_id=cA1b2C3d4E5f&amount=100.50&currency=USD&tx=TX-1001&user_id=987654&country=BR");

    public static PostbackLogEntry Log2 { get; } = Entry("0193a0c3000070008000000000000002", Conv2Registration, PostbackOutcome.Accepted, Conv2Registration.Id,
        "/api/postbacks/" + SetATokenFirst, null, "?event=reg&click_id=cA1b2C3d4E5f");

    public static PostbackLogEntry Log3 { get; } = Entry("0193a0c3000070008000000000000003", Conv3WindowedDeposit, PostbackOutcome.Accepted, Conv3WindowedDeposit.Id,
        "/api/postbacks/" + SetATokenFirst + "/deposit", "deposit", "?click_id=cA1b2C3d4E5f&amount=25,00&currency=eur&sub2={sub2}") with
    {
        Warnings = ["amount_decimal_comma", "macro_not_substituted"],
    };

    public static PostbackLogEntry Log4 { get; } = Entry("0193a0c3000070008000000000000004", Conv4Custom, PostbackOutcome.Unattributed, Conv4Custom.Id,
        "/api/postbacks/" + SetBTokenFirst + "/EmailConf", "EmailConf", "") with
    {
        Request = new PostbackRequest
        {
            Method = "POST",
            Path = "/api/postbacks/" + SetBTokenFirst + "/EmailConf",
            EventSegment = "EmailConf",
            QueryString = "",
            Body = """{"click_id":"cUnknown0001","transaction_id":"E-77","fields":{"city":"São Paulo","empty":""}}""",
            ContentType = "application/json; charset=utf-8",
            RemoteAddress = IPAddress.Parse("2001:db8::1"),
        },
    };

    /// <summary>Answered unattributed; the late credit of its conversion leaves the entry as it was answered.</summary>
    public static PostbackLogEntry Log5 { get; } = Entry("0193a0c3000070008000000000000005", Conv5LateCredited, PostbackOutcome.Unattributed, Conv5LateCredited.Id,
        "/api/postbacks/" + SetATokenFirst + "/first-deposit", "first-deposit", "?click_id=cC3d4E5f6G7h&amount=0.00000001&tx=TX-3003");

    public static PostbackLogEntry Log6 { get; } = Entry("0193a0c3000070008000000000000006", Conv6BigAmount, PostbackOutcome.Accepted, Conv6BigAmount.Id,
        "/api/postbacks/" + SetBTokenSecond + "/deposit", "deposit", "?click_id=cB2c3D4e5F6g&amount=999999999999.99999999&tx=T-9");

    public static PostbackLogEntry Log7 { get; } = Entry("0193a0c3000070008000000000000007", Conv7DeletedSet, PostbackOutcome.Accepted, Conv7DeletedSet.Id,
        "/api/postbacks/" + SetCToken + "/registration", "registration", "?sub1=cD4e5F6g7H8i");

    public static PostbackLogEntry Log8 { get; } = Entry("0193a0c3000070008000000000000008", Conv8WindowedUnattributed, PostbackOutcome.Unattributed, Conv8WindowedUnattributed.Id,
        "/api/postbacks/" + SetATokenFirst + "/deposit", "deposit", "?click_id=cLate0000002&amount=-5.5");

    public static PostbackLogEntry Log9Duplicate { get; } = Entry("0193a0c3000070008000000000000009", Conv1Retry, PostbackOutcome.Duplicate, Conv1FirstDeposit.Id,
        "/api/postbacks/" + SetATokenCurrent + "/first-deposit", "first-deposit", "?click_id=cA1b2C3d4E5f&amount=100.50&currency=USD&tx=TX-1001&user_id=987654&country=BR");

    public static PostbackLogEntry Log10Duplicate { get; } = Entry("0193a0c3000070008000000000000010", Conv3Retry, PostbackOutcome.Duplicate, Conv3WindowedDeposit.Id,
        "/api/postbacks/" + SetATokenFirst + "/deposit", "deposit", "?click_id=cA1b2C3d4E5f&amount=25,00&currency=eur");

    public static PostbackLogEntry Log11Rejected { get; } = new()
    {
        Id = "0193a0c3000070008000000000000011",
        ReceivedAt = T0.AddHours(5).AddMinutes(1),
        SetId = SetAId,
        Outcome = PostbackOutcome.Rejected,
        Code = "click_id_missing",
        Warnings = ["macro_not_substituted"],
        ConversionId = null,
        Request = new PostbackRequest
        {
            Method = "GET",
            Path = "/api/postbacks/" + SetATokenCurrent + "/first-deposit",
            EventSegment = "first-deposit",
            QueryString = "?click_id=%7Bsub1%7D&amount=12,50",
            RemoteAddress = IPAddress.Parse("198.51.100.23"),
        },
    };

    public static PostbackLogEntry Log12Rejected { get; } = new()
    {
        Id = "0193a0c3000070008000000000000012",
        ReceivedAt = T0.AddHours(5).AddMinutes(2),
        SetId = SetCId,
        Outcome = PostbackOutcome.Rejected,
        Code = "amount_invalid",
        Warnings = [],
        ConversionId = null,
        Request = new PostbackRequest
        {
            Method = "POST",
            Path = "/api/postbacks/" + SetCToken + "/deposit",
            EventSegment = "deposit",
            QueryString = "?sub1=cD4e5F6g7H8i",
            Body = "amount=abc",
            ContentType = "application/x-www-form-urlencoded",
            RemoteAddress = null,
        },
    };

    public static IReadOnlyList<PostbackLogEntry> LogEntries { get; } =
        [Log1, Log2, Log3, Log4, Log5, Log6, Log7, Log8, Log9Duplicate, Log10Duplicate, Log11Rejected, Log12Rejected];

    public static ForwardingRule Rule1 { get; } = new()
    {
        Id = Rule1Id,
        Name = "Facebook main",
        SetId = null,
        CampaignId = CampaignSpring,
        DestinationId = "facebook",
        Settings = Json("""{"pixelId":"1234567890","accessToken":"protected:CfDJ8AbCdEf0123456789","testEventCode":null}"""),
        CreatedAt = T0.AddDays(-1),
    };

    public static ForwardingRule Rule2 { get; } = new()
    {
        Id = Rule2Id,
        Name = null,
        SetId = SetAId,
        CampaignId = null,
        DestinationId = "http-postback",
        Settings = Json("""{"url":"https://tracker.example/postback?cid={click_id}&sum={amount}","method":"GET"}"""),
        CreatedAt = T0.AddDays(-1).AddMinutes(1),
    };

    /// <summary>Deleted after its message was written; the message stays.</summary>
    public static ForwardingRule Rule3 { get; } = new()
    {
        Id = Rule3Id,
        Name = "Old pixel",
        DestinationId = "facebook",
        Settings = Json("""{"pixelId":"42"}"""),
        CreatedAt = T0.AddDays(-1).AddMinutes(2),
    };

    public static IReadOnlyList<ForwardingRule> Rules { get; } = [Rule1, Rule2];

    /// <summary>Delivered at its first attempt.</summary>
    public static OutboxMessage Message1Delivered { get; } = new()
    {
        Id = "0193a0c4000070008000000000000001",
        ConversionId = Conv1FirstDeposit.Id,
        RuleId = Rule1Id,
        DestinationId = "facebook",
        CreatedAt = T0.AddHours(1),
        Status = OutboxMessageStatus.Delivered,
        NextAttemptAt = T0.AddHours(1),
        RetryFrom = T0.AddHours(1),
        AttemptCount = 1,
        CompletedAt = T0.AddHours(1).AddSeconds(2),
    };

    /// <summary>Leased and never completed: pending under a lease that is live at <see cref="Now"/>.</summary>
    public static OutboxMessage Message4Leased { get; } = new()
    {
        Id = "0193a0c4000070008000000000000004",
        ConversionId = Conv1FirstDeposit.Id,
        RuleId = Rule2Id,
        DestinationId = "http-postback",
        CreatedAt = T0.AddHours(1),
        Status = OutboxMessageStatus.Pending,
        NextAttemptAt = T0.AddHours(1).AddSeconds(1),
        RetryFrom = T0.AddHours(1),
        LeaseId = "lease-live",
        LeaseExpiresAt = T0.AddHours(1).AddMinutes(1).AddDays(3650),
    };

    /// <summary>Of the deleted rule; never attempted.</summary>
    public static OutboxMessage Message5OfDeletedRule { get; } = new()
    {
        Id = "0193a0c4000070008000000000000005",
        ConversionId = Conv2Registration.Id,
        RuleId = Rule3Id,
        DestinationId = "facebook",
        CreatedAt = T0.AddMinutes(30),
        Status = OutboxMessageStatus.Pending,
        NextAttemptAt = T0.AddDays(400),
        RetryFrom = T0.AddMinutes(30),
    };

    /// <summary>Retried once, then dead-lettered with the destination's own error.</summary>
    public static OutboxMessage Message2DeadLettered { get; } = new()
    {
        Id = "0193a0c4000070008000000000000002",
        ConversionId = Conv3WindowedDeposit.Id,
        RuleId = Rule1Id,
        DestinationId = "facebook",
        CreatedAt = T0.AddHours(2),
        Status = OutboxMessageStatus.DeadLettered,
        NextAttemptAt = T0.AddHours(2).AddMinutes(1),
        RetryFrom = T0.AddHours(2),
        AttemptCount = 2,
        LastErrorCode = "destination_rejected",
        LastError = "Invalid parameter",
        CompletedAt = T0.AddHours(2).AddMinutes(1).AddSeconds(1),
    };

    /// <summary>Pending after a timed-out attempt, next attempt far ahead.</summary>
    public static OutboxMessage Message3Retrying { get; } = new()
    {
        Id = "0193a0c4000070008000000000000003",
        ConversionId = Conv3WindowedDeposit.Id,
        RuleId = Rule2Id,
        DestinationId = "http-postback",
        CreatedAt = T0.AddHours(2),
        Status = OutboxMessageStatus.Pending,
        NextAttemptAt = T0.AddDays(30),
        RetryFrom = T0.AddHours(2),
        AttemptCount = 1,
        LastErrorCode = "timeout",
        LastError = "The request timed out after 00:00:10",
    };

    /// <summary>Dead-lettered, then replayed: pending again with a new retry horizon, its attempt and last error kept.</summary>
    public static OutboxMessage Message6Replayed { get; } = new()
    {
        Id = "0193a0c4000070008000000000000006",
        ConversionId = Conv6BigAmount.Id,
        RuleId = Rule1Id,
        DestinationId = "facebook",
        CreatedAt = T0.AddHours(3).AddMinutes(10),
        Status = OutboxMessageStatus.Pending,
        NextAttemptAt = T0.AddHours(6),
        RetryFrom = T0.AddHours(6),
        AttemptCount = 1,
        LastErrorCode = "destination_settings_invalid",
        LastError = "The pixel id is not a number",
    };

    public static IReadOnlyList<OutboxMessage> Messages { get; } =
        [Message1Delivered, Message2DeadLettered, Message3Retrying, Message4Leased, Message5OfDeletedRule, Message6Replayed];

    public static IReadOnlyList<OutboxAttempt> Message1Attempts { get; } =
    [
        new()
        {
            MessageId = Message1Delivered.Id,
            Number = 1,
            StartedAt = T0.AddHours(1).AddSeconds(1),
            Duration = TimeSpan.FromTicks(1_204_321),
            Status = DeliveryStatus.Delivered,
            HttpStatusCode = 200,
            ResponseExcerpt = """{"events_received":1,"fbtrace_id":"AbCdEf123"}""",
        },
    ];

    public static IReadOnlyList<OutboxAttempt> Message2Attempts { get; } =
    [
        new()
        {
            MessageId = Message2DeadLettered.Id,
            Number = 1,
            StartedAt = T0.AddHours(2).AddSeconds(1),
            Duration = TimeSpan.FromMilliseconds(350),
            Status = DeliveryStatus.Retry,
            HttpStatusCode = 503,
            ErrorCode = "http_503",
            Reason = "Service Unavailable",
            ResponseExcerpt = "upstream busy",
        },
        new()
        {
            MessageId = Message2DeadLettered.Id,
            Number = 2,
            StartedAt = T0.AddHours(2).AddMinutes(1),
            Duration = TimeSpan.FromMilliseconds(410),
            Status = DeliveryStatus.DeadLetter,
            HttpStatusCode = 400,
            ErrorCode = "destination_rejected",
            Reason = "Invalid parameter",
            ResponseExcerpt = """{"error":{"message":"Invalid parameter","type":"OAuthException","code":100,"error_subcode":2804003,"fbtrace_id":"AbCdEf"}}""",
            DestinationError = new DestinationError
            {
                Code = "100",
                Subcode = "2804003",
                Type = "OAuthException",
                Message = "Invalid parameter",
                TraceId = "AbCdEf",
                IsTransient = false,
            },
        },
    ];

    public static IReadOnlyList<OutboxAttempt> Message3Attempts { get; } =
    [
        new()
        {
            MessageId = Message3Retrying.Id,
            Number = 1,
            StartedAt = T0.AddHours(2).AddSeconds(2),
            Duration = TimeSpan.FromSeconds(10),
            Status = DeliveryStatus.Retry,
            ErrorCode = "timeout",
            Reason = "The request timed out after 00:00:10",
            DestinationError = new DestinationError { IsTransient = true },
        },
    ];

    public static IReadOnlyList<OutboxAttempt> Message6Attempts { get; } =
    [
        new()
        {
            MessageId = Message6Replayed.Id,
            Number = 1,
            StartedAt = T0.AddHours(3).AddMinutes(11),
            Duration = TimeSpan.Zero,
            Status = DeliveryStatus.DeadLetter,
            ErrorCode = "destination_settings_invalid",
            Reason = "The pixel id is not a number",
        },
    ];

    /// <summary>Each message's attempts, by number.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<OutboxAttempt>> Attempts { get; } = new Dictionary<string, IReadOnlyList<OutboxAttempt>>
    {
        [Message1Delivered.Id] = Message1Attempts,
        [Message2DeadLettered.Id] = Message2Attempts,
        [Message3Retrying.Id] = Message3Attempts,
        [Message4Leased.Id] = [],
        [Message5OfDeletedRule.Id] = [],
        [Message6Replayed.Id] = Message6Attempts,
    };

    /// <summary>The stats the code of commit 62809e0 computed on this database, by query (captured by the generator).</summary>
    public static IReadOnlyList<(PostbackStatsQuery Query, PostbackStats Stats)> Stats { get; } =
    [
        (new PostbackStatsQuery(), new PostbackStats
        {
            Clicks = 4, Registrations = 2, FirstDeposits = 2, Deposits = 2, Unattributed = 2, Rejected = 2,
            Amounts = [new CurrencyAmounts("EUR", 0m, 25.00m), new CurrencyAmounts("USD", 100.50000001m, 999999999999.99999999m)],
        }),
        (new PostbackStatsQuery { SetId = SetAId }, new PostbackStats
        {
            Clicks = 2, Registrations = 1, FirstDeposits = 2, Deposits = 1, Unattributed = 1, Rejected = 1,
            Amounts = [new CurrencyAmounts("EUR", 0m, 25.00m), new CurrencyAmounts("USD", 100.50000001m, 0m)],
        }),
        (new PostbackStatsQuery { CampaignId = CampaignSpring }, new PostbackStats
        {
            Clicks = 2, Registrations = 1, FirstDeposits = 2, Deposits = 1, Unattributed = 1, Rejected = 1,
            Amounts = [new CurrencyAmounts("EUR", 0m, 25.00m), new CurrencyAmounts("USD", 100.50000001m, 0m)],
        }),
        (new PostbackStatsQuery { CampaignId = CampaignAutumn }, new PostbackStats
        {
            Clicks = 1, Registrations = 1, FirstDeposits = 0, Deposits = 0, Unattributed = 0, Rejected = 1,
            Amounts = [],
        }),
        (new PostbackStatsQuery { From = T0.AddHours(1), To = T0.AddHours(3) }, new PostbackStats
        {
            Clicks = 0, Registrations = 0, FirstDeposits = 1, Deposits = 1, Unattributed = 1, Rejected = 0,
            Amounts = [new CurrencyAmounts("EUR", 0m, 25.00m), new CurrencyAmounts("USD", 100.50m, 0m)],
        }),
    ];

    private static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static PostbackEvent Custom(string name) =>
        PostbackEvent.TryParse(name, out var value) ? value : throw new InvalidOperationException($"'{name}' is not an event name.");

    private static ConversionRecord Conversion(
        string id,
        string setId,
        PostbackEvent postbackEvent,
        string clickId,
        DateTimeOffset receivedAt,
        ConversionAttribution attribution,
        string? campaignId,
        IdempotencyKey key,
        decimal? amount = null,
        string? currency = null,
        string? transactionId = null,
        Dictionary<string, string>? attributes = null,
        string? remoteAddress = null) => new()
        {
            Id = id,
            Attribution = attribution,
            CampaignId = campaignId,
            Conversion = new Conversion
            {
                SetId = setId,
                Event = postbackEvent,
                ClickId = clickId,
                Amount = amount,
                Currency = currency,
                TransactionId = transactionId,
                Attributes = attributes ?? new Dictionary<string, string>(),
                ReceivedAt = receivedAt,
                RemoteAddress = remoteAddress is null ? null : IPAddress.Parse(remoteAddress),
                IdempotencyKey = key,
            },
        };

    private static PostbackLogEntry Entry(string id, ConversionRecord conversion, PostbackOutcome outcome, string conversionId, string path, string? eventSegment, string queryString) => new()
    {
        Id = id,
        ReceivedAt = conversion.Conversion.ReceivedAt,
        SetId = conversion.Conversion.SetId,
        Outcome = outcome,
        Code = null,
        Warnings = [],
        ConversionId = conversionId,
        Request = new PostbackRequest
        {
            Method = "GET",
            Path = path,
            EventSegment = eventSegment,
            QueryString = queryString,
            RemoteAddress = conversion.Conversion.RemoteAddress,
        },
    };
}
