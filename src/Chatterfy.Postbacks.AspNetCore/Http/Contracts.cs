using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Chatterfy.Postbacks.AspNetCore.Http;

// The HTTP contract's bodies (docs/http-api.md). Internal: the JSON is the contract, not these types.

/// <summary>The receiver's 200 body, and the replay's.</summary>
internal sealed record PostbackResultResponse(string Status, string? ConversionId, IReadOnlyList<WarningResponse> Warnings);

/// <summary>A warning: postback warnings carry the field concerned, link warnings do not.</summary>
internal sealed record WarningResponse(
    string Code,
    string Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Field = null);

internal sealed record PostbackSetResponse(
    string Id,
    string Name,
    string Network,
    string? CampaignId,
    bool Enabled,
    DateTime CreatedAt,
    JsonElement? Settings,
    PostbackUrlsResponse Urls);

internal sealed record PostbackUrlsResponse(string Registration, string FirstDeposit, string Deposit, string Base);

internal sealed record PostbackSetListResponse(IReadOnlyList<PostbackSetResponse> Items);

internal sealed record ClickResponse(
    string ClickId,
    string? CampaignId,
    string? SubjectId,
    string? Fbclid,
    string? Fbc,
    string? Fbp,
    string? Ip,
    string? UserAgent,
    string? EventSourceUrl,
    IReadOnlyDictionary<string, string> Fields,
    DateTime CreatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ConversionResponse>? Conversions = null);

internal sealed record ConversionResponse(
    string Id,
    string Event,
    decimal? Amount,
    string? Currency,
    string? Tid,
    DateTime ReceivedAt,
    string SetId,
    string Attribution);

internal sealed record LinkResponse(string Url, IReadOnlyList<WarningResponse> Warnings);

internal sealed record StatsResponse(
    long Clicks,
    long Registrations,
    long FirstDeposits,
    long Deposits,
    long Unattributed,
    long Rejected,
    IReadOnlyList<AmountResponse> Amounts);

internal sealed record AmountResponse(string Currency, decimal FirstDeposits, decimal Deposits);

internal sealed record PostbackLogPageResponse(IReadOnlyList<PostbackLogItemResponse> Items, string? Next);

internal sealed record PostbackLogItemResponse(
    string Id,
    DateTime ReceivedAt,
    string SetId,
    string Method,
    string Path,
    string Query,
    string? Body,
    string? ContentType,
    string? RemoteIp,
    string Outcome,
    string? Code,
    IReadOnlyList<string> Warnings,
    string? ConversionId);

/// <summary>A forwarding rule; <c>settings</c> always has its secrets masked (write-only).</summary>
internal sealed record ForwardingRuleResponse(
    string Id,
    string? Name,
    string? SetId,
    string? CampaignId,
    string Destination,
    JsonElement Settings,
    DateTime CreatedAt);

internal sealed record ForwardingRuleListResponse(IReadOnlyList<ForwardingRuleResponse> Items);

internal sealed record CampaignResponse(string Id, string? Name, string Destination, DateTime CreatedAt);

internal sealed record CampaignListResponse(IReadOnlyList<CampaignResponse> Items);

/// <summary>An outbox message; <c>attempts</c> only on <c>GET /outbox/{id}</c>.</summary>
internal sealed record OutboxMessageResponse(
    string Id,
    string ConversionId,
    string RuleId,
    string Destination,
    string Status,
    DateTime CreatedAt,
    DateTime NextAttemptAt,
    int AttemptCount,
    string? LastErrorCode,
    string? LastError,
    DateTime? CompletedAt,
    DateTime? LeaseExpiresAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<OutboxAttemptResponse>? Attempts = null);

internal sealed record OutboxAttemptResponse(
    int Number,
    DateTime StartedAt,
    string Status,
    int? HttpStatus,
    string? ErrorCode,
    string? Reason,
    string? ResponseExcerpt,
    long DurationMs,
    DestinationErrorResponse? DestinationError);

internal sealed record DestinationErrorResponse(string? Code, string? Subcode, string? Type, string? Message, string? TraceId, bool IsTransient);

internal sealed record OutboxPageResponse(IReadOnlyList<OutboxMessageResponse> Items, string? Next);

/// <summary><c>POST /postback-sets</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class CreatePostbackSetRequest
{
    public string? Name { get; set; }

    public string? Network { get; set; }

    public string? CampaignId { get; set; }

    public JsonElement? Settings { get; set; }
}

