using System.Globalization;
using System.Text;
using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.Storage;
using Microsoft.Data.Sqlite;

namespace Chatterfy.Postbacks.Sqlite;

/// <summary>
/// The forwarding outbox in <c>outbox_messages</c> and <c>outbox_attempts</c>. Every write, leases included, goes through
/// the single writer: a lease's select-and-mark is one UPDATE … RETURNING inside the writer's BEGIN IMMEDIATE transaction,
/// so no other lease (from this process or another one on the same file) can run between the choice of messages and
/// their marking. Messages are written with their conversion by <see cref="SqliteIngestStore"/>.
/// </summary>
/// <param name="database">The store whose connection and writer it uses.</param>
internal sealed class SqliteOutboxStore(SqlitePostbackStore database) : OutboxStore
{
    private const string OutboxColumns =
        "id, conversion_id, rule_id, destination_id, created_at, status, next_attempt_at, retry_from, attempt_count, last_error_code, last_error, completed_at, lease_id, lease_expires_at, history_entry_id";

    private static readonly string Pending = StoredWords.Of(OutboxMessageStatus.Pending);

    // A message a lease may take: pending, due, and under no live lease (a lease is live while it ends after now).
    private static readonly string DueCondition =
        $"status = '{Pending}' AND next_attempt_at <= $now AND (lease_id IS NULL OR lease_expires_at IS NULL OR lease_expires_at <= $now)" +
        " AND rule_id NOT IN (SELECT value FROM json_each($excluded_rule_ids))";

    private const string AttemptColumns =
        "message_id, number, started_at, duration, status, http_status_code, error_code, reason, response_excerpt, destination_error";

