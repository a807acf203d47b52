using System.Text.Json.Serialization;

namespace Chatterfy.Postbacks.AspNetCore.Http;

// The outbox (/outbox, docs/http-api.md). Internal: the JSON is the contract, not these types.

/// <summary>An outbox message; <c>attempts</c> only on <c>GET /outbox/{id}</c>.</summary>
internal sealed record OutboxMessageResponse(
    string Id,
    string ConversionId,
    string RuleId,
    string Destination,
    string Status,
    DateTime CreatedAt,
    DateTime NextAttemptAt,
    int AttemptCount,
    string? LastErrorCode,
    string? LastError,
    DateTime? CompletedAt,
    DateTime? LeaseExpiresAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<OutboxAttemptResponse>? Attempts = null);

internal sealed record OutboxAttemptResponse(
    int Number,
    DateTime StartedAt,
    string Status,
    int? HttpStatus,
    string? ErrorCode,
    string? Reason,
    string? ResponseExcerpt,
    long DurationMs,
    DestinationErrorResponse? DestinationError);

internal sealed record DestinationErrorResponse(string? Code, string? Subcode, string? Type, string? Message, string? TraceId, bool IsTransient);

internal sealed record OutboxPageResponse(IReadOnlyList<OutboxMessageResponse> Items, string? Next);
