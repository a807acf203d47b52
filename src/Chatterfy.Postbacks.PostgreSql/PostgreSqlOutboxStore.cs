using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using static Chatterfy.Postbacks.PostgreSql.PostgreSqlPostbackStore;
using static Chatterfy.Postbacks.PostgreSql.PostgreSqlValues;

namespace Chatterfy.Postbacks.PostgreSql;

/// <summary>
/// The forwarding outbox in PostgreSQL. Leases are taken with <c>FOR UPDATE SKIP LOCKED</c>, so any number of dispatchers on
/// any number of instances lease disjoint messages; completions apply only while their lease is still held.
/// </summary>
internal sealed class PostgreSqlOutboxStore(PostgreSqlPostbackStore db, ILogger logger) : OutboxStore
{
    /// <summary>The columns of a message, in the order <see cref="Read"/> reads them and the append writes them.</summary>
    internal const string Columns =
        "id, conversion_id, rule_id, destination_id, created_at, status, next_attempt_at, retry_from, attempt_count, last_error_code, last_error, completed_at, lease_id, lease_expires_at, history_entry_id";

    private const string AttemptColumns =
        "message_id, number, started_at, duration, status, http_status_code, error_code, reason, response_excerpt, destination_error_code, destination_error_subcode, destination_error_type, destination_error_message, destination_error_trace_id, destination_error_transient";

    // Literals, not parameters: outbox_messages_due is a partial index on the pending status.
    private static readonly string Pending = StoredWords.Of(OutboxMessageStatus.Pending);
    private static readonly string DeadLettered = StoredWords.Of(OutboxMessageStatus.DeadLettered);

    private readonly string _s = db.QuotedSchema;

    protected override async ValueTask<IReadOnlyList<OutboxMessage>> LeaseCoreAsync(OutboxLeaseRequest request, CancellationToken cancellationToken) =>
        // SKIP LOCKED: rows another dispatcher is leasing right now are passed over, not waited for; once it commits they
        // carry its live lease and no longer match. UPDATE … RETURNING has no order, so the rows are sorted afterwards.
        await db.QueryListAsync(
            $"""
            WITH leased AS (
                UPDATE {_s}.outbox_messages
                SET lease_id = $1, lease_expires_at = $3
                WHERE id IN (
                    SELECT id FROM {_s}.outbox_messages
                    WHERE status = '{Pending}' AND next_attempt_at <= $2 AND (lease_id IS NULL OR lease_expires_at <= $2)
                      AND NOT (rule_id = ANY($5))
                    ORDER BY next_attempt_at, id
                    LIMIT $4
                    FOR UPDATE SKIP LOCKED)
                RETURNING {Columns}
            )
            SELECT {Columns} FROM leased ORDER BY next_attempt_at, id COLLATE "C"
            """,
            Read,
            [
                Text(request.LeaseId),
                Time(request.Now),
                Time(request.Now + request.Duration),
                Param(NpgsqlDbType.Integer, request.MaxCount),
                TextArray(request.ExcludedRuleIds),
            ],
            cancellationToken).ConfigureAwait(false);

    protected override async ValueTask<int> CompleteCoreAsync(IReadOnlyList<OutboxCompletion> completions, CancellationToken cancellationToken)
    {
        // Rows are locked in id order, so two transactions completing overlapping messages cannot deadlock.
        var ordered = completions.OrderBy(c => c.Attempt.MessageId, StringComparer.Ordinal).ToArray();
        var applied = await db.RunAsync(
            async (connection, ct) =>
            {
                // One batch is one implicit transaction. Each statement updates the message only while it is pending and
                // holds the completion's lease, and records the attempt only when that update hit the row.
                var batch = db.NewBatch(connection, null);
                await using (batch.ConfigureAwait(false))
                {
                    foreach (var completion in ordered)
                    {
                        batch.BatchCommands.Add(CompletionCommand(completion));
                    }

                    var count = 0;
                    var reader = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        do
                        {
                            while (await reader.ReadAsync(ct).ConfigureAwait(false))
                            {
                                count++;
                            }
                        }
                        while (await reader.NextResultAsync(ct).ConfigureAwait(false));
                    }

                    return count;
                }
            },
            cancellationToken).ConfigureAwait(false);

