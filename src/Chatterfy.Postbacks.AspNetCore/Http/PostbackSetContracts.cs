using System.Text.Json;
using System.Text.Json.Serialization;
using Chatterfy.Postbacks.Ingestion;
using Microsoft.AspNetCore.Http.HttpResults;

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
    PostbackUrlsResponse Urls,
    long? AttributionWindowSeconds,
    IReadOnlyDictionary<string, IReadOnlyList<string>>? StatusMap);

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

    public long? AttributionWindowSeconds { get; set; }

    public Dictionary<string, IReadOnlyList<string>?>? StatusMap { get; set; }
}

/// <summary>
/// <c>PATCH /postback-sets/{id}</c>: absent or <see langword="null"/> members stay as they are, except
/// <c>attributionWindowSeconds</c>, where <see langword="null"/> removes the window (absent leaves it).
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class UpdatePostbackSetRequest
{
    public string? Name { get; set; }

    public JsonElement? Settings { get; set; }

    public bool? Enabled { get; set; }

    /// <summary>Gets or sets the new window; <see langword="null"/> when given removes it (see <see cref="HasAttributionWindowSeconds"/>).</summary>
    public long? AttributionWindowSeconds
    {
        get;
        set
        {
            field = value;
            HasAttributionWindowSeconds = true;
        }
    }

    /// <summary>Gets a value indicating whether the body named <c>attributionWindowSeconds</c> (the serializer sets it, also to null).</summary>
    [JsonIgnore]
    public bool HasAttributionWindowSeconds { get; private set; }

    /// <summary>Gets or sets the new status map; <see langword="null"/> when given goes back to the default map (see <see cref="HasStatusMap"/>).</summary>
    public Dictionary<string, IReadOnlyList<string>?>? StatusMap
    {
        get;
        set
        {
            field = value;
            HasStatusMap = true;
        }
    }

    /// <summary>Gets a value indicating whether the body named <c>statusMap</c> (the serializer sets it, also to null).</summary>
    [JsonIgnore]
    public bool HasStatusMap { get; private set; }

    /// <summary>The map of <see cref="StatusMap"/>, or the problem that makes it invalid.</summary>
    public static ProblemHttpResult? ReadStatusMap(Dictionary<string, IReadOnlyList<string>?>? words, out ConversionStatusMap? map)
    {
        map = null;
        if (words is null)
        {
            return null;
        }

        return ConversionStatusMap.TryCreate(words, out map, out var error)
            ? null
            : Problems.Validation(new Dictionary<string, string[]> { [ConversionStatusMap.Field] = [error] });
    }
}

/// <summary><c>POST /postback-sets/{id}/rotate-token</c> (optional body).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class RotateTokenRequest
{
    public long? GracePeriodSeconds { get; set; }
}
