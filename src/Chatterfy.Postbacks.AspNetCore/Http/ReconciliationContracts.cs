namespace Chatterfy.Postbacks.AspNetCore.Http;

/// <summary>The body of <c>PUT …/reconciliation-layout</c>: column names; an omitted member keeps the generic layout's name.</summary>
internal sealed record ReconciliationLayoutRequest(string? ClickId, string? Event, string? Amount, string? Currency, string? TransactionId, string? Time);

internal sealed record ReconciliationPageResponse(IReadOnlyList<Chatterfy.Postbacks.Reconciliation.ReconciliationSummary> Items, string? Next);

internal sealed record ReconciliationIngestResponse(
    string ReconciliationId,
    bool Forwarded,
    int Stored,
    int Duplicates,
    int Rejected,
    IReadOnlyList<ReconciliationIngestItemResponse> Items);

internal sealed record ReconciliationIngestItemResponse(long Line, string Outcome, string? ConversionId, string? Code);
