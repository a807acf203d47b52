using System.Text.Json.Serialization;

namespace Chatterfy.Postbacks.AspNetCore.Http;

// Clicks (/clicks, docs/http-api.md). Internal: the JSON is the contract, not these types.

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

// The one JSON shape of a stored conversion: in a click's conversions and in /conversions (ConversionContracts.cs).
internal sealed record ConversionResponse(
    string Id,
    string Event,
    decimal? Amount,
    string? Currency,
    string? Tid,
    DateTime ReceivedAt,
    string SetId,
    string Attribution,
    string ClickId,
    string? CampaignId,
    ReportingAmountResponse? ReportingAmount,
    int? DepositNumber)
{
    /// <summary>Gets the conversion's status: <c>approved</c>, <c>pending</c>, <c>rejected</c> or <c>chargeback</c>.</summary>
    public string Status { get; init; } = Ingestion.ConversionStatusNames.Approved;

    /// <summary>Gets the status word as received when the set's map did not know it (the conversion is then pending).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? StatusWord { get; init; }

    /// <summary>Gets the status changes, oldest first.</summary>
    public IReadOnlyList<StatusChangeResponse> History { get; init; } = [];
}

/// <summary>One change of a conversion's status.</summary>
internal sealed record StatusChangeResponse(DateTime At, string From, string To, string Word, string LogEntryId);

internal sealed record ReportingAmountResponse(decimal Amount, string Currency, decimal Rate, DateOnly RateDate);

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
