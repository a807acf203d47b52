using System.Buffers;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Storage;
using Microsoft.Data.Sqlite;

namespace Chatterfy.Postbacks.Sqlite;

/// <summary>
/// Converts values to and from their column representation (see the conventions on <see cref="SqliteSchema"/>). Stored words
/// (outcomes, attributions, statuses) come from <see cref="StoredWords"/>, their one home.
/// </summary>
internal static class SqliteValues
{
    private static readonly long UnixEpochTicks = DateTimeOffset.UnixEpoch.UtcTicks;

    private static readonly int UnixEpochDayNumber = DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;

    public static long ToDb(DateTimeOffset value) => value.UtcTicks - UnixEpochTicks;

    public static DateTimeOffset ToDateTimeOffset(long value) => new(value + UnixEpochTicks, TimeSpan.Zero);

    /// <summary>
    /// The SQL expression of the UTC day of the time column <paramref name="column"/>: the number of whole days since the
    /// Unix epoch, rounded down (SQLite's integer division rounds toward zero, which differs before 1970).
    /// </summary>
    public static string DayOf(string column) =>
        $"(CASE WHEN {column} >= 0 THEN {column} / {TimeSpan.TicksPerDay} ELSE ({column} + 1) / {TimeSpan.TicksPerDay} - 1 END)";

    /// <summary>The <see cref="DayOf(string)"/> number of a stored time: the UTC day it falls in.</summary>
    public static long DayOf(long value) => value >= 0 ? value / TimeSpan.TicksPerDay : ((value + 1) / TimeSpan.TicksPerDay) - 1;

    /// <summary>The stored time at which the <see cref="DayOf(string)"/> day <paramref name="day"/> starts (00:00 UTC).</summary>
    public static long StartOfDay(long day) => day * TimeSpan.TicksPerDay;

    /// <summary>The <see cref="DayOf(string)"/> number of a day (days since the Unix epoch).</summary>
    public static long ToDb(DateOnly day) => day.DayNumber - UnixEpochDayNumber;

    /// <summary>The day of a <see cref="DayOf(string)"/> number.</summary>
    public static DateOnly ToDay(long daysSinceUnixEpoch) => DateOnly.FromDayNumber(checked((int)(UnixEpochDayNumber + daysSinceUnixEpoch)));

    public static string ToDb(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    public static decimal ToDecimal(string value) =>
        decimal.Parse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);

    public static string? ToDb(IPAddress? value) => value?.ToString();

    public static IPAddress? ToIpAddress(string? value) => value is null ? null : IPAddress.Parse(value);

    /// <summary>An event is stored by its canonical name, which parses back to the same event (custom names never collide with aliases).</summary>
    public static PostbackEvent ToEvent(string value) =>
        PostbackEvent.TryParse(value, out var parsed) ? parsed : throw new InvalidDataException($"Unknown event '{value}' in the database.");

    public static string ToJson(IReadOnlyDictionary<string, string> values)
    {
        if (values.Count == 0)
        {
            return "{}";
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in values)
            {
                writer.WriteString(key, value);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static ReadOnlyDictionary<string, string> ToDictionary(string json)
    {
        using var document = JsonDocument.Parse(json);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            values[property.Name] = property.Value.GetString() ?? "";
        }

        return values.AsReadOnly();
    }

    public static string ToJson(IReadOnlyList<string> values)
    {
        if (values.Count == 0)
        {
            return "[]";
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var value in values)
            {
                writer.WriteStringValue(value);
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static ReadOnlyCollection<string> ToList(string json)
    {
        using var document = JsonDocument.Parse(json);
        var values = new List<string>(document.RootElement.GetArrayLength());
        foreach (var item in document.RootElement.EnumerateArray())
        {
            values.Add(item.GetString() ?? "");
        }

        return values.AsReadOnly();
    }

    public static string? ToDb(JsonElement? value) => value?.GetRawText();

    public static JsonElement? ToJsonElement(string? value)
    {
        if (value is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(value);
        return document.RootElement.Clone();
    }

    public static long? ToDb(DateTimeOffset? value) => value is { } time ? ToDb(time) : null;

    public static DateTimeOffset? ToNullableDateTimeOffset(long? value) => value is { } ticks ? ToDateTimeOffset(ticks) : null;

    public static string? ToDb(DestinationError? value)
    {
        if (value is null)
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            WriteOptional(writer, "code", value.Code);
            WriteOptional(writer, "subcode", value.Subcode);
            WriteOptional(writer, "type", value.Type);
            WriteOptional(writer, "message", value.Message);
            WriteOptional(writer, "traceId", value.TraceId);
            writer.WriteBoolean("isTransient", value.IsTransient);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static DestinationError? ToDestinationError(string? json)
    {
        if (json is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return new DestinationError
        {
            Code = ReadOptional(root, "code"),
            Subcode = ReadOptional(root, "subcode"),
            Type = ReadOptional(root, "type"),
            Message = ReadOptional(root, "message"),
            TraceId = ReadOptional(root, "traceId"),
            IsTransient = root.TryGetProperty("isTransient", out var transient) && transient.ValueKind == JsonValueKind.True,
        };
    }

    /// <summary>Adds a parameter, mapping <see langword="null"/> to SQL NULL.</summary>
    public static void AddValue(this SqliteParameterCollection parameters, string name, object? value) =>
        parameters.AddWithValue(name, value ?? DBNull.Value);

    public static string? GetNullableString(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static long? GetNullableInt64(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static string? ReadOptional(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
