using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Chatterfy.Postbacks.AspNetCore.Http;

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
[JsonSerializable(typeof(DailyStatsResponse))]
[JsonSerializable(typeof(PostbackLogPageResponse))]
[JsonSerializable(typeof(ConversionResponse))]
[JsonSerializable(typeof(ConversionPageResponse))]
[JsonSerializable(typeof(RecomputeResponse))]
[JsonSerializable(typeof(RemapResponse))]
[JsonSerializable(typeof(Chatterfy.Postbacks.Reconciliation.ReconciliationReport))]
[JsonSerializable(typeof(Chatterfy.Postbacks.Reconciliation.ReconciliationLayout))]
[JsonSerializable(typeof(ReconciliationLayoutRequest))]
[JsonSerializable(typeof(ReconciliationPageResponse))]
[JsonSerializable(typeof(ReconciliationIngestResponse))]
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
