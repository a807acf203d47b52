using System.Text;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Storage;
using Microsoft.Data.Sqlite;

namespace Chatterfy.Postbacks.Sqlite;

/// <summary>
/// The postback log in <c>postback_log</c> (entries are written by <see cref="SqliteIngestStore"/>), and the figures the
/// stats are made of.
/// </summary>
/// <param name="database">The store whose connection and writer it uses.</param>
internal sealed partial class SqliteLogStore(SqlitePostbackStore database) : PostbackLogStore
{
    // A purge deletes in chunks, each its own write, so a large purge never holds the writer for long.
    private const int PurgeChunk = 2000;

    private const string LogColumns =
        "id, received_at, set_id, outcome, code, warnings, conversion_id, method, path, event_segment, query_string, body, content_type, remote_address, deposit_number";

    /// <inheritdoc />
    protected override ValueTask<PostbackLogEntry?> GetCoreAsync(string logEntryId, CancellationToken cancellationToken) =>
        database.ReadAsync(
            (connection, _) =>
            {
                using var command = SqlitePostbackStore.Command(connection, $"SELECT {LogColumns} FROM postback_log WHERE id = $id");
                command.Parameters.AddValue("$id", logEntryId);
                using var reader = command.ExecuteReader();
                return reader.Read() ? ReadLogEntry(reader) : null;
            },
            cancellationToken);

    /// <inheritdoc />
    protected override ValueTask<IReadOnlyList<PostbackLogEntry>> ListCoreAsync(PostbackLogQuery query, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<PostbackLogEntry>>(
            (connection, cancellationToken) =>
            {
                // One read transaction, so the cursor and the page come from the same snapshot.
                using var transaction = connection.BeginTransaction(deferred: true);
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                var sql = new StringBuilder($"SELECT {LogColumns} FROM postback_log WHERE 1 = 1");
                if (query.BeforeId is { } beforeId && !SqliteKeysetPage.TryAppendCursor(command, sql, "postback_log", "received_at", beforeId))
                {
                    return Array.Empty<PostbackLogEntry>();
                }

                if (query.SetId is { } setId)
                {
                    sql.Append(" AND set_id = $set_id");
                    command.Parameters.AddValue("$set_id", setId);
                }

                if (query.Outcome is { } outcome)
                {
                    sql.Append(" AND outcome = $outcome");
                    command.Parameters.AddValue("$outcome", StoredWords.Of(outcome));
                }

                if (query.Code is { } code)
                {
                    sql.Append(" AND code = $code");
                    command.Parameters.AddValue("$code", code);
                }

                if (query.From is { } from)
                {
                    sql.Append(" AND received_at >= $from");
                    command.Parameters.AddValue("$from", SqliteValues.ToDb(from));
                }

                if (query.To is { } to)
                {
                    sql.Append(" AND received_at < $to");
                    command.Parameters.AddValue("$to", SqliteValues.ToDb(to));
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

    /// <inheritdoc />
    protected override async ValueTask<int> PurgeCoreAsync(DateTimeOffset receivedBefore, CancellationToken cancellationToken)
    {
        var cutOff = SqliteValues.ToDb(receivedBefore);
        var total = 0;
        while (true)
        {
            var purged = await database.WriteAsync(
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

    /// <summary>Writes a log entry in the writer's transaction (for <see cref="SqliteIngestStore"/>).</summary>
    /// <param name="session">The writer's session.</param>
    /// <param name="row">The entry's values.</param>
    /// <param name="outcome">The stored word of its outcome.</param>
    /// <param name="conversionId">Its conversion's id, or <see langword="null"/>.</param>
    /// <param name="depositNumber">The deposit number its conversion took, or <see langword="null"/>.</param>
    /// <exception cref="SqliteException">Its id is taken (a constraint violation).</exception>
    internal static void InsertLogEntry(SqliteWriteSession session, LogRow row, string outcome, string? conversionId, long? depositNumber = null)
    {
        var insert = session.Statement($"INSERT INTO postback_log ({LogColumns}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)");
        insert.Bind(1, row.Id);
        insert.Bind(2, row.ReceivedAt);
        insert.Bind(3, row.SetId);
        insert.Bind(4, outcome);
        insert.Bind(5, row.Code);
        insert.Bind(6, row.Warnings);
        insert.Bind(7, conversionId);
        insert.Bind(8, row.Method);
        insert.Bind(9, row.Path);
        insert.Bind(10, row.EventSegment);
        insert.Bind(11, row.QueryString);
        insert.Bind(12, row.Body);
        insert.Bind(13, row.ContentType);
        insert.Bind(14, row.RemoteAddress);
        insert.Bind(15, depositNumber);
        insert.Execute();
    }

    private static PostbackLogEntry ReadLogEntry(SqliteDataReader reader) => new()
    {
        Id = reader.GetString(0),
        ReceivedAt = SqliteValues.ToDateTimeOffset(reader.GetInt64(1)),
        SetId = reader.GetString(2),
        Outcome = StoredWords.ParseOutcome(reader.GetString(3)),
        Code = reader.GetNullableString(4),
        Warnings = SqliteValues.ToList(reader.GetString(5)),
        ConversionId = reader.GetNullableString(6),
        DepositNumber = reader.IsDBNull(14) ? null : reader.GetInt32(14),
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

    /// <summary>A log entry's column values, taken before the write is queued.</summary>
    internal sealed class LogRow(PostbackLogEntry entry)
    {
        public string Id { get; } = entry.Id;

        public string Outcome { get; } = StoredWords.Of(entry.Outcome);

        public string? ConversionId { get; } = entry.ConversionId;

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
