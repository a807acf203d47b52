using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Chatterfy.Postbacks.Forwarding.Facebook;

/// <summary>Writes one server event of the Conversions API from a conversion and its click.</summary>
internal static class FacebookEventWriter
{
    // The body goes to an API, never into HTML, so the relaxed encoder keeps user agents and URLs readable ('+', '&').
    internal static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes the event, or returns <see langword="null"/> when there is no user data to send (Meta requires some).</summary>
    internal static byte[]? Write(ForwardedConversion item, string eventName, DateTimeOffset now, string? configuredActionSource)
    {
        var record = item.Conversion;
        var conversion = record.Conversion;
        var click = item.Click;

        var fbc = click?.Fbc;
        if (string.IsNullOrEmpty(fbc) && !string.IsNullOrEmpty(click?.Fbclid))
        {
            // Meta's format for a click id captured server-side: fb.{subdomain index}.{creation time in ms}.{fbclid}.
            fbc = $"fb.1.{click.CreatedAt.ToUnixTimeMilliseconds()}.{click.Fbclid}";
        }

        var subject = click?.SubjectId?.Trim();
        var externalId = string.IsNullOrEmpty(subject) ? null : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(subject)));
        var ipAddress = click?.IpAddress is { } ip ? (ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip).ToString() : null;
        var userAgent = NullIfEmpty(click?.UserAgent);
        var fbp = NullIfEmpty(click?.Fbp);
        var eventSourceUrl = NullIfEmpty(click?.EventSourceUrl);
        if (externalId is null && ipAddress is null && userAgent is null && fbc is null && fbp is null)
        {
            return null;
        }

        var actionSource = configuredActionSource ?? (eventSourceUrl is not null && userAgent is not null ? "website" : "system_generated");
        // When the forwarded status took effect: a purchase held, then approved, is sent at its approval.
        var eventTime = item.StatusAt > now ? now : item.StatusAt;

        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("event_name", eventName);
            writer.WriteNumber("event_time", eventTime.ToUnixTimeSeconds());
            writer.WriteString("event_id", record.Id);
            writer.WriteString("action_source", actionSource);
            if (eventSourceUrl is not null)
            {
                writer.WriteString("event_source_url", eventSourceUrl);
            }

            writer.WriteStartObject("user_data");
            WriteIfPresent(writer, "external_id", externalId);
            WriteIfPresent(writer, "client_ip_address", ipAddress);
            WriteIfPresent(writer, "client_user_agent", userAgent);
            WriteIfPresent(writer, "fbc", fbc);
            WriteIfPresent(writer, "fbp", fbp);
            writer.WriteEndObject();

            if (conversion.Amount is { } amount)
            {
                writer.WriteStartObject("custom_data");

                // decimal is written with its own digits and scale (50.00 stays 50.00): exact, culture-free.
                writer.WriteNumber("value", amount);
                WriteIfPresent(writer, "currency", conversion.Currency);
                WriteIfPresent(writer, "order_id", conversion.TransactionId);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteIfPresent(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
