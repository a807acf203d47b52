using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using NpgsqlTypes;

namespace Chatterfy.Postbacks.PostgreSql;

/// <summary>
/// How the store's values become parameters and come back from rows: the few conversions PostgreSQL needs (times in UTC
/// to the microsecond, no U+0000 in text, no IPv6 zone index in <c>inet</c>).
/// </summary>
internal static class PostgreSqlValues
{
    // U+0000 and the surrogates (valid pairs among them are kept).
    private static readonly SearchValues<char> Unstorable = SearchValues.Create("\0" + string.Concat(Enumerable.Range(0xD800, 0x800).Select(c => (char)c)));

    public static NpgsqlParameter Param(NpgsqlDbType type, object? value) => new() { NpgsqlDbType = type, Value = value ?? DBNull.Value };

    public static NpgsqlParameter Text(string? value) => Param(NpgsqlDbType.Text, Clean(value));

    public static NpgsqlParameter Jsonb(string? json) => Param(NpgsqlDbType.Jsonb, json);

    public static NpgsqlParameter Time(DateTimeOffset value) => Param(NpgsqlDbType.TimestampTz, value.ToUniversalTime());

    public static NpgsqlParameter Time(DateTimeOffset? value) => Param(NpgsqlDbType.TimestampTz, value?.ToUniversalTime());

    public static NpgsqlParameter Inet(IPAddress? address) => Param(NpgsqlDbType.Inet, InetValue(address));

    public static NpgsqlParameter TextArray(IEnumerable<string?> values) => Param(NpgsqlDbType.Array | NpgsqlDbType.Text, values.Select(v => Clean(v)).ToArray());

    /// <summary>An array parameter of <paramref name="type"/> elements.</summary>
    public static NpgsqlParameter ArrayOf<T>(NpgsqlDbType type, T[] values) => new NpgsqlParameter<T[]> { NpgsqlDbType = NpgsqlDbType.Array | type, TypedValue = values };

    // inet has no zone index: an IPv6 scope id (fe80::1%eth0) would not round-trip, so it is dropped.
    public static IPAddress? InetValue(IPAddress? address) =>
        address is { AddressFamily: AddressFamily.InterNetworkV6, ScopeId: not 0 } ? new IPAddress(address.GetAddressBytes()) : address;

    public static DateTime? TimeValue(DateTimeOffset? value) => value?.UtcDateTime;

    /// <summary>
    /// PostgreSQL text (UTF-8) cannot hold U+0000 nor a lone UTF-16 surrogate; each is written as U+FFFD rather than failing
    /// the write (and the batch it is in). Surrogate pairs are kept.
    /// </summary>
    [return: NotNullIfNotNull(nameof(value))]
    public static string? Clean(string? value)
    {
        if (value is null || value.AsSpan().IndexOfAny(Unstorable) < 0)
        {
            return value;
        }

        return string.Create(value.Length, value, static (chars, text) =>
        {
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    chars[i] = c;
                    chars[++i] = text[i];
                }
                else
                {
                    chars[i] = c == '\0' || char.IsSurrogate(c) ? '\uFFFD' : c;
                }
            }
        });
    }

    public static string? NullableString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static DateTimeOffset? NullableTime(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);

    public static IPAddress? NullableInet(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<IPAddress>(ordinal);
}
