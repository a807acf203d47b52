using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Chatterfy.Postbacks.AspNetCore.Http;

/// <summary>
/// Reads a tracker API request body with the package's own JSON metadata (camelCase, unknown members refused), so that
/// every mistake is answered with the contract's problem details naming the member, never a bare 400 or a 500. The body is
/// read through <see cref="RequestBody"/>, which answers a body the client broke.
/// </summary>
internal static class JsonRequest
{
    public const string BodyField = "body";

    public static async ValueTask<(T? Value, ProblemHttpResult? Problem)> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> typeInfo, bool optional)
        where T : class
    {
        var request = context.Request;
        var declaredEmpty = request.ContentLength == 0 || (request.ContentLength is null && string.IsNullOrEmpty(request.ContentType));
        if (declaredEmpty)
        {
            return optional ? (null, null) : (null, Problems.Validation(BodyField, "A JSON object is required."));
        }

        if (!request.HasJsonContentType())
        {
            return (null, Problems.UnsupportedMediaType());
        }

        try
        {
            var (value, unreadable) = await RequestBody.ReadAsync(
                context,
                typeInfo,
                static (typeInfo, body, cancellationToken) => JsonSerializer.DeserializeAsync(body, typeInfo, cancellationToken)).ConfigureAwait(false);
            if (unreadable is not null)
            {
                return (null, unreadable);
            }

            return value is null ? (null, Problems.Validation(BodyField, "A JSON object is required.")) : (value, null);
        }
        catch (JsonException ex)
        {
            // The serializer's message names .NET types; the member path is what the caller needs. A syntax error
            // (wrapped reader error) is the body's fault wherever it stopped; otherwise the member is unknown or mistyped.
            var field = ex.InnerException is JsonException ? BodyField : FieldOf(ex.Path);
            var message = IsDuplicateMember(ex)
                ? $"A member appears more than once in '{field}': each member of a JSON object may be given once."
                : field == BodyField
                    ? "The body is not a valid JSON object."
                    : $"'{field}' is not a member of this request or has the wrong type.";
            return (null, Problems.Validation(field, message));
        }
    }

    /// <summary>
    /// Whether the serializer refused a member given twice (<see cref="JsonSerializerOptions.AllowDuplicateProperties"/>
    /// is off): its path is the member itself, or the settings member whose object holds the duplicate at some depth.
    /// </summary>
    /// <remarks>System.Text.Json has no distinct exception for this; its messages all begin "Duplicate propert…".</remarks>
    private static bool IsDuplicateMember(JsonException exception) =>
        exception.InnerException is null && exception.Message.StartsWith("Duplicate propert", StringComparison.Ordinal);

    /// <summary>Turns a JSON path such as <c>$.settings.eventFlags</c> into <c>settings.eventFlags</c>.</summary>
    internal static string FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return BodyField;
        }

        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
    }
}
