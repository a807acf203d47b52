using System.Text;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Storage;
using Microsoft.Data.Sqlite;

namespace Chatterfy.Postbacks.Sqlite;

// The postback log.
public sealed partial class SqlitePostbackStore
{
    private const int MaxLogLimit = 1000;

    // A purge deletes in chunks, each its own write, so a large purge never holds the writer for long.
    private const int PurgeChunk = 2000;

    private const string LogColumns =
        "id, received_at, set_id, outcome, code, warnings, conversion_id, method, path, event_segment, query_string, body, content_type, remote_address";

    /// <inheritdoc />
    public override async ValueTask AppendLogAsync(PostbackLogEntry logEntry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(logEntry);
        var log = new LogRow(logEntry);
        await WriteAsync(
            session =>
            {
                ThrowIfLogEntryExists(session, log.Id);
                InsertLog(session, log, logEntry.Outcome, logEntry.ConversionId);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override ValueTask<PostbackLogEntry?> GetLogEntryAsync(string logEntryId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(logEntryId);
        return ReadAsync(
            (connection, _) =>
            {
                using var command = Command(connection, $"SELECT {LogColumns} FROM postback_log WHERE id = $id");
                command.Parameters.AddValue("$id", logEntryId);
                using var reader = command.ExecuteReader();
                return reader.Read() ? ReadLogEntry(reader) : null;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public override ValueTask<IReadOnlyList<PostbackLogEntry>> ListLogAsync(PostbackLogQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Limit, MaxLogLimit, nameof(query));
        return ReadAsync<IReadOnlyList<PostbackLogEntry>>(
            (connection, cancellationToken) =>
            {
                // One read transaction, so the cursor and the page come from the same snapshot.
                using var transaction = connection.BeginTransaction(deferred: true);
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                var sql = new StringBuilder($"SELECT {LogColumns} FROM postback_log WHERE 1 = 1");
                if (query.BeforeId is { } beforeId)
                {
                    using var cursor = Command(connection, "SELECT received_at FROM postback_log WHERE id = $id");
                    cursor.Transaction = transaction;
                    cursor.Parameters.AddValue("$id", beforeId);
                    if (cursor.ExecuteScalar() is not long cursorReceivedAt)
                    {
                        return Array.Empty<PostbackLogEntry>();
                    }

                    // Strictly after the cursor in the order (received_at DESC, id DESC), whether or not it matches the filters.
                    sql.Append(" AND (received_at, id) < ($cursor_received_at, $cursor_id)");
                    command.Parameters.AddValue("$cursor_received_at", cursorReceivedAt);
                    command.Parameters.AddValue("$cursor_id", beforeId);
                }

                if (query.SetId is { } setId)
                {
                    sql.Append(" AND set_id = $set_id");
                    command.Parameters.AddValue("$set_id", setId);
                }

                if (query.Outcome is { } outcome)
                {
                    sql.Append(" AND outcome = $outcome");
                    command.Parameters.AddValue("$outcome", SqliteValues.ToDb(outcome));
                }

                sql.Append(" ORDER BY received_at DESC, id DESC LIMIT $limit");
                command.Parameters.AddValue("$limit", query.Limit);
                command.CommandText = sql.ToString();
                using var reader = command.ExecuteReader();
                var page = new List<PostbackLogEntry>(Math.Min(query.Limit, 64));
                while (reader.Read())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    page.Add(ReadLogEntry(reader));
                }

                return page.AsReadOnly();
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public override async ValueTask<int> PurgeLogAsync(DateTimeOffset receivedBefore, CancellationToken cancellationToken)
    {
        var cutOff = SqliteValues.ToDb(receivedBefore);
        var total = 0;
        while (true)
        {
            var purged = await WriteAsync(
                session =>
                {
                    var command = session.Command("""
                        DELETE FROM postback_log WHERE rowid IN (SELECT rowid FROM postback_log WHERE received_at < $cut_off LIMIT $chunk)
                        """);
                    command.Parameters.AddValue("$cut_off", cutOff);
                    command.Parameters.AddValue("$chunk", PurgeChunk);
                    return command.ExecuteNonQuery();
                },
                cancellationToken).ConfigureAwait(false);
            total += purged;
            if (purged < PurgeChunk)
            {
                return total;
            }
        }
    }

    private static void ThrowIfLogEntryExists(WriteSession session, string id)
    {
        if (Exists(session, "SELECT 1 FROM postback_log WHERE id = $value", id))
        {
            throw new InvalidOperationException($"A postback log entry with id '{id}' exists.");
        }
    }

    private static void InsertLog(WriteSession session, LogRow row, PostbackOutcome outcome, string? conversionId)
    {
        var command = session.Command($"""
            INSERT INTO postback_log ({LogColumns})
            VALUES ($id, $received_at, $set_id, $outcome, $code, $warnings, $conversion_id, $method, $path, $event_segment, $query_string,
                    $body, $content_type, $remote_address)
            """);
        command.Parameters.AddValue("$id", row.Id);
        command.Parameters.AddValue("$received_at", row.ReceivedAt);
        command.Parameters.AddValue("$set_id", row.SetId);
        command.Parameters.AddValue("$outcome", SqliteValues.ToDb(outcome));
        command.Parameters.AddValue("$code", row.Code);
        command.Parameters.AddValue("$warnings", row.Warnings);
        command.Parameters.AddValue("$conversion_id", conversionId);
        command.Parameters.AddValue("$method", row.Method);
        command.Parameters.AddValue("$path", row.Path);
        command.Parameters.AddValue("$event_segment", row.EventSegment);
        command.Parameters.AddValue("$query_string", row.QueryString);
        command.Parameters.AddValue("$body", row.Body);
        command.Parameters.AddValue("$content_type", row.ContentType);
        command.Parameters.AddValue("$remote_address", row.RemoteAddress);
        command.ExecuteNonQuery();
    }

    private static PostbackLogEntry ReadLogEntry(SqliteDataReader reader) => new()
    {
        Id = reader.GetString(0),
        ReceivedAt = SqliteValues.ToDateTimeOffset(reader.GetInt64(1)),
        SetId = reader.GetString(2),
        Outcome = SqliteValues.ToOutcome(reader.GetString(3)),
        Code = reader.GetNullableString(4),
        Warnings = SqliteValues.ToList(reader.GetString(5)),
        ConversionId = reader.GetNullableString(6),
        Request = new PostbackRequest
        {
            Method = reader.GetString(7),
            Path = reader.GetString(8),
            EventSegment = reader.GetNullableString(9),
            QueryString = reader.GetString(10),
            Body = reader.GetNullableString(11),
            ContentType = reader.GetNullableString(12),
            RemoteAddress = SqliteValues.ToIpAddress(reader.GetNullableString(13)),
        },
    };

    /// <summary>A log entry's column values (outcome and conversion id apart), taken before the write is queued.</summary>
    private sealed class LogRow(PostbackLogEntry entry)
    {
        public string Id { get; } = entry.Id ?? throw new ArgumentNullException(nameof(entry), "The log entry has no id.");

        public long ReceivedAt { get; } = SqliteValues.ToDb(entry.ReceivedAt);

        public string SetId { get; } = entry.SetId;

        public string? Code { get; } = entry.Code;

        public string Warnings { get; } = SqliteValues.ToJson(entry.Warnings ?? []);

        public string Method { get; } = entry.Request?.Method ?? "GET";

        public string Path { get; } = entry.Request?.Path ?? "";

        public string? EventSegment { get; } = entry.Request?.EventSegment;

        public string QueryString { get; } = entry.Request?.QueryString ?? "";

        public string? Body { get; } = entry.Request?.Body;

        public string? ContentType { get; } = entry.Request?.ContentType;

        public string? RemoteAddress { get; } = SqliteValues.ToDb(entry.Request?.RemoteAddress);
    }
}
