using System.Globalization;
using Chatterfy.Postbacks.AspNetCore.Http;
using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Chatterfy.Postbacks.AspNetCore.TrackerApi;

/// <summary><c>/outbox</c>: the forwarding outbox, its delivery attempts, and retrying a message by hand.</summary>
internal static class OutboxEndpoints
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/outbox", ListAsync)
            .WithSummary("Lists outbox messages, newest first, by status, conversion or rule.");
        group.MapGet("/outbox/{id}", GetAsync)
            .WithSummary("Gets an outbox message and its delivery attempts.");
        group.MapPost("/outbox/{id}/retry", RetryAsync)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Schedules a pending or dead-lettered outbox message for delivery now, clearing a lease no send renews.");
    }

    internal static string Status(OutboxMessageStatus status) => StoredWords.Of(status);

    internal static string Status(DeliveryStatus status) => StoredWords.Of(status);

    private static async Task<Results<JsonOk<OutboxPageResponse>, ProblemHttpResult>> ListAsync(
        string? status,
        string? conversionId,
        string? ruleId,
        string? limit,
        string? before,
        HttpContext context,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        OutboxMessageStatus? statusFilter = null;
        if (TrackerApiEndpoints.Blank(status) is { } statusText)
        {
            statusFilter = Enum.GetValues<OutboxMessageStatus>().Cast<OutboxMessageStatus?>()
                .FirstOrDefault(candidate => string.Equals(Status(candidate!.Value), statusText, StringComparison.OrdinalIgnoreCase));
            if (statusFilter is null)
            {
                errors["status"] = ["The status is one of pending, delivered, dead-lettered."];
            }
        }

        var pageSize = OutboxQuery.DefaultLimit;
        if (TrackerApiEndpoints.Blank(limit) is { } limitText
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > OutboxQuery.MaxLimit))
        {
            errors["limit"] = [$"The limit is a whole number from 1 to {OutboxQuery.MaxLimit}."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var messages = await Outbox(context).ListAsync(
            new OutboxQuery
            {
                Status = statusFilter,
                ConversionId = TrackerApiEndpoints.Blank(conversionId),
                RuleId = TrackerApiEndpoints.Blank(ruleId),
                BeforeId = TrackerApiEndpoints.Blank(before),
                Limit = pageSize,
            },
            cancellationToken).ConfigureAwait(false);
        var next = messages.Count == pageSize ? messages[^1].Id : null;
        return new JsonOk<OutboxPageResponse>(
            new OutboxPageResponse([.. messages.Select(m => Message(m))], next),
            ChatterfyJson.Context.OutboxPageResponse);
    }

    private static async Task<Results<JsonOk<OutboxMessageResponse>, ProblemHttpResult>> GetAsync(string id, HttpContext context, CancellationToken cancellationToken)
    {
        var outbox = Outbox(context);
        var message = await outbox.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (message is null)
        {
            return NotFound(id);
        }

        var attempts = await outbox.ListAttemptsAsync(id, cancellationToken).ConfigureAwait(false);
        return new JsonOk<OutboxMessageResponse>(Message(message, [.. attempts.Select(Attempt)]), ChatterfyJson.Context.OutboxMessageResponse);
    }

    private static async Task<Results<JsonAccepted<OutboxMessageResponse>, ProblemHttpResult>> RetryAsync(
        string id,
        HttpContext context,
        CancellationToken cancellationToken)
    {
        // With forwarding, the dispatcher decides (it knows its live sends and wakes itself); without it, nothing here sends.
        var message = await Outbox(context).RetryAsync(id, cancellationToken).ConfigureAwait(false);
        if (message is null)
        {
            return NotFound(id);
        }

        return message.Status == OutboxMessageStatus.Delivered
            ? Problems.Conflict($"The outbox message '{id}' was delivered; it is not sent again.", Problems.OutboxMessageDeliveredCode)
            : new JsonAccepted<OutboxMessageResponse>(Message(message), ChatterfyJson.Context.OutboxMessageResponse);
    }

    // AddForwarding registers the service with this instance's dispatcher. Without forwarding the outbox (which other
    // ingestion hooks may write) is shown all the same, and a retry reschedules a message in the store alone.
    private static OutboxService Outbox(HttpContext context) =>
        ActivatorUtilities.GetServiceOrCreateInstance<OutboxService>(context.RequestServices);

    private static OutboxMessageResponse Message(OutboxMessage message, IReadOnlyList<OutboxAttemptResponse>? attempts = null) => new(
        message.Id,
        message.ConversionId,
        message.RuleId,
        message.DestinationId,
        Status(message.Status),
        message.CreatedAt.UtcDateTime,
        message.NextAttemptAt.UtcDateTime,
        message.AttemptCount,
        message.LastErrorCode,
        message.LastError,
        message.CompletedAt?.UtcDateTime,
        message.LeaseExpiresAt?.UtcDateTime,
        attempts);

    private static OutboxAttemptResponse Attempt(OutboxAttempt attempt) => new(
        attempt.Number,
        attempt.StartedAt.UtcDateTime,
        Status(attempt.Status),
        attempt.HttpStatusCode,
        attempt.ErrorCode,
        attempt.Reason,
        attempt.ResponseExcerpt,
        (long)attempt.Duration.TotalMilliseconds,
        attempt.DestinationError is { } error
            ? new DestinationErrorResponse(error.Code, error.Subcode, error.Type, error.Message, error.TraceId, error.IsTransient)
            : null);

    private static ProblemHttpResult NotFound(string id) => Problems.NotFound($"No outbox message has the id '{id}'.");
}
