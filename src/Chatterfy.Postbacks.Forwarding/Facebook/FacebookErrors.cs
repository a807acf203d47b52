using System.Globalization;
using System.Text.Json;
using Chatterfy.Postbacks.Forwarding.Http;

namespace Chatterfy.Postbacks.Forwarding.Facebook;

/// <summary>Meta's error rules: what is retried, what is dead-lettered, and which refusals may be one bad event in a batch.</summary>
internal static class FacebookErrors
{
    /// <summary>Classifies one call; <c>Splittable</c> tells whether a permanent refusal could be caused by a single event.</summary>
    internal static (DeliveryOutcome Outcome, bool Splittable) Classify(HttpCallResult result)
    {
        if (result.Failure is { } failure)
        {
            return (failure, false);
        }

        var status = result.StatusCode;
        if (result.IsSuccess)
        {
            return (Decorate(DeliveryOutcome.Delivered(), result), false);
        }

        var error = TryParseError(result.Body);
        var hint = result.RetryAfter ?? GetThrottleHint(result);
        var code = error?.Code is { } text && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : (int?)null;
        var subcode = error?.Subcode is { } subtext && int.TryParse(subtext, NumberStyles.None, CultureInfo.InvariantCulture, out var subnumber) ? subnumber : (int?)null;

        if (code is { } throttled && IsThrottling(throttled))
        {
            return (Decorate(DeliveryOutcome.Retry(DeliveryErrorCodes.Throttled, $"Meta is throttling the calls (code {throttled}): {Describe(error!)}", hint), result, error), false);
        }

        if (status == 429)
        {
            return (Decorate(DeliveryOutcome.Retry(DeliveryErrorCodes.Throttled, "Meta is throttling the calls (HTTP 429).", hint), result, error), false);
        }

        if (error is { IsTransient: true } || code is 1 or 2)
        {
            return (Decorate(DeliveryOutcome.Retry(DeliveryErrorCodes.DestinationError, $"Meta reported a temporary error (code {error!.Code}): {Describe(error)}", hint), result, error), false);
        }

        if (status >= 500 || status == 408)
        {
            return (Decorate(DeliveryOutcome.Retry(error is null ? DeliveryErrorCodes.HttpStatus : DeliveryErrorCodes.DestinationError, $"Meta answered HTTP {status}.", hint), result, error), false);
        }

        if (error is null)
        {
            return (Decorate(DeliveryOutcome.DeadLetter(DeliveryErrorCodes.HttpStatus, $"The Graph API answered HTTP {status} without a Graph error; check graphBaseUrl and apiVersion."), result), false);
        }

        var reason = $"Meta refused the events (code {error.Code}{(error.Subcode is null ? "" : ", subcode " + error.Subcode)}): {Describe(error)}";
        return (Decorate(DeliveryOutcome.DeadLetter(DeliveryErrorCodes.DestinationError, reason), result, error), !IsRequestWide(code, subcode));
    }

    // Meta's rate limiting: 4 app, 17 user, 32 page, 341 application limit, 613 calls per hour, 80000–80014 business use case limits.
    private static bool IsThrottling(int code) => code is 4 or 17 or 32 or 341 or 613 or (>= 80000 and <= 80014);

    // Errors about the call itself, which every event would get alike: splitting them only multiplies refused calls.
    // 190/102 token, 10 and 200–299 permissions, 3 capability, 803 unknown alias, 100/33 the pixel does not exist.
    private static bool IsRequestWide(int? code, int? subcode) =>
        code is 190 or 102 or 10 or 3 or 803 or (>= 200 and <= 299) || (code == 100 && subcode == 33);

    private static DeliveryOutcome Decorate(DeliveryOutcome outcome, HttpCallResult result, DestinationError? error = null) => outcome with
    {
        HttpStatusCode = result.StatusCode,
        ResponseExcerpt = result.Body,
        Duration = result.Duration,
        DestinationError = error,
    };

    private static string Describe(DestinationError error) => error.Message ?? "no message";

    private static DestinationError? TryParseError(string body)
    {
        if (string.IsNullOrEmpty(body) || body[0] != '{')
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (!document.RootElement.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var title = Text(error, "error_user_title");
            var userMessage = Text(error, "error_user_msg");
            var message = Text(error, "message");
            return new DestinationError
            {
                Code = Text(error, "code"),
                Subcode = Text(error, "error_subcode"),
                Type = Text(error, "type"),
                TraceId = Text(error, "fbtrace_id"),
                IsTransient = error.TryGetProperty("is_transient", out var transient) && transient.ValueKind == JsonValueKind.True,
                Message = (title, userMessage) switch
                {
                    (not null, not null) => $"{title}: {userMessage}",
                    (null, not null) => userMessage,
                    _ => message,
                },
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        }
        : null;

    // X-Business-Use-Case-Usage: {"<business id>":[{"type":"ads_management","call_count":100,…,"estimated_time_to_regain_access":5}]} (minutes).
    private static TimeSpan? GetThrottleHint(HttpCallResult result)
    {
        if (result.Headers is null || !result.Headers.TryGetValues("X-Business-Use-Case-Usage", out var values))
        {
            return null;
        }

        var minutes = 0;
        foreach (var value in values)
        {
            try
            {
                using var document = JsonDocument.Parse(value);
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                foreach (var business in document.RootElement.EnumerateObject())
                {
                    if (business.Value.ValueKind != JsonValueKind.Array)
                    {
                        continue;
                    }

                    foreach (var usage in business.Value.EnumerateArray())
                    {
                        if (usage.ValueKind == JsonValueKind.Object
                            && usage.TryGetProperty("estimated_time_to_regain_access", out var regain)
                            && regain.TryGetInt32(out var wait))
                        {
                            minutes = Math.Max(minutes, wait);
                        }
                    }
                }
            }
            catch (JsonException)
            {
                // A malformed usage header is only a hint; ignore it.
            }
        }

        return minutes > 0 ? TimeSpan.FromMinutes(minutes) : null;
    }
}
