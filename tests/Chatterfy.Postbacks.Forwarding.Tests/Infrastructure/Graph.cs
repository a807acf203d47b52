using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Chatterfy.Postbacks.Forwarding.Tests.Infrastructure;

/// <summary>Helpers for a fake Graph API: canned answers and reading recorded Conversions API calls.</summary>
public static class Graph
{
    public const string PixelId = "123456789012345";
    public const string AccessToken = "EAAB-test-access-token-0123456789abcd";

    public static object Settings(FakeDestination fake, object? events = null, string? actionSource = null, string? testEventCode = null) => new
    {
        pixelId = PixelId,
        accessToken = AccessToken,
        graphBaseUrl = fake.BaseUrl,
        events,
        actionSource,
        testEventCode,
    };

    public static FakeAnswer Received(RecordedRequest request) =>
        FakeAnswer.Ok($$"""{"events_received":{{Events(request).Count}},"messages":[],"fbtrace_id":"AbCdEfGh123"}""");

    public static FakeAnswer Error(int status, int code, int? subcode = null, bool? transient = null, string traceId = "Trace-XYZ", string message = "Invalid parameter")
    {
        var error = new JsonObject
        {
            ["message"] = message,
            ["type"] = "OAuthException",
            ["code"] = code,
        };
        if (subcode is not null)
        {
            error["error_subcode"] = subcode;
        }

        if (transient is not null)
        {
            error["is_transient"] = transient;
        }

        error["fbtrace_id"] = traceId;
        return new FakeAnswer(status, new JsonObject { ["error"] = error }.ToJsonString());
    }

    public static JsonObject Body(RecordedRequest request) => JsonNode.Parse(request.Body)!.AsObject();

    public static List<JsonObject> Events(RecordedRequest request) => [.. Body(request)["data"]!.AsArray().Select(e => e!.AsObject())];

    public static List<string> EventIds(RecordedRequest request) => [.. Events(request).Select(e => (string)e["event_id"]!)];

    private static readonly JsonSerializerOptions IndentedJson = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Indented(string json) => JsonSerializer.Serialize(JsonNode.Parse(json), IndentedJson);
}