    /// <inheritdoc />
    protected override async ValueTask<IReadOnlyList<OutboxMessage>> LeaseCoreAsync(OutboxLeaseRequest request, CancellationToken cancellationToken)
    {
        var excludedRuleIds = SqliteValues.ToJson([.. request.ExcludedRuleIds]);
        var leaseId = request.LeaseId;
        var now = SqliteValues.ToDb(request.Now);
        var expiresAt = SqliteValues.ToDb(request.Now + request.Duration);
        var maxCount = request.MaxCount;

        // A dispatcher asks every poll interval, mostly to find nothing due. A read answers that without the writer: no
        // transaction, no sync, and no write queued ahead of postbacks while another process holds the lock.
        var anyDue = await database.ReadAsync(
            (connection, _) =>
            {
                using var probe = SqlitePostbackStore.Command(connection, $"SELECT EXISTS (SELECT 1 FROM outbox_messages WHERE {DueCondition})");
                probe.Parameters.AddValue("$now", now);
                probe.Parameters.AddValue("$excluded_rule_ids", excludedRuleIds);
                return Convert.ToInt64(probe.ExecuteScalar(), CultureInfo.InvariantCulture) != 0;
            },
            cancellationToken).ConfigureAwait(false);
        if (!anyDue)
        {
            return [];
        }

        return await database.WriteAsync<IReadOnlyList<OutboxMessage>>(
            session =>
            {
                // One statement chooses and marks the messages, in the writer's BEGIN IMMEDIATE transaction: nothing can
                // lease them in between. A lease is live while it ends after now (index ix_outbox_messages_due).
                var command = session.Command($"""
                    UPDATE outbox_messages SET lease_id = $lease_id, lease_expires_at = $lease_expires_at
                    WHERE id IN (
                        SELECT id FROM outbox_messages
                        WHERE {DueCondition}
                        ORDER BY next_attempt_at, id
                        LIMIT $max_count)
                    RETURNING {OutboxColumns}
                    """);
                command.Parameters.AddValue("$lease_id", leaseId);
                command.Parameters.AddValue("$lease_expires_at", expiresAt);
                command.Parameters.AddValue("$now", now);
                command.Parameters.AddValue("$max_count", maxCount);
                command.Parameters.AddValue("$excluded_rule_ids", excludedRuleIds);
                var leased = ReadOutboxMessages(command, CancellationToken.None);

                // RETURNING gives no order; the contract's is earliest due first, then id.
                leased.Sort(static (a, b) =>
                {
                    var byTime = a.NextAttemptAt.CompareTo(b.NextAttemptAt);
                    return byTime != 0 ? byTime : string.CompareOrdinal(a.Id, b.Id);
                });
                return leased.AsReadOnly();
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override ValueTask<int> CompleteCoreAsync(IReadOnlyList<OutboxCompletion> completions, CancellationToken cancellationToken)
    {
        var rows = new CompletionRow[completions.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = new CompletionRow(completions[i]);
        }

        return database.WriteAsync(
            session =>
            {
                var applied = 0;
                foreach (var row in rows)
                {
                    // Applies only while the message is pending and still holds the completion's lease.
                    var update = session.Command("""
                        UPDATE outbox_messages
                        SET status = $status, attempt_count = $attempt_count, last_error_code = $last_error_code, last_error = $last_error,
                            next_attempt_at = coalesce($next_attempt_at, next_attempt_at), completed_at = $completed_at,
                            lease_id = NULL, lease_expires_at = NULL
                        WHERE id = $id AND status = $pending AND lease_id = $lease_id
                        """);
                    update.Parameters.AddValue("$pending", Pending);
                    update.Parameters.AddValue("$id", row.Attempt.MessageId);
                    update.Parameters.AddValue("$lease_id", row.LeaseId);
                    update.Parameters.AddValue("$status", row.Status);
                    update.Parameters.AddValue("$attempt_count", row.Attempt.Number);
                    update.Parameters.AddValue("$last_error_code", row.Attempt.ErrorCode);
                    update.Parameters.AddValue("$last_error", row.Attempt.Reason);
                    update.Parameters.AddValue("$next_attempt_at", row.NextAttemptAt);
                    update.Parameters.AddValue("$completed_at", row.CompletedAt);
                    if (update.ExecuteNonQuery() == 0)
                    {
                        continue;
                    }

                    InsertAttempt(session, row.Attempt);
                    applied++;
                }

                return applied;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    protected override ValueTask<int> ExtendLeaseCoreAsync(string leaseId, IReadOnlyCollection<string> messageIds, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var ids = SqliteValues.ToJson([.. messageIds]);
        var expires = SqliteValues.ToDb(expiresAt);
        return database.WriteAsync(
            session =>
            {
                var command = session.Command("""
                    UPDATE outbox_messages SET lease_expires_at = $lease_expires_at
                    WHERE lease_id = $lease_id AND status = $pending AND id IN (SELECT value FROM json_each($ids))
                    """);
                command.Parameters.AddValue("$pending", Pending);
                command.Parameters.AddValue("$lease_id", leaseId);
                command.Parameters.AddValue("$lease_expires_at", expires);
                command.Parameters.AddValue("$ids", ids);
                return command.ExecuteNonQuery();
            },
            cancellationToken);
    }

    /// <inheritdoc />
    protected override ValueTask<int> ReleaseLeaseCoreAsync(string leaseId, IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken)
    {
        var ids = SqliteValues.ToJson([.. messageIds]);
        return database.WriteAsync(
            session =>
            {
                var command = session.Command("""
                    UPDATE outbox_messages SET lease_id = NULL, lease_expires_at = NULL
                    WHERE lease_id = $lease_id AND status = $pending AND id IN (SELECT value FROM json_each($ids))
                    """);
                command.Parameters.AddValue("$pending", Pending);
                command.Parameters.AddValue("$lease_id", leaseId);
                command.Parameters.AddValue("$ids", ids);
                return command.ExecuteNonQuery();
            },
            cancellationToken);
    }

    /// <inheritdoc />
    protected override ValueTask<OutboxMessage?> GetCoreAsync(string messageId, CancellationToken cancellationToken) =>
        database.ReadAsync(
            (connection, _) =>
            {
                using var command = SqlitePostbackStore.Command(connection, $"SELECT {OutboxColumns} FROM outbox_messages WHERE id = $id");
                command.Parameters.AddValue("$id", messageId);
                using var reader = command.ExecuteReader();
                return reader.Read() ? ReadOutboxMessage(reader) : null;
            },
            cancellationToken);

    /// <inheritdoc />
    protected override ValueTask<IReadOnlyList<OutboxAttempt>> ListAttemptsCoreAsync(string messageId, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<OutboxAttempt>>(
            (connection, cancellationToken) =>
            {
                using var command = SqlitePostbackStore.Command(connection, $"SELECT {AttemptColumns} FROM outbox_attempts WHERE message_id = $message_id ORDER BY number");
                command.Parameters.AddValue("$message_id", messageId);
                using var reader = command.ExecuteReader();
                var attempts = new List<OutboxAttempt>();
                while (reader.Read())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    attempts.Add(ReadAttempt(reader));
                }

                return attempts.AsReadOnly();
            },
            cancellationToken);

    /// <inheritdoc />
    protected override ValueTask<IReadOnlyList<OutboxMessage>> ListCoreAsync(OutboxQuery query, CancellationToken cancellationToken)
    {
        var status = query.Status is { } value ? StoredWords.Of(value) : null;
        return database.ReadAsync<IReadOnlyList<OutboxMessage>>(
            (connection, cancellationToken) =>
            {
                // One read transaction, so the cursor and the page come from the same snapshot.
                using var transaction = connection.BeginTransaction(deferred: true);
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                var sql = new StringBuilder($"SELECT {OutboxColumns} FROM outbox_messages WHERE 1 = 1");
                if (query.BeforeId is { } beforeId && !SqliteKeysetPage.TryAppendCursor(command, sql, "outbox_messages", "created_at", beforeId))
                {
                    return Array.Empty<OutboxMessage>();
                }

                if (status is not null)
                {
                    sql.Append(" AND status = $status");
                    command.Parameters.AddValue("$status", status);
                }

                if (query.ConversionId is { } conversionId)
                {
                    sql.Append(" AND conversion_id = $conversion_id");
                    command.Parameters.AddValue("$conversion_id", conversionId);
                }

                if (query.RuleId is { } ruleId)
                {
                    sql.Append(" AND rule_id = $rule_id");
                    command.Parameters.AddValue("$rule_id", ruleId);
                }

                sql.Append(" ORDER BY created_at DESC, id DESC LIMIT $limit");
                command.Parameters.AddValue("$limit", query.Limit);
                command.CommandText = sql.ToString();
                return ReadOutboxMessages(command, cancellationToken).AsReadOnly();
            },
            cancellationToken);
    }

    /// <inheritdoc />
    protected override ValueTask<OutboxMessage?> RescheduleCoreAsync(string messageId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var nowValue = SqliteValues.ToDb(now);
        return database.WriteAsync(
            session =>
            {
                var select = session.Command($"SELECT {OutboxColumns} FROM outbox_messages WHERE id = $id");
                select.Parameters.AddValue("$id", messageId);
                OutboxMessage? message;
                using (var reader = select.ExecuteReader())
                {
                    message = reader.Read() ? ReadOutboxMessage(reader) : null;
                }

                if (message is null)
                {
                    return null;
                }

                SqliteCommand update;
                if (message.Status == OutboxMessageStatus.DeadLettered)
                {
                    // A replay: pending again from now, with a new retry horizon; attempt count and last error are kept.
                    update = session.Command($"""
                        UPDATE outbox_messages
                        SET status = $pending, next_attempt_at = $now, retry_from = $now, completed_at = NULL, lease_id = NULL, lease_expires_at = NULL
                        WHERE id = $id
                        RETURNING {OutboxColumns}
                        """);
                }
                else if (message.Status == OutboxMessageStatus.Pending && !(message.LeaseId is not null && message.LeaseExpiresAt > now))
                {
                    update = session.Command($"""
                        UPDATE outbox_messages SET next_attempt_at = $now
                        WHERE id = $id
                        RETURNING {OutboxColumns}
                        """);
                }
                else
                {
                    // Leased or delivered: left as it is.
                    return message;
                }

                update.Parameters.AddValue("$id", messageId);
                update.Parameters.AddValue("$now", nowValue);
                if (message.Status == OutboxMessageStatus.DeadLettered)
                {
                    update.Parameters.AddValue("$pending", Pending);
                }
                using var updated = update.ExecuteReader();
                return updated.Read() ? ReadOutboxMessage(updated) : message;
            },
            cancellationToken);
    }

    /// <summary>Writes a new outbox message in the writer's transaction (for <see cref="SqliteIngestStore"/>).</summary>
    /// <param name="session">The writer's session.</param>
    /// <param name="row">The message's values.</param>
    /// <exception cref="SqliteException">Its id is taken (a constraint violation).</exception>
    internal static void InsertOutboxMessage(SqliteWriteSession session, OutboxRow row)
    {
        var insert = session.Statement($"INSERT INTO outbox_messages ({OutboxColumns}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)");
        insert.Bind(1, row.Id);
        insert.Bind(2, row.ConversionId);
        insert.Bind(3, row.RuleId);
        insert.Bind(4, row.DestinationId);
        insert.Bind(5, row.CreatedAt);
        insert.Bind(6, row.Status);
        insert.Bind(7, row.NextAttemptAt);
        insert.Bind(8, row.RetryFrom);
        insert.Bind(9, (long)row.AttemptCount);
        insert.Bind(10, row.LastErrorCode);
        insert.Bind(11, row.LastError);
        insert.Bind(12, row.CompletedAt);
        insert.Bind(13, row.LeaseId);
        insert.Bind(14, row.LeaseExpiresAt);
        insert.Bind(15, row.HistoryEntryId);
        insert.Execute();
    }

    private static void InsertAttempt(SqliteWriteSession session, AttemptRow row)
    {
        // At most one attempt per number: a completion that repeats a recorded number replaces that attempt.
        var command = session.Command($"""
            INSERT INTO outbox_attempts ({AttemptColumns})
            VALUES ($message_id, $number, $started_at, $duration, $status, $http_status_code, $error_code, $reason, $response_excerpt, $destination_error)
            ON CONFLICT (message_id, number) DO UPDATE SET
                started_at = excluded.started_at, duration = excluded.duration, status = excluded.status,
                http_status_code = excluded.http_status_code, error_code = excluded.error_code, reason = excluded.reason,
                response_excerpt = excluded.response_excerpt, destination_error = excluded.destination_error
            """);
        command.Parameters.AddValue("$message_id", row.MessageId);
        command.Parameters.AddValue("$number", row.Number);
        command.Parameters.AddValue("$started_at", row.StartedAt);
        command.Parameters.AddValue("$duration", row.Duration);
        command.Parameters.AddValue("$status", row.Status);
        command.Parameters.AddValue("$http_status_code", row.HttpStatusCode);
        command.Parameters.AddValue("$error_code", row.ErrorCode);
        command.Parameters.AddValue("$reason", row.Reason);
        command.Parameters.AddValue("$response_excerpt", row.ResponseExcerpt);
        command.Parameters.AddValue("$destination_error", row.DestinationError);
        command.ExecuteNonQuery();
    }

    private static List<OutboxMessage> ReadOutboxMessages(SqliteCommand command, CancellationToken cancellationToken)
    {
        using var reader = command.ExecuteReader();
        var messages = new List<OutboxMessage>();
        while (reader.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            messages.Add(ReadOutboxMessage(reader));
        }

        return messages;
    }

    private static OutboxMessage ReadOutboxMessage(SqliteDataReader reader) => new()
    {
        Id = reader.GetString(0),
        ConversionId = reader.GetString(1),
        RuleId = reader.GetString(2),
        DestinationId = reader.GetString(3),
        CreatedAt = SqliteValues.ToDateTimeOffset(reader.GetInt64(4)),
        Status = StoredWords.ParseOutboxStatus(reader.GetString(5)),
        NextAttemptAt = SqliteValues.ToDateTimeOffset(reader.GetInt64(6)),
        RetryFrom = SqliteValues.ToDateTimeOffset(reader.GetInt64(7)),
        AttemptCount = reader.GetInt32(8),
        LastErrorCode = reader.GetNullableString(9),
        LastError = reader.GetNullableString(10),
        CompletedAt = SqliteValues.ToNullableDateTimeOffset(reader.GetNullableInt64(11)),
        LeaseId = reader.GetNullableString(12),
        LeaseExpiresAt = SqliteValues.ToNullableDateTimeOffset(reader.GetNullableInt64(13)),
        HistoryEntryId = reader.GetNullableString(14),
    };

    private static OutboxAttempt ReadAttempt(SqliteDataReader reader)
    {
        var httpStatusCode = reader.GetNullableInt64(5);
        return new OutboxAttempt
        {
            MessageId = reader.GetString(0),
            Number = reader.GetInt32(1),
            StartedAt = SqliteValues.ToDateTimeOffset(reader.GetInt64(2)),
            Duration = TimeSpan.FromTicks(reader.GetInt64(3)),
            Status = StoredWords.ParseDeliveryStatus(reader.GetString(4)),
            HttpStatusCode = httpStatusCode is { } code ? checked((int)code) : null,
            ErrorCode = reader.GetNullableString(6),
            Reason = reader.GetNullableString(7),
            ResponseExcerpt = reader.GetNullableString(8),
            DestinationError = SqliteValues.ToDestinationError(reader.GetNullableString(9)),
        };
    }

    /// <summary>An outbox message's column values, taken from the caller's object before the write is queued.</summary>
    internal sealed class OutboxRow(OutboxMessage message)
    {
        public string Id { get; } = message.Id ?? throw new ArgumentNullException(nameof(message), "The outbox message has no id.");

        public string ConversionId { get; } = message.ConversionId;

        public string RuleId { get; } = message.RuleId;

        public string DestinationId { get; } = message.DestinationId;

        public long CreatedAt { get; } = SqliteValues.ToDb(message.CreatedAt);

        public string Status { get; } = StoredWords.Of(message.Status);

        public long NextAttemptAt { get; } = SqliteValues.ToDb(message.NextAttemptAt);

        public long RetryFrom { get; } = SqliteValues.ToDb(message.RetryFrom);

        public int AttemptCount { get; } = message.AttemptCount;

        public string? LastErrorCode { get; } = message.LastErrorCode;

        public string? LastError { get; } = message.LastError;

        public long? CompletedAt { get; } = SqliteValues.ToDb(message.CompletedAt);

        public string? LeaseId { get; } = message.LeaseId;

        public long? LeaseExpiresAt { get; } = SqliteValues.ToDb(message.LeaseExpiresAt);

        public DepositNumberRange? DepositNumberCondition { get; } = message.DepositNumberCondition;

        public string? HistoryEntryId { get; } = message.HistoryEntryId;
    }

    /// <summary>An attempt's column values.</summary>
    private sealed class AttemptRow(OutboxAttempt attempt)
    {
        public string MessageId { get; } = attempt.MessageId;

        public int Number { get; } = attempt.Number;

        public long StartedAt { get; } = SqliteValues.ToDb(attempt.StartedAt);

        public long Duration { get; } = attempt.Duration.Ticks;

        public string Status { get; } = StoredWords.Of(attempt.Status);

        public int? HttpStatusCode { get; } = attempt.HttpStatusCode;

        public string? ErrorCode { get; } = attempt.ErrorCode;

        public string? Reason { get; } = attempt.Reason;

        public string? ResponseExcerpt { get; } = attempt.ResponseExcerpt;

        public string? DestinationError { get; } = SqliteValues.ToDb(attempt.DestinationError);
    }

    /// <summary>A completion's values: the message's new state (<c>NextAttemptAt</c> only when pending, <c>CompletedAt</c> only when finished).</summary>
    private sealed class CompletionRow(OutboxCompletion completion)
    {
        public string LeaseId { get; } = completion.LeaseId;

        public AttemptRow Attempt { get; } = new(completion.Attempt);

        public string Status { get; } = StoredWords.Of(completion.Status);

        public long? NextAttemptAt { get; } = completion.Status == OutboxMessageStatus.Pending ? SqliteValues.ToDb(completion.NextAttemptAt!.Value) : null;

        public long? CompletedAt { get; } = completion.Status == OutboxMessageStatus.Pending ? null : SqliteValues.ToDb(completion.CompletedAt);
    }
}
