using System.Globalization;
using System.Text.Json;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Storage;
using Chatterfy.Postbacks.Templates;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Chatterfy.Postbacks.AspNetCore.Http;

/// <summary>
/// Builds the package's <c>application/problem+json</c> answers. Every problem has a stable <c>code</c> extension;
/// none ever carries an exception message or stack trace.
/// </summary>
internal static class Problems
{
    /// <summary>The default <c>Retry-After</c>, in seconds, when the store does not say.</summary>
    public const int DefaultRetryAfterSeconds = 5;

    public const string ValidationFailedCode = "validation_failed";
    public const string NotFoundCode = "not_found";
    public const string UnsupportedMediaTypeCode = "unsupported_media_type";
    public const string BodyTooLargeCode = "body_too_large";
    public const string BodyUnreadableCode = "body_unreadable";
    public const string StoreUnavailableCode = "store_unavailable";
    public const string UnknownMacroCode = LinkCheckCodes.UnknownMacro;
    public const string ForwardingRuleInvalidCode = "forwarding_rule_invalid";
    public const string CampaignInvalidCode = "campaign_invalid";
    public const string CampaignExistsCode = "campaign_exists";
    public const string OutboxMessageDeliveredCode = "outbox_message_delivered";

    /// <summary>A postback the core refused (400): its code, its message as <c>detail</c>, its field in <c>errors</c>, and the warnings.</summary>
    public static ProblemHttpResult Rejected(PostbackRejection rejection, IReadOnlyList<PostbackWarning> warnings)
    {
        ProblemDetails details = rejection.Field is { } field
            ? new HttpValidationProblemDetails(new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [rejection.Message] })
            : new ProblemDetails();
        details.Status = StatusCodes.Status400BadRequest;
        details.Title = "The postback was rejected.";
        details.Detail = rejection.Message;
        details.Extensions["code"] = rejection.Code;
        details.Extensions["warnings"] = JsonSerializer.SerializeToElement(Responses.Warnings(warnings), ChatterfyJson.Context.IReadOnlyListWarningResponse);
        return TypedResults.Problem(details);
    }

    /// <summary>A tracker API request with invalid fields (400); <paramref name="errors"/> maps field paths to messages.</summary>
    public static ProblemHttpResult Validation(IReadOnlyDictionary<string, string[]> errors, string? detail = null, string code = ValidationFailedCode)
    {
        var details = new HttpValidationProblemDetails(new Dictionary<string, string[]>(errors, StringComparer.Ordinal))
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request is invalid.",
            Detail = detail ?? "See errors for each invalid field.",
        };
        details.Extensions["code"] = code;
        return TypedResults.Problem(details);
    }

    public static ProblemHttpResult Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [message] }, message);

    public static ProblemHttpResult Conflict(string detail, string code) => Simple(StatusCodes.Status409Conflict, "The request conflicts with the resource's state.", detail, code);

    public static ProblemHttpResult NotFound(string detail) => Simple(StatusCodes.Status404NotFound, "Not found.", detail, NotFoundCode);

    public static ProblemHttpResult UnsupportedMediaType() => Simple(
        StatusCodes.Status415UnsupportedMediaType,
        "Unsupported media type.",
        "Send the body as JSON with Content-Type: application/json.",
        UnsupportedMediaTypeCode);

    public static ProblemHttpResult ReportNotCsv() => Simple(
        StatusCodes.Status415UnsupportedMediaType,
        "Unsupported media type.",
        "Send the network's report as CSV with Content-Type: text/csv.",
        UnsupportedMediaTypeCode);

    public static ProblemHttpResult ReportTooLarge(long limit) => Simple(
        StatusCodes.Status413PayloadTooLarge,
        "The request body is too large.",
        $"A conversion report may be at most {limit / (1024 * 1024)} MB.",
        BodyTooLargeCode);

    public static ProblemHttpResult BodyTooLarge(int limit) => Simple(
        StatusCodes.Status413PayloadTooLarge,
        "The request body is too large.",
        $"A postback body may be at most {limit / 1024} KiB.",
        BodyTooLargeCode);

    /// <summary>
    /// A body the client broke (see <see cref="RequestBody"/>): 413 from a server limit, 408 when it arrived too slowly,
    /// otherwise 400 (499 when the client is gone and nobody reads the answer).
    /// </summary>
    public static ProblemHttpResult BodyUnreadable(int status) => status switch
    {
        StatusCodes.Status413PayloadTooLarge => Simple(status, "The request body is too large.", "The request body is larger than the server accepts.", BodyTooLargeCode),
        StatusCodes.Status408RequestTimeout => Simple(status, "The request body arrived too slowly.", "The request body arrived more slowly than the server accepts.", BodyUnreadableCode),
        _ => Simple(status, "The request body could not be read.", "The request body could not be read: its framing is broken or it was cut off.", BodyUnreadableCode),
    };

    public static ProblemHttpResult UnknownMacro(string detail) => Simple(StatusCodes.Status400BadRequest, "The link template has a macro without a value.", detail, UnknownMacroCode);

    /// <summary>The store cannot serve the request (503): sets <c>Retry-After</c> and hides what the store said.</summary>
    public static ProblemHttpResult StoreUnavailable(HttpContext context, PostbackStoreUnavailableException exception, out int retryAfterSeconds)
    {
        retryAfterSeconds = RetryAfterSeconds(exception);
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return Simple(
            StatusCodes.Status503ServiceUnavailable,
            "The postback store is unavailable.",
            "The postback store is temporarily unavailable; nothing was stored. Retry after the time given in Retry-After.",
            StoreUnavailableCode);
    }

    private static int RetryAfterSeconds(PostbackStoreUnavailableException exception)
    {
        if (exception.RetryAfter is not { } retryAfter || retryAfter <= TimeSpan.Zero)
        {
            return DefaultRetryAfterSeconds;
        }

        // Whole seconds, rounded up, at most a day: a Retry-After is a delta-seconds integer.
        return (int)Math.Min(Math.Ceiling(retryAfter.TotalSeconds), TimeSpan.FromDays(1).TotalSeconds);
    }

    private static ProblemHttpResult Simple(int status, string title, string detail, string code)
    {
        var details = new ProblemDetails { Status = status, Title = title, Detail = detail };
        details.Extensions["code"] = code;
        return TypedResults.Problem(details);
    }
}
