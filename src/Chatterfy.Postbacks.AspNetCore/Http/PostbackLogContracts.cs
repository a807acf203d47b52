namespace Chatterfy.Postbacks.AspNetCore.Http;

// The postback log (/postback-log, docs/http-api.md). Internal: the JSON is the contract, not these types.

internal sealed record PostbackLogPageResponse(IReadOnlyList<PostbackLogItemResponse> Items, string? Next);

internal sealed record PostbackLogItemResponse(
    string Id,
    DateTime ReceivedAt,
    string SetId,
    string Method,
    string Path,
    string Query,
    string? Body,
    string? ContentType,
    string? RemoteIp,
    string Outcome,
    string? Code,
    IReadOnlyList<string> Warnings,
    string? ConversionId,
    int? DepositNumber);
