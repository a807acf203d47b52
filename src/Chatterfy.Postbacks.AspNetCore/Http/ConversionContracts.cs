namespace Chatterfy.Postbacks.AspNetCore.Http;

// Conversions (/conversions, docs/http-api.md). Internal: the JSON is the contract, not these types. A conversion's own
// shape is ConversionResponse (ClickContracts.cs), shared with a click's conversions.

internal sealed record ConversionPageResponse(IReadOnlyList<ConversionResponse> Items, string? Next);

internal sealed record RecomputeResponse(int Recomputed);

internal sealed record RemapResponse(int Remapped);
