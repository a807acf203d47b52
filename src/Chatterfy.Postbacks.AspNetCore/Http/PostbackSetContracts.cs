using System.Text.Json;
using System.Text.Json.Serialization;

namespace Chatterfy.Postbacks.AspNetCore.Http;

// Postback sets (/postback-sets, docs/http-api.md). Internal: the JSON is the contract, not these types.

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
