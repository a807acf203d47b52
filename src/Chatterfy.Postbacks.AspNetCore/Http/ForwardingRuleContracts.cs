using System.Text.Json;
using System.Text.Json.Serialization;

namespace Chatterfy.Postbacks.AspNetCore.Http;

// Forwarding rules (/forwarding-rules, docs/http-api.md). Internal: the JSON is the contract, not these types.

/// <summary>A forwarding rule; <c>settings</c> always has its secrets masked (write-only).</summary>
internal sealed record ForwardingRuleResponse(
    string Id,
    string? Name,
    string? SetId,
    string? CampaignId,
    string Destination,
    JsonElement Settings,
    DateTime CreatedAt,
    IReadOnlyList<string>? Events,
    DepositNumberRangeBody? DepositNumber)
{
    /// <summary>Gets the status names the rule forwards each entry into, or <see langword="null"/> (the first approval only).</summary>
    public IReadOnlyList<string>? Statuses { get; init; }
}

internal sealed record ForwardingRuleListResponse(IReadOnlyList<ForwardingRuleResponse> Items);

/// <summary><c>POST /forwarding-rules</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class CreateForwardingRuleRequest
{
    public string? Name { get; set; }

    public string? SetId { get; set; }

    public string? CampaignId { get; set; }

    public string? Destination { get; set; }

    public JsonElement? Settings { get; set; }

    public IReadOnlyList<string>? Events { get; set; }

    public DepositNumberRangeBody? DepositNumber { get; set; }

    public IReadOnlyList<string>? Statuses { get; set; }
}

/// <summary>A rule's <c>depositNumber</c> filter: <c>{"min": 2, "max": 2}</c>, either bound optional.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed record DepositNumberRangeBody(int? Min, int? Max);
