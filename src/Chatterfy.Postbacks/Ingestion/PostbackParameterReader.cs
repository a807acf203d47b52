using System.Net;
using System.Text;
using System.Text.Json;

namespace Chatterfy.Postbacks.Ingestion;

/// <summary>Decodes a request's query string and body (form or JSON object) into parameters, query first.</summary>
internal static class PostbackParameterReader
{
    private const int MaxJsonDepth = 16;
    private const int MaxParameters = 256;

    private static readonly JsonDocumentOptions JsonOptions = new()
    {
        MaxDepth = MaxJsonDepth,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
    };

    /// <summary>Reads the parameters, or returns a <c>body_invalid</c> rejection.</summary>
    public static PostbackRejection? Read(PostbackRequest request, List<KeyValuePair<string, string>> parameters, List<PostbackWarning> warnings)
    {
        if (ReadForm(request.QueryString, parameters))
        {
            warnings.Add(new PostbackWarning(
                PostbackWarningCodes.QueryRepaired,
                "The query string has more than one '?'; each extra '?' was read as '&'. Remove the '?' from the URL configured in the network's panel."));
        }

        var body = request.Body;
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        if (Encoding.UTF8.GetByteCount(body) > PostbackRequest.MaxBodyBytes)
        {
            return new PostbackRejection(PostbackRejectionCodes.BodyInvalid, $"The body is larger than {PostbackRequest.MaxBodyBytes / 1024} KiB.");
        }

        if (IsJson(request.ContentType, body))
        {
            return ReadJson(body, parameters, warnings);
        }

        _ = ReadForm(body, parameters);
        return null;
    }

    /// <summary>Reads <c>a=1&amp;b=2</c>, form-decoded; returns whether a stray <c>?</c> had to be read as a separator.</summary>
    private static bool ReadForm(string text, List<KeyValuePair<string, string>> parameters)
    {
        var span = text.AsSpan();
        if (span.StartsWith('?'))
        {
            span = span[1..];
        }

        var repaired = false;
        while (!span.IsEmpty && parameters.Count < MaxParameters)
        {
            var end = span.IndexOfAny('&', '?');
            var pair = end < 0 ? span : span[..end];
            repaired |= end >= 0 && span[end] == '?';
            span = end < 0 ? [] : span[(end + 1)..];
            if (pair.IsEmpty)
            {
                continue;
            }

            var equals = pair.IndexOf('=');
            var name = Decode(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : Decode(pair[(equals + 1)..]);
            if (name.Length > 0)
            {
                parameters.Add(new(name, value));
            }
        }

        return repaired;
    }

    // WebUtility.UrlDecode turns '+' into a space and malformed UTF-8 into U+FFFD instead of throwing.
    private static string Decode(ReadOnlySpan<char> text) =>
        text.ContainsAny('%', '+') ? WebUtility.UrlDecode(text.ToString()) : text.ToString();

    private static bool IsJson(string? contentType, string body)
    {
        if (contentType is not null)
        {
            if (contentType.Contains("json", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            if (contentType.Contains("form-urlencoded", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return body.AsSpan().TrimStart().StartsWith('{');
    }

    private static PostbackRejection? ReadJson(string body, List<KeyValuePair<string, string>> parameters, List<PostbackWarning> warnings)
    {
        try
        {
            using var document = JsonDocument.Parse(body, JsonOptions);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return new PostbackRejection(PostbackRejectionCodes.BodyInvalid, "A JSON body must be an object of parameters, e.g. {\"clickid\":\"abc\",\"amount\":\"10\"}.");
            }

            Flatten(document.RootElement, prefix: null, parameters, warnings);
            return null;
        }
        catch (JsonException ex)
        {
            return new PostbackRejection(PostbackRejectionCodes.BodyInvalid, $"The body is not valid JSON (nested at most {MaxJsonDepth} deep): {ex.Message}");
        }
        catch (InvalidOperationException)
        {
            // JsonDocument accepts an escaped lone surrogate ("\ud800") while parsing and throws only when the string is read.
            return new PostbackRejection(PostbackRejectionCodes.BodyInvalid, "The body is not valid JSON: a string holds an escaped lone surrogate (e.g. \\ud800), which is not text.");
        }
    }

    // Nested objects become dotted names, so {"tracker":{"event":"sale"}} reads like tracker.event=sale.
    private static void Flatten(JsonElement element, string? prefix, List<KeyValuePair<string, string>> parameters, List<PostbackWarning> warnings)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (parameters.Count >= MaxParameters)
            {
                return;
            }

            var name = prefix is null ? property.Name : prefix + "." + property.Name;
            var value = property.Value;
            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    parameters.Add(new(name, value.GetString() ?? ""));
                    break;
                case JsonValueKind.Number:
                    // The raw text keeps the exact digits; the amount grammar decides what is valid (1e309 is not).
                    parameters.Add(new(name, value.GetRawText()));
                    break;
                case JsonValueKind.True:
                    parameters.Add(new(name, "true"));
                    break;
                case JsonValueKind.False:
                    parameters.Add(new(name, "false"));
                    break;
                case JsonValueKind.Object:
                    Flatten(value, name, parameters, warnings);
                    break;
                case JsonValueKind.Array:
                    warnings.Add(new PostbackWarning(PostbackWarningCodes.ParameterIgnored, $"The JSON parameter '{name}' is an array; arrays are not read.", name));
                    break;
                default:
                    break;
            }
        }
    }
}
