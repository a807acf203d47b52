using System.Text.Json.Serialization;

namespace Chatterfy.Postbacks.AspNetCore.Http;

// Links (/links, docs/http-api.md). Internal: the JSON is the contract, not these types.

internal sealed record LinkResponse(string Url, IReadOnlyList<WarningResponse> Warnings);

/// <summary><c>POST /links</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class RenderLinkRequest
{
    public string? Template { get; set; }

    public string? ClickId { get; set; }

    public string? SubjectId { get; set; }

    public string? CampaignId { get; set; }

    public string? SetId { get; set; }

    public Dictionary<string, string?>? Variables { get; set; }
}
