using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Chatterfy.Postbacks.Testing;

/// <summary>
/// One request the simulator sent and what the receiver answered: the status code, and the parsed body —
/// <see cref="Status"/> and <see cref="ConversionId"/> for a <c>200</c>, <see cref="Code"/> for a problem.
/// </summary>
/// <remarks>
/// The common assertions read as the contract: <c>results.Single().Status == "accepted"</c>,
/// <c>retry.Status == "duplicate" &amp;&amp; retry.ConversionId == first.ConversionId</c>,
/// <c>result.Code == "macro_not_substituted"</c>. <see cref="ToString"/> gives a one-line summary for failure messages.
/// </remarks>
public sealed class SimulatedPostbackResult
{
    internal SimulatedPostbackResult(
        int attempt,
        int copy,
        string method,
        string url,
        string? requestBody,
        DateTimeOffset sentAt,
        TimeSpan elapsed,
        HttpStatusCode statusCode,
        TimeSpan? retryAfter,
        string responseBody)
    {
        Attempt = attempt;
        Copy = copy;
        Method = method;
        Url = url;
        RequestBody = requestBody;
        SentAt = sentAt;
        Elapsed = elapsed;
        StatusCode = statusCode;
        RetryAfter = retryAfter;
        ResponseBody = responseBody;
        Warnings = [];
        ParseBody(responseBody);
    }

    /// <summary>Gets the attempt this request belongs to: <c>1</c> for the first send, <c>2</c> for the first retry, and so on.</summary>
    public int Attempt { get; }

    /// <summary>Gets which of the attempt's concurrent copies this is, from <c>1</c>.</summary>
    public int Copy { get; }

    /// <summary>Gets the HTTP method sent: <c>GET</c> or <c>POST</c>.</summary>
    public string Method { get; }

    /// <summary>
    /// Gets the absolute URL exactly as sent, percent-encoding included (e.g. <c>clickid=%7Bsub1%7D</c> for a macro left
    /// as written). For a <c>POST</c>, the URL without the parameters, which are in <see cref="RequestBody"/>.
    /// </summary>
    public string Url { get; }

    /// <summary>Gets the body sent with a <c>POST</c> (form or JSON), or <see langword="null"/> for a <c>GET</c>.</summary>
    public string? RequestBody { get; }

    /// <summary>Gets when the request was sent, by the simulator's <see cref="TimeProvider"/>.</summary>
    public DateTimeOffset SentAt { get; }

    /// <summary>Gets how long the receiver took to answer, by the simulator's <see cref="TimeProvider"/>.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Gets the receiver's status code: <c>200</c> accepted, duplicate or unattributed; <c>400</c> rejected; <c>404</c> unknown token; <c>503</c> store unavailable.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>Gets a value indicating whether the receiver acknowledged the postback (<c>200</c>), so a network would not retry it.</summary>
    public bool Acknowledged => StatusCode == HttpStatusCode.OK;

    /// <summary>Gets the body's <c>status</c>: <c>accepted</c>, <c>duplicate</c> or <c>unattributed</c>; <see langword="null"/> when the body has none (any answer but <c>200</c>).</summary>
    public string? Status { get; private set; }

    /// <summary>Gets the body's <c>conversionId</c>: the stored conversion, the original one for a <c>duplicate</c>.</summary>
    public string? ConversionId { get; private set; }

    /// <summary>Gets a problem's machine-readable <c>code</c>, e.g. <c>macro_not_substituted</c>, <c>amount_ambiguous</c> or <c>store_unavailable</c>.</summary>
    public string? Code { get; private set; }

    /// <summary>Gets a problem's human-readable <c>detail</c>.</summary>
    public string? Detail { get; private set; }

    /// <summary>Gets the codes of the body's warnings, e.g. <c>macro_ignored</c> or <c>click_unknown</c>, in order.</summary>
    public IReadOnlyList<string> Warnings { get; private set; }

    /// <summary>Gets the <c>Retry-After</c> delay of a <c>503</c>, or <see langword="null"/>.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>Gets the response body as text; empty when there was none (a <c>404</c>).</summary>
    public string ResponseBody { get; }

    /// <summary>Returns a one-line summary, e.g. <c>GET https://…/first-deposit?… → 200 accepted 01a2… [click_unknown]</c>.</summary>
    /// <returns>The method, URL, status code, status or code, conversion id and warnings.</returns>
    public override string ToString()
    {
        var outcome = Status ?? Code;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{Method} {Url}{(RequestBody is null ? "" : " " + RequestBody)} → {(int)StatusCode}{(outcome is null ? "" : " " + outcome)}{(ConversionId is null ? "" : " " + ConversionId)}{(Warnings.Count == 0 ? "" : " [" + string.Join(", ", Warnings) + "]")}");
    }

    // Clients ignore members they do not know (docs/http-api.md); a body that is not JSON leaves the parsed values empty.
    private void ParseBody(string body)
    {
        if (!body.AsSpan().TrimStart().StartsWith('{'))
        {
            return;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            Status = StringOf(root, "status");
            ConversionId = StringOf(root, "conversionId");
            Code = StringOf(root, "code");
            Detail = StringOf(root, "detail");
            if (root.TryGetProperty("warnings", out var warnings) && warnings.ValueKind == JsonValueKind.Array)
            {
                Warnings = [.. warnings.EnumerateArray()
                    .Select(w => w.ValueKind == JsonValueKind.String ? w.GetString() : StringOf(w, "code"))
                    .OfType<string>()];
            }
        }
        catch (JsonException)
        {
            // Not the receiver's JSON (a proxy's error page, say): the raw text stays in ResponseBody.
        }
    }

    // A problem's "status" is its numeric status code; only the receiver's string status counts.
    private static string? StringOf(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
