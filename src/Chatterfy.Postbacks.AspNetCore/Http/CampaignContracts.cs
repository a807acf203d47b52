using System.Text.Json.Serialization;

namespace Chatterfy.Postbacks.AspNetCore.Http;

// Campaigns (/campaigns, docs/http-api.md). Internal: the JSON is the contract, not these types.

internal sealed record CampaignResponse(string Id, string? Name, string Destination, DateTime CreatedAt, long? AttributionWindowSeconds);

internal sealed record CampaignListResponse(IReadOnlyList<CampaignResponse> Items);

/// <summary><c>POST /campaigns</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class CreateCampaignRequest
{
    public string? Id { get; set; }

    public string? Name { get; set; }

    public string? Destination { get; set; }

    public long? AttributionWindowSeconds { get; set; }
}

/// <summary><c>PUT /campaigns/{id}</c>: replaces the name, destination and attribution window (absent = none).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class UpdateCampaignRequest
{
    public string? Name { get; set; }

    public string? Destination { get; set; }

    public long? AttributionWindowSeconds { get; set; }
}
