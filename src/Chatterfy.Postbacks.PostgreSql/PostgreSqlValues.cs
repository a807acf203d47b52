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
    public static NpgsqlParameter Param(NpgsqlDbType type, object? value) => new() { NpgsqlDbType = type, Value = value ?? DBNull.Value };

    public static NpgsqlParameter Text(string? value) => Param(NpgsqlDbType.Text, Clean(value));

    public static NpgsqlParameter Jsonb(string? json) => Param(NpgsqlDbType.Jsonb, json);

    public static NpgsqlParameter Time(DateTimeOffset value) => Param(NpgsqlDbType.TimestampTz, value.ToUniversalTime());

    public static NpgsqlParameter Time(DateTimeOffset? value) => Param(NpgsqlDbType.TimestampTz, value?.ToUniversalTime());

    public static NpgsqlParameter Inet(IPAddress? address) => Param(NpgsqlDbType.Inet, InetValue(address));

    public static NpgsqlParameter TextArray(IEnumerable<string?> values) => Param(NpgsqlDbType.Array | NpgsqlDbType.Text, values.Select(v => Clean(v)).ToArray());

    /// <summary>An array parameter of <paramref name="type"/> elements.</summary>
    public static NpgsqlParameter ArrayOf<T>(NpgsqlDbType type, T[] values) => new() { NpgsqlDbType = NpgsqlDbType.Array | type, Value = values };

    // inet has no zone index: an IPv6 scope id (fe80::1%eth0) would not round-trip, so it is dropped.
    public static IPAddress? InetValue(IPAddress? address) =>
        address is { AddressFamily: AddressFamily.InterNetworkV6, ScopeId: not 0 } ? new IPAddress(address.GetAddressBytes()) : address;

    public static DateTime? TimeValue(DateTimeOffset? value) => value?.UtcDateTime;

    /// <summary>PostgreSQL text cannot hold U+0000; it is written as U+FFFD rather than failing the whole write.</summary>
    [return: NotNullIfNotNull(nameof(value))]
    public static string? Clean(string? value) =>
        value is not null && value.Contains('\0', StringComparison.Ordinal) ? value.Replace('\0', '\uFFFD') : value;

    public static string? NullableString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static DateTimeOffset? NullableTime(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);

    public static IPAddress? NullableInet(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<IPAddress>(ordinal);
}
