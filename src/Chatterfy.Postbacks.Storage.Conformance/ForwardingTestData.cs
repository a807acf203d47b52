using Chatterfy.Postbacks.Campaigns;
using Chatterfy.Postbacks.Forwarding;

namespace Chatterfy.Postbacks.Storage.Conformance;

/// <summary>
/// Builders for forwarding rules, campaigns and outbox messages. Every call returns fresh, unique ids; customize the
/// result with <c>with</c>. Times default to <see cref="StoreTestData.Epoch"/>.
/// </summary>
public static class ForwardingTestData
{
    /// <summary>The destination of the rules and messages built here.</summary>
    public const string DestinationId = "facebook-capi";

    /// <summary>A rule forwarding one set's conversions, with a name and settings that include a secret.</summary>
    public static ForwardingRule SetRule(DateTimeOffset? createdAt = null, string? setId = null) => new()
    {
        Id = "rule_" + StoreTestData.NewId(),
        Name = "Meta pixel (main)",
        SetId = setId ?? "set_" + StoreTestData.NewId(),
        CampaignId = null,
        DestinationId = DestinationId,
        Settings = StoreTestData.Json(
            """{"pixelId":"1234567890","accessToken":"EAAB-secret","testEventCode":null,"events":["first-deposit","registration"],"options":{"sendIp":true,"ratio":1.5}}"""),
        CreatedAt = createdAt ?? StoreTestData.Epoch,
    };

    /// <summary>A rule forwarding one campaign's conversions.</summary>
    public static ForwardingRule CampaignRule(DateTimeOffset? createdAt = null, string? campaignId = null) => SetRule(createdAt) with
    {
        SetId = null,
        CampaignId = campaignId ?? "camp_" + StoreTestData.NewId(),
    };

    /// <summary>A campaign with a unique id, a name and a Telegram destination.</summary>
    public static Campaign Campaign(DateTimeOffset? createdAt = null, string? id = null) => new()
    {
        Id = id ?? "camp_" + StoreTestData.NewId(),
        Name = "Spring launch",
        DestinationTemplate = "https://t.me/mybot?start={{tracker.clickid}}",
        CreatedAt = createdAt ?? StoreTestData.Epoch,
    };

    /// <summary>
    /// A new, pending outbox message of <paramref name="conversionId"/>, due at <paramref name="nextAttemptAt"/>
    /// (default: when created) with its retry horizon measured from its creation.
    /// </summary>
    public static OutboxMessage Message(
        string conversionId,
        DateTimeOffset? createdAt = null,
        DateTimeOffset? nextAttemptAt = null,
        string? ruleId = null,
        string? id = null)
    {
        var created = createdAt ?? StoreTestData.Epoch;
        return new OutboxMessage
        {
            Id = id ?? "msg_" + StoreTestData.NewId(),
            ConversionId = conversionId,
            RuleId = ruleId ?? "rule_" + StoreTestData.NewId(),
            DestinationId = DestinationId,
            CreatedAt = created,
            NextAttemptAt = nextAttemptAt ?? created,
            RetryFrom = created,
        };
    }

    /// <summary>A lease request with a new lease id.</summary>
    public static OutboxLeaseRequest Lease(DateTimeOffset now, TimeSpan? duration = null, int maxCount = 100) => new()
    {
        LeaseId = "lease_" + StoreTestData.NewId(),
        Now = now,
        Duration = duration ?? TimeSpan.FromMinutes(1),
        MaxCount = maxCount,
    };

    /// <summary>A successful attempt: HTTP 200 with a short answer.</summary>
    public static OutboxAttempt Delivered(string messageId, int number, DateTimeOffset startedAt) => new()
    {
        MessageId = messageId,
        Number = number,
        StartedAt = startedAt,
        Duration = TimeSpan.FromMilliseconds(250),
        Status = DeliveryStatus.Delivered,
        HttpStatusCode = 200,
        ResponseExcerpt = """{"events_received":1}""",
    };

    /// <summary>A transient failure: a timeout, with no answer.</summary>
    public static OutboxAttempt TimedOut(string messageId, int number, DateTimeOffset startedAt) => new()
    {
        MessageId = messageId,
        Number = number,
        StartedAt = startedAt,
        Duration = TimeSpan.FromSeconds(10),
        Status = DeliveryStatus.Retry,
        ErrorCode = DeliveryErrorCodes.Timeout,
        Reason = "The destination did not answer within 10 s.",
    };

    /// <summary>A permanent failure reported by the destination, with every value filled in.</summary>
    public static OutboxAttempt Refused(string messageId, int number, DateTimeOffset startedAt) => new()
    {
        MessageId = messageId,
        Number = number,
        StartedAt = startedAt,
        Duration = TimeSpan.FromTicks(1_234_560),
        Status = DeliveryStatus.DeadLetter,
        HttpStatusCode = 400,
        ErrorCode = DeliveryErrorCodes.DestinationError,
        Reason = "Invalid parameter: «event_time» is too old",
        ResponseExcerpt = """{"error":{"message":"Invalid parameter","code":100}}""",
        DestinationError = new DestinationError
        {
            Code = "100",
            Subcode = "2804003",
            Type = "OAuthException",
            Message = "Invalid parameter",
            TraceId = "AbCdEf_" + StoreTestData.NewId(),
            IsTransient = true,
        },
    };
}