        if (applied < completions.Count)
        {
            PostgreSqlLog.OutboxCompletionsSkipped(logger, completions.Count - applied, completions.Count);
        }

        return applied;
    }

    protected override async ValueTask<int> ExtendLeaseCoreAsync(string leaseId, IReadOnlyCollection<string> messageIds, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        await db.NonQueryAsync(
            $"UPDATE {_s}.outbox_messages SET lease_expires_at = $3 WHERE lease_id = $1 AND status = '{Pending}' AND id = ANY($2)",
            [Text(leaseId), TextArray(messageIds), Time(expiresAt)],
            cancellationToken).ConfigureAwait(false);

    protected override async ValueTask<int> ReleaseLeaseCoreAsync(string leaseId, IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken) =>
        await db.NonQueryAsync(
            $"UPDATE {_s}.outbox_messages SET lease_id = NULL, lease_expires_at = NULL WHERE lease_id = $1 AND status = '{Pending}' AND id = ANY($2)",
            [Text(leaseId), TextArray(messageIds)],
            cancellationToken).ConfigureAwait(false);

    protected override async ValueTask<OutboxMessage?> GetCoreAsync(string messageId, CancellationToken cancellationToken) =>
        await db.QuerySingleAsync($"SELECT {Columns} FROM {_s}.outbox_messages WHERE id = $1", Read, [Text(messageId)], cancellationToken).ConfigureAwait(false);

    protected override async ValueTask<IReadOnlyList<OutboxAttempt>> ListAttemptsCoreAsync(string messageId, CancellationToken cancellationToken) =>
        await db.QueryListAsync(
            $"SELECT {AttemptColumns} FROM {_s}.outbox_attempts WHERE message_id = $1 ORDER BY number",
            ReadAttempt,
            [Text(messageId)],
            cancellationToken).ConfigureAwait(false);

    protected override async ValueTask<IReadOnlyList<OutboxMessage>> ListCoreAsync(OutboxQuery query, CancellationToken cancellationToken)
    {
        var filter = new PostgreSqlFilter();
        if (query.Status is { } status)
        {
            filter.Add("m.status = {0}", Text(StoredWords.Of(status)));
        }

        if (query.ConversionId is not null)
        {
            filter.Add("m.conversion_id = {0}", Text(query.ConversionId));
        }

        if (query.RuleId is not null)
        {
            filter.Add("m.rule_id = {0}", Text(query.RuleId));
        }

        if (query.BeforeId is not null)
        {
            // Messages after the cursor in (created_at DESC, id DESC) order; an unknown cursor compares with NULL: no rows.
            filter.Add($"(m.created_at, m.id) < (SELECT c.created_at, c.id FROM {_s}.outbox_messages c WHERE c.id = {{0}})", Text(query.BeforeId));
        }

        var limit = filter.Next(Param(NpgsqlDbType.Integer, query.Limit));
        return await db.QueryListAsync(
            $"SELECT {Columns} FROM {_s}.outbox_messages m{filter.Where} ORDER BY m.created_at DESC, m.id DESC LIMIT {limit}",
            Read,
            [.. filter.Parameters],
            cancellationToken).ConfigureAwait(false);
    }

    protected override async ValueTask<OutboxMessage?> RescheduleCoreAsync(string messageId, DateTimeOffset now, CancellationToken cancellationToken) =>
        // A dead letter starts over (new retry horizon); a pending message not under a live lease is made due now. Any
        // other message is returned as it is: the second branch reads it only when the update changed nothing.
        await db.QuerySingleAsync(
            $"""
            WITH retried AS (
                UPDATE {_s}.outbox_messages
                SET next_attempt_at = $2,
                    retry_from = CASE WHEN status = '{DeadLettered}' THEN $2 ELSE retry_from END,
                    lease_id = CASE WHEN status = '{DeadLettered}' THEN NULL ELSE lease_id END,
                    lease_expires_at = CASE WHEN status = '{DeadLettered}' THEN NULL ELSE lease_expires_at END,
                    completed_at = NULL,
                    status = '{Pending}'
                WHERE id = $1
                  AND (status = '{DeadLettered}' OR (status = '{Pending}' AND (lease_id IS NULL OR lease_expires_at <= $2)))
                RETURNING {Columns}
            )
            SELECT {Columns} FROM retried
            UNION ALL
            SELECT {Columns} FROM {_s}.outbox_messages WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM retried)
            """,
            Read,
            [Text(messageId), Time(now)],
            cancellationToken).ConfigureAwait(false);

    /// <summary>Reads a message selected with <see cref="Columns"/>.</summary>
    internal static OutboxMessage Read(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetString(0),
        ConversionId = reader.GetString(1),
        RuleId = reader.GetString(2),
        DestinationId = reader.GetString(3),
        CreatedAt = reader.GetFieldValue<DateTimeOffset>(4),
        Status = StoredWords.ParseOutboxStatus(reader.GetString(5)),
        NextAttemptAt = reader.GetFieldValue<DateTimeOffset>(6),
        RetryFrom = reader.GetFieldValue<DateTimeOffset>(7),
        AttemptCount = reader.GetInt32(8),
        LastErrorCode = NullableString(reader, 9),
        LastError = NullableString(reader, 10),
        CompletedAt = NullableTime(reader, 11),
        LeaseId = NullableString(reader, 12),
        LeaseExpiresAt = NullableTime(reader, 13),
        HistoryEntryId = NullableString(reader, 14),
    };

    private static OutboxAttempt ReadAttempt(NpgsqlDataReader reader) => new()
    {
        MessageId = reader.GetString(0),
        Number = reader.GetInt32(1),
        StartedAt = reader.GetFieldValue<DateTimeOffset>(2),
        Duration = reader.GetFieldValue<TimeSpan>(3),
        Status = StoredWords.ParseDeliveryStatus(reader.GetString(4)),
        HttpStatusCode = reader.IsDBNull(5) ? null : reader.GetInt32(5),
        ErrorCode = NullableString(reader, 6),
        Reason = NullableString(reader, 7),
        ResponseExcerpt = NullableString(reader, 8),
        DestinationError = reader.IsDBNull(14) ? null : new DestinationError
        {
            Code = NullableString(reader, 9),
            Subcode = NullableString(reader, 10),
            Type = NullableString(reader, 11),
            Message = NullableString(reader, 12),
            TraceId = NullableString(reader, 13),
            IsTransient = reader.GetBoolean(14),
        },
    };

    /// <summary>One completion: the guarded update, and the attempt inserted from its (zero or one) row.</summary>
    private NpgsqlBatchCommand CompletionCommand(OutboxCompletion completion)
    {
        var attempt = completion.Attempt;
        var finished = completion.Status != OutboxMessageStatus.Pending;
        var error = attempt.DestinationError;
        return Command(
            $"""
            WITH applied AS (
                UPDATE {_s}.outbox_messages
                SET status = $3,
                    attempt_count = $4,
                    last_error_code = $5,
                    last_error = $6,
                    next_attempt_at = COALESCE($7, next_attempt_at),
                    completed_at = $8,
                    lease_id = NULL,
                    lease_expires_at = NULL
                WHERE id = $1 AND lease_id = $2 AND status = '{Pending}'
                RETURNING id
            )
            INSERT INTO {_s}.outbox_attempts ({AttemptColumns})
            SELECT a.id, $4, $9, $10, $11, $12, $5, $6, $13, $14, $15, $16, $17, $18, $19 FROM applied a
            RETURNING message_id
            """,
            Text(attempt.MessageId),
            Text(completion.LeaseId),
            Text(StoredWords.Of(completion.Status)),
            Param(NpgsqlDbType.Integer, attempt.Number),
            Text(attempt.ErrorCode),
            Text(attempt.Reason),
            Time(finished ? null : completion.NextAttemptAt),
            Time(finished ? completion.CompletedAt : null),
            Time(attempt.StartedAt),
            Param(NpgsqlDbType.Interval, attempt.Duration),
            Text(StoredWords.Of(attempt.Status)),
            Param(NpgsqlDbType.Integer, attempt.HttpStatusCode),
            Text(attempt.ResponseExcerpt),
            Text(error?.Code),
            Text(error?.Subcode),
            Text(error?.Type),
            Text(error?.Message),
            Text(error?.TraceId),
            Param(NpgsqlDbType.Boolean, error?.IsTransient));
    }
}