/// <summary><c>PATCH /postback-sets/{id}</c>: absent or <see langword="null"/> members stay as they are.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class UpdatePostbackSetRequest
{
    public string? Name { get; set; }

    public JsonElement? Settings { get; set; }

    public bool? Enabled { get; set; }
}

/// <summary><c>POST /postback-sets/{id}/rotate-token</c> (optional body).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class RotateTokenRequest
{
    public long? GracePeriodSeconds { get; set; }
}

/// <summary><c>POST /clicks</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class CreateClickRequest
{
    public string? CampaignId { get; set; }

    public string? SubjectId { get; set; }

    public string? Fbclid { get; set; }

    public string? Fbc { get; set; }

    public string? Fbp { get; set; }

    public string? Ip { get; set; }

    public string? UserAgent { get; set; }

    public string? EventSourceUrl { get; set; }

    public Dictionary<string, string?>? Fields { get; set; }
}

/// <summary><c>POST /links</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class RenderLinkRequest
{
    public string? Template { get; set; }

    public string? ClickId { get; set; }

    public string? SetId { get; set; }

    public Dictionary<string, string?>? Variables { get; set; }
}

/// <summary><c>POST /forwarding-rules</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class CreateForwardingRuleRequest
{
    public string? Name { get; set; }

    public string? SetId { get; set; }

    public string? CampaignId { get; set; }

    public string? Destination { get; set; }

    public JsonElement? Settings { get; set; }
}

/// <summary><c>POST /campaigns</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class CreateCampaignRequest
{
    public string? Id { get; set; }

    public string? Name { get; set; }

    public string? Destination { get; set; }
}

/// <summary><c>PUT /campaigns/{id}</c>: replaces the name and destination.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class UpdateCampaignRequest
{
    public string? Name { get; set; }

    public string? Destination { get; set; }
}

/// <summary>
/// The package's serializer metadata. Use <see cref="ChatterfyJson.Context"/>: it adds the relaxed encoder that ASP.NET
/// Core uses for JSON responses, so URLs read <c>&amp;</c> rather than <c>\u0026</c>.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, AllowTrailingCommas = false, ReadCommentHandling = JsonCommentHandling.Disallow, MaxDepth = 32, AllowDuplicateProperties = false)]
[JsonSerializable(typeof(PostbackResultResponse))]
[JsonSerializable(typeof(IReadOnlyList<WarningResponse>))]
[JsonSerializable(typeof(PostbackSetResponse))]
[JsonSerializable(typeof(PostbackSetListResponse))]
[JsonSerializable(typeof(ClickResponse))]
[JsonSerializable(typeof(LinkResponse))]
[JsonSerializable(typeof(StatsResponse))]
[JsonSerializable(typeof(PostbackLogPageResponse))]
[JsonSerializable(typeof(CreatePostbackSetRequest))]
[JsonSerializable(typeof(UpdatePostbackSetRequest))]
[JsonSerializable(typeof(RotateTokenRequest))]
[JsonSerializable(typeof(CreateClickRequest))]
[JsonSerializable(typeof(RenderLinkRequest))]
[JsonSerializable(typeof(ForwardingRuleResponse))]
[JsonSerializable(typeof(ForwardingRuleListResponse))]
[JsonSerializable(typeof(CampaignResponse))]
[JsonSerializable(typeof(CampaignListResponse))]
[JsonSerializable(typeof(OutboxMessageResponse))]
[JsonSerializable(typeof(OutboxPageResponse))]
[JsonSerializable(typeof(CreateForwardingRuleRequest))]
[JsonSerializable(typeof(CreateCampaignRequest))]
[JsonSerializable(typeof(UpdateCampaignRequest))]
internal sealed partial class ChatterfyJsonContext : JsonSerializerContext;

internal static class ChatterfyJson
{
    public static ChatterfyJsonContext Context { get; } = new(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        // Bodies are application/json, never embedded in HTML: only what JSON requires is escaped, as ASP.NET Core does.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        AllowTrailingCommas = false,
        ReadCommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 32,

        // A member given twice is refused at any depth, JsonElement (settings) and dictionary (fields) members included,
        // rather than the last one winning unseen.
        AllowDuplicateProperties = false,
    });
}
