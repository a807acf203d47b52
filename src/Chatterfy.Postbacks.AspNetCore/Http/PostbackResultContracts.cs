using System.Text.Json.Serialization;

namespace Chatterfy.Postbacks.AspNetCore.Http;

// The receiver's and the replay's bodies, and the warnings they and links carry (docs/http-api.md). Internal: the JSON
// is the contract, not these types.

/// <summary>The receiver's 200 body, and the replay's; <c>depositNumber</c> only for a conversion that took one.</summary>
internal sealed record PostbackResultResponse(
    string Status,
    string? ConversionId,
    IReadOnlyList<WarningResponse> Warnings,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? DepositNumber = null)
{
    /// <summary>Gets the status of the conversion stored or changed (or left as it was by a status postback), when it applies.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ConversionStatus { get; init; }
}

/// <summary>A warning: postback warnings carry the field concerned, link warnings do not.</summary>
internal sealed record WarningResponse(
    string Code,
    string Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Field = null);
