using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Chatterfy.Postbacks.Testing;

/// <summary>Query-string text: percent-encoding values, overriding parameters, and the JSON form of a query.</summary>
internal static class QueryText
{
    /// <summary>
    /// Percent-encodes everything but RFC 3986 unreserved characters and the sub-delimiters networks send as they are
    /// (<c>, : @ ! $ ' ( ) *</c>), so <c>12,50</c> stays readable and <c>+</c>, <c>&amp;</c>, <c>=</c>, <c>?</c>,
    /// <c>#</c> and <c>%</c> cannot change the query's structure.
    /// </summary>
    public static string Escape(string value)
    {
        var builder = new StringBuilder(value.Length);
        Span<byte> bytes = stackalloc byte[4];
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' or ',' or ':' or '@' or '!' or '$' or '\'' or '(' or ')' or '*')
            {
                builder.Append(c);
                continue;
            }

            var length = char.IsSurrogatePair(value, i)
                ? Encoding.UTF8.GetBytes(value.AsSpan(i++, 2), bytes)
                : Encoding.UTF8.GetBytes(value.AsSpan(i, 1), bytes);
            foreach (var b in bytes[..length])
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    /// <summary>Applies <see cref="PostbackSimulationOptions.Parameters"/> to a raw query (without its <c>?</c>).</summary>
    public static string? ApplyOverrides(string? query, IReadOnlyDictionary<string, string?> overrides)
    {
        if (overrides.Count == 0)
        {
            return query;
        }

        var pairs = string.IsNullOrEmpty(query) ? [] : query.Split('&').ToList();
        foreach (var (name, value) in overrides)
        {
            var replacement = value is null ? null : Escape(name) + "=" + Escape(value);
            var result = new List<string>(pairs.Count + 1);
            var replaced = false;
            foreach (var pair in pairs)
            {
                if (NameOf(pair) != name)
                {
                    result.Add(pair);
                }
                else if (!replaced)
                {
                    replaced = true;
                    if (replacement is not null)
                    {
                        result.Add(replacement);
                    }
                }
            }

            if (!replaced && replacement is not null)
            {
                result.Add(replacement);
            }

            pairs = result;
        }

        return string.Join('&', pairs);
    }

    /// <summary>A flat JSON object of the query's decoded parameters, in order.</summary>
    public static string ToJson(string? query)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            foreach (var pair in string.IsNullOrEmpty(query) ? [] : query.Split('&'))
            {
                if (pair.Length == 0)
                {
                    continue;
                }

                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                writer.WriteString(NameOf(pair), equals < 0 ? "" : WebUtility.UrlDecode(pair[(equals + 1)..]));
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string NameOf(string pair)
    {
        var equals = pair.IndexOf('=', StringComparison.Ordinal);
        return WebUtility.UrlDecode(equals < 0 ? pair : pair[..equals]);
    }
}
