using System.Text;
using System.Text.Json;
using Chatterfy.Postbacks.Campaigns;
using Chatterfy.Postbacks.Forwarding;
using Microsoft.Data.Sqlite;

namespace Chatterfy.Postbacks.Sqlite;

// Forwarding rules, campaigns and the outbox. Every write, leases included, goes through the single writer: a lease's
// select-and-mark is one UPDATE … RETURNING inside the writer's BEGIN IMMEDIATE transaction, so no other lease (from this
// process or another one on the same file) can run between the choice of messages and their marking.
public sealed partial class SqlitePostbackStore
{
    private const int MaxOutboxLease = 10_000;

    private const string RuleColumns = "id, name, set_id, campaign_id, destination_id, settings, created_at";

    private const string CampaignColumns = "id, name, destination_template, created_at";

    private const string OutboxColumns =
        "id, conversion_id, rule_id, destination_id, created_at, status, next_attempt_at, retry_from, attempt_count, last_error_code, last_error, completed_at, lease_id, lease_expires_at";

    // A message a lease may take: pending, due, and under no live lease (a lease is live while it ends after now).
    private const string DueCondition =
        "status = 'pending' AND next_attempt_at <= $now AND (lease_id IS NULL OR lease_expires_at IS NULL OR lease_expires_at <= $now)" +
        " AND rule_id NOT IN (SELECT value FROM json_each($excluded_rule_ids))";

    private const string AttemptColumns =
        "message_id, number, started_at, duration, status, http_status_code, error_code, reason, response_excerpt, destination_error";

    /// <inheritdoc />
    public override async ValueTask AddForwardingRuleAsync(ForwardingRule rule, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var id = rule.Id;
        ArgumentNullException.ThrowIfNull(id, nameof(rule));
        var name = rule.Name;
        var setId = rule.SetId;
        var campaignId = rule.CampaignId;
        var destinationId = rule.DestinationId;
        var settings = rule.Settings.GetRawText();
        var createdAt = SqliteValues.ToDb(rule.CreatedAt);

        await WriteAsync(
            session =>
            {
                if (Exists(session, "SELECT 1 FROM forwarding_rules WHERE id = $value", id))
                {
                    throw new InvalidOperationException($"A forwarding rule with id '{id}' exists.");
                }

                var insert = session.Command($"""
                    INSERT INTO forwarding_rules ({RuleColumns})
                    VALUES ($id, $name, $set_id, $campaign_id, $destination_id, $settings, $created_at)
                    """);
                insert.Parameters.AddValue("$id", id);
                insert.Parameters.AddValue("$name", name);
                insert.Parameters.AddValue("$set_id", setId);
                insert.Parameters.AddValue("$campaign_id", campaignId);
                insert.Parameters.AddValue("$destination_id", destinationId);
                insert.Parameters.AddValue("$settings", settings);
                insert.Parameters.AddValue("$created_at", createdAt);
                insert.ExecuteNonQuery();
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override ValueTask<ForwardingRule?> GetForwardingRuleAsync(string ruleId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ruleId);
        return ReadAsync(
            (connection, _) =>
            {
                using var command = Command(connection, $"SELECT {RuleColumns} FROM forwarding_rules WHERE id = $id");
                command.Parameters.AddValue("$id", ruleId);
                using var reader = command.ExecuteReader();
                return reader.Read() ? ReadRule(reader) : null;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public override ValueTask<IReadOnlyList<ForwardingRule>> ListForwardingRulesAsync(CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<ForwardingRule>>(
            (connection, cancellationToken) =>
            {
                using var command = Command(connection, $"SELECT {RuleColumns} FROM forwarding_rules ORDER BY created_at, id");
                using var reader = command.ExecuteReader();
                var rules = new List<ForwardingRule>();
                while (reader.Read())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    rules.Add(ReadRule(reader));
                }

                return rules.AsReadOnly();
            },
            cancellationToken);

    /// <inheritdoc />
    public override ValueTask<bool> UpdateForwardingRuleSettingsAsync(string ruleId, JsonElement settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ruleId);
        var text = settings.GetRawText();
        return WriteAsync(
            session =>
            {
                var command = session.Command("UPDATE forwarding_rules SET settings = $settings WHERE id = $id");
                command.Parameters.AddValue("$id", ruleId);
                command.Parameters.AddValue("$settings", text);
                return command.ExecuteNonQuery() > 0;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public override ValueTask<bool> DeleteForwardingRuleAsync(string ruleId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ruleId);
        return WriteAsync(
            session =>
            {
                // Its outbox messages stay; the dispatcher dead-letters the pending ones when it meets them.
                var command = session.Command("DELETE FROM forwarding_rules WHERE id = $id");
                command.Parameters.AddValue("$id", ruleId);
                return command.ExecuteNonQuery() > 0;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public override async ValueTask AddCampaignAsync(Campaign campaign, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        var id = campaign.Id;
        ArgumentNullException.ThrowIfNull(id, nameof(campaign));
        var name = campaign.Name;
        var destinationTemplate = campaign.DestinationTemplate;
        var createdAt = SqliteValues.ToDb(campaign.CreatedAt);

        await WriteAsync(
            session =>
            {
                if (Exists(session, "SELECT 1 FROM campaigns WHERE id = $value", id))
                {
                    throw new InvalidOperationException($"A campaign with id '{id}' exists.");
                }

                var insert = session.Command($"""
                    INSERT INTO campaigns ({CampaignColumns})
                    VALUES ($id, $name, $destination_template, $created_at)
                    """);
                insert.Parameters.AddValue("$id", id);
                insert.Parameters.AddValue("$name", name);
                insert.Parameters.AddValue("$destination_template", destinationTemplate);
                insert.Parameters.AddValue("$created_at", createdAt);
                insert.ExecuteNonQuery();
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override ValueTask<Campaign?> GetCampaignAsync(string campaignId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(campaignId);
        return ReadAsync(
            (connection, _) =>
            {
                using var command = Command(connection, $"SELECT {CampaignColumns} FROM campaigns WHERE id = $id");
                command.Parameters.AddValue("$id", campaignId);
                using var reader = command.ExecuteReader();
                return reader.Read() ? ReadCampaign(reader) : null;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public override ValueTask<IReadOnlyList<Campaign>> ListCampaignsAsync(CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<Campaign>>(
            (connection, cancellationToken) =>
            {
                using var command = Command(connection, $"SELECT {CampaignColumns} FROM campaigns ORDER BY id");
                using var reader = command.ExecuteReader();
                var campaigns = new List<Campaign>();
                while (reader.Read())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    campaigns.Add(ReadCampaign(reader));
                }

                return campaigns.AsReadOnly();
            },
            cancellationToken);

    /// <inheritdoc />
    public override ValueTask<Campaign?> UpdateCampaignAsync(Campaign campaign, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        var id = campaign.Id;
        ArgumentNullException.ThrowIfNull(id, nameof(campaign));
        var name = campaign.Name;
        var destinationTemplate = campaign.DestinationTemplate;

        return WriteAsync(
            session =>
            {
                var command = session.Command($"""
                    UPDATE campaigns SET name = $name, destination_template = $destination_template
                    WHERE id = $id
                    RETURNING {CampaignColumns}
                    """);
                command.Parameters.AddValue("$id", id);
                command.Parameters.AddValue("$name", name);
                command.Parameters.AddValue("$destination_template", destinationTemplate);
                using var reader = command.ExecuteReader();
                return reader.Read() ? ReadCampaign(reader) : null;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public override ValueTask<bool> DeleteCampaignAsync(string campaignId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(campaignId);
        return WriteAsync(
            session =>
            {
                // The row goes, so the id may be used again; clicks and rules that name it are kept.
                var command = session.Command("DELETE FROM campaigns WHERE id = $id");
                command.Parameters.AddValue("$id", campaignId);
                return command.ExecuteNonQuery() > 0;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public override async ValueTask<IReadOnlyList<OutboxMessage>> LeaseOutboxMessagesAsync(OutboxLeaseRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.LeaseId, nameof(request));
        ArgumentOutOfRangeException.ThrowIfLessThan(request.MaxCount, 1, nameof(request));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(request.MaxCount, MaxOutboxLease, nameof(request));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(request.Duration, TimeSpan.Zero, nameof(request));
        ArgumentNullException.ThrowIfNull(request.ExcludedRuleIds, nameof(request));
        var excludedRuleIds = SqliteValues.ToJson([.. request.ExcludedRuleIds]);
        var leaseId = request.LeaseId;
        var now = SqliteValues.ToDb(request.Now);
        var expiresAt = SqliteValues.ToDb(request.Now + request.Duration);
        var maxCount = request.MaxCount;

        // A dispatcher asks every poll interval, mostly to find nothing due. A read answers that without the writer: no
        // transaction, no sync, and no write queued ahead of postbacks while another process holds the lock.
        var anyDue = await ReadAsync(
            (connection, _) =>
            {
                using var probe = Command(connection, $"SELECT EXISTS (SELECT 1 FROM outbox_messages WHERE {DueCondition})");
                probe.Parameters.AddValue("$now", now);
                probe.Parameters.AddValue("$excluded_rule_ids", excludedRuleIds);
                return Convert.ToInt64(probe.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) != 0;
            },
            cancellationToken).ConfigureAwait(false);
        if (!anyDue)
        {
            return [];
        }

        return await WriteAsync<IReadOnlyList<OutboxMessage>>(
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
    public override async ValueTask<int> CompleteOutboxAttemptsAsync(IReadOnlyList<OutboxCompletion> completions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(completions);
        ValidateCompletions(completions);
        var rows = new CompletionRow[completions.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = new CompletionRow(completions[i]);
        }

        if (rows.Length == 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return 0;
        }

        return await WriteAsync(
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
                        WHERE id = $id AND status = 'pending' AND lease_id = $lease_id
                        """);
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
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async ValueTask<int> ExtendOutboxLeaseAsync(string leaseId, IReadOnlyCollection<string> messageIds, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        ValidateLeaseMessages(leaseId, messageIds);
        if (messageIds.Count == 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return 0;
        }

        var ids = SqliteValues.ToJson([.. messageIds]);
        var expires = SqliteValues.ToDb(expiresAt);
        return await WriteAsync(
            session =>
            {
                var command = session.Command("""
                    UPDATE outbox_messages SET lease_expires_at = $lease_expires_at
                    WHERE lease_id = $lease_id AND status = 'pending' AND id IN (SELECT value FROM json_each($ids))
                    """);
                command.Parameters.AddValue("$lease_id", leaseId);
                command.Parameters.AddValue("$lease_expires_at", expires);
                command.Parameters.AddValue("$ids", ids);
                return command.ExecuteNonQuery();
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async ValueTask<int> ReleaseOutboxLeaseAsync(string leaseId, IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken)
    {
        ValidateLeaseMessages(leaseId, messageIds);
        if (messageIds.Count == 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return 0;
        }

        var ids = SqliteValues.ToJson([.. messageIds]);
        return await WriteAsync(
            session =>
            {
                var command = session.Command("""
                    UPDATE outbox_messages SET lease_id = NULL, lease_expires_at = NULL
                    WHERE lease_id = $lease_id AND status = 'pending' AND id IN (SELECT value FROM json_each($ids))
                    """);
                command.Parameters.AddValue("$lease_id", leaseId);
                command.Parameters.AddValue("$ids", ids);
                return command.ExecuteNonQuery();
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override ValueTask<OutboxMessage?> GetOutboxMessageAsync(string messageId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        return ReadAsync(
            (connection, _) =>
            {
                using var command = Command(connection, $"SELECT {OutboxColumns} FROM outbox_messages WHERE id = $id");
                command.Parameters.AddValue("$id", messageId);
                using var reader = command.ExecuteReader();
                return reader.Read() ? ReadOutboxMessage(reader) : null;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public override ValueTask<IReadOnlyList<OutboxAttempt>> ListOutboxAttemptsAsync(string messageId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        return ReadAsync<IReadOnlyList<OutboxAttempt>>(
            (connection, cancellationToken) =>
            {
                using var command = Command(connection, $"SELECT {AttemptColumns} FROM outbox_attempts WHERE message_id = $message_id ORDER BY number");
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
    }

    /// <inheritdoc />
    public override ValueTask<IReadOnlyList<OutboxMessage>> ListOutboxMessagesAsync(OutboxQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Limit, MaxLogLimit, nameof(query));
        var status = query.Status is { } value ? SqliteValues.ToDb(value) : null;
        return ReadAsync<IReadOnlyList<OutboxMessage>>(
            (connection, cancellationToken) =>
            {
                // One read transaction, so the cursor and the page come from the same snapshot.
                using var transaction = connection.BeginTransaction(deferred: true);
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                var sql = new StringBuilder($"SELECT {OutboxColumns} FROM outbox_messages WHERE 1 = 1");
                if (query.BeforeId is { } beforeId)
                {
                    using var cursor = Command(connection, "SELECT created_at FROM outbox_messages WHERE id = $id");
                    cursor.Transaction = transaction;
                    cursor.Parameters.AddValue("$id", beforeId);
                    if (cursor.ExecuteScalar() is not long cursorCreatedAt)
                    {
                        return Array.Empty<OutboxMessage>();
                    }

                    // Strictly after the cursor in the order (created_at DESC, id DESC), whether or not it matches the filters.
                    sql.Append(" AND (created_at, id) < ($cursor_created_at, $cursor_id)");
                    command.Parameters.AddValue("$cursor_created_at", cursorCreatedAt);
                    command.Parameters.AddValue("$cursor_id", beforeId);
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
    public override ValueTask<OutboxMessage?> RetryOutboxMessageAsync(string messageId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        var nowValue = SqliteValues.ToDb(now);
        return WriteAsync(
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
                        SET status = 'pending', next_attempt_at = $now, retry_from = $now, completed_at = NULL, lease_id = NULL, lease_expires_at = NULL
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
                using var updated = update.ExecuteReader();
                return updated.Read() ? ReadOutboxMessage(updated) : message;
            },
            cancellationToken);
    }

    /// <summary>Checks the messages of an append before it is queued and returns their column values, taken from the caller's objects.</summary>
    private static OutboxRow[] CheckNewOutboxMessages(string conversionId, IReadOnlyList<OutboxMessage> messages)
    {
        ValidateNewOutboxMessages(conversionId, messages);
        var rows = new OutboxRow[messages.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = new OutboxRow(messages[i]);
        }

        return rows;
    }

    /// <summary>Throws when a message's id is taken, by a stored message or by another message of the same append.</summary>
    private static void ThrowIfOutboxMessageExists(WriteSession session, OutboxRow[] rows)
    {
        HashSet<string>? ids = rows.Length > 1 ? new HashSet<string>(StringComparer.Ordinal) : null;
        foreach (var row in rows)
        {
            if (Exists(session, "SELECT 1 FROM outbox_messages WHERE id = $value", row.Id) || (ids is not null && !ids.Add(row.Id)))
            {
                throw new InvalidOperationException($"An outbox message with id '{row.Id}' exists.");
            }
        }
    }

    private static void InsertOutboxMessages(WriteSession session, OutboxRow[] rows)
    {
        foreach (var row in rows)
        {
            var command = session.Command($"""
                INSERT INTO outbox_messages ({OutboxColumns})
                VALUES ($id, $conversion_id, $rule_id, $destination_id, $created_at, $status, $next_attempt_at, $retry_from, $attempt_count,
                        $last_error_code, $last_error, $completed_at, $lease_id, $lease_expires_at)
                """);
            command.Parameters.AddValue("$id", row.Id);
            command.Parameters.AddValue("$conversion_id", row.ConversionId);
            command.Parameters.AddValue("$rule_id", row.RuleId);
            command.Parameters.AddValue("$destination_id", row.DestinationId);
            command.Parameters.AddValue("$created_at", row.CreatedAt);
            command.Parameters.AddValue("$status", row.Status);
            command.Parameters.AddValue("$next_attempt_at", row.NextAttemptAt);
            command.Parameters.AddValue("$retry_from", row.RetryFrom);
            command.Parameters.AddValue("$attempt_count", row.AttemptCount);
            command.Parameters.AddValue("$last_error_code", row.LastErrorCode);
            command.Parameters.AddValue("$last_error", row.LastError);
            command.Parameters.AddValue("$completed_at", row.CompletedAt);
            command.Parameters.AddValue("$lease_id", row.LeaseId);
            command.Parameters.AddValue("$lease_expires_at", row.LeaseExpiresAt);
            command.ExecuteNonQuery();
        }
    }

    private static void InsertAttempt(WriteSession session, AttemptRow row)
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

    private static ForwardingRule ReadRule(SqliteDataReader reader) => new()
    {
        Id = reader.GetString(0),
        Name = reader.GetNullableString(1),
        SetId = reader.GetNullableString(2),
        CampaignId = reader.GetNullableString(3),
        DestinationId = reader.GetString(4),
        Settings = SqliteValues.ToJsonElement(reader.GetString(5))!.Value,
        CreatedAt = SqliteValues.ToDateTimeOffset(reader.GetInt64(6)),
    };

    private static Campaign ReadCampaign(SqliteDataReader reader) => new()
    {
        Id = reader.GetString(0),
        Name = reader.GetNullableString(1),
        DestinationTemplate = reader.GetString(2),
        CreatedAt = SqliteValues.ToDateTimeOffset(reader.GetInt64(3)),
    };

    private static OutboxMessage ReadOutboxMessage(SqliteDataReader reader) => new()
    {
        Id = reader.GetString(0),
        ConversionId = reader.GetString(1),
        RuleId = reader.GetString(2),
        DestinationId = reader.GetString(3),
        CreatedAt = SqliteValues.ToDateTimeOffset(reader.GetInt64(4)),
        Status = SqliteValues.ToOutboxMessageStatus(reader.GetString(5)),
        NextAttemptAt = SqliteValues.ToDateTimeOffset(reader.GetInt64(6)),
        RetryFrom = SqliteValues.ToDateTimeOffset(reader.GetInt64(7)),
        AttemptCount = reader.GetInt32(8),
        LastErrorCode = reader.GetNullableString(9),
        LastError = reader.GetNullableString(10),
        CompletedAt = SqliteValues.ToNullableDateTimeOffset(reader.GetNullableInt64(11)),
        LeaseId = reader.GetNullableString(12),
        LeaseExpiresAt = SqliteValues.ToNullableDateTimeOffset(reader.GetNullableInt64(13)),
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
            Status = SqliteValues.ToDeliveryStatus(reader.GetString(4)),
            HttpStatusCode = httpStatusCode is { } code ? checked((int)code) : null,
            ErrorCode = reader.GetNullableString(6),
            Reason = reader.GetNullableString(7),
            ResponseExcerpt = reader.GetNullableString(8),
            DestinationError = SqliteValues.ToDestinationError(reader.GetNullableString(9)),
        };
    }

    /// <summary>An outbox message's column values, taken from the caller's object before the write is queued.</summary>
    private sealed class OutboxRow(OutboxMessage message)
    {
        public string Id { get; } = message.Id ?? throw new ArgumentNullException(nameof(message), "The outbox message has no id.");

        public string ConversionId { get; } = message.ConversionId;

        public string RuleId { get; } = message.RuleId;

        public string DestinationId { get; } = message.DestinationId;

        public long CreatedAt { get; } = SqliteValues.ToDb(message.CreatedAt);

        public string Status { get; } = SqliteValues.ToDb(message.Status);

        public long NextAttemptAt { get; } = SqliteValues.ToDb(message.NextAttemptAt);

        public long RetryFrom { get; } = SqliteValues.ToDb(message.RetryFrom);

        public int AttemptCount { get; } = message.AttemptCount;

        public string? LastErrorCode { get; } = message.LastErrorCode;

        public string? LastError { get; } = message.LastError;

        public long? CompletedAt { get; } = SqliteValues.ToDb(message.CompletedAt);

        public string? LeaseId { get; } = message.LeaseId;

        public long? LeaseExpiresAt { get; } = SqliteValues.ToDb(message.LeaseExpiresAt);
    }

    /// <summary>An attempt's column values.</summary>
    private sealed class AttemptRow(OutboxAttempt attempt)
    {
        public string MessageId { get; } = attempt.MessageId;

        public int Number { get; } = attempt.Number;

        public long StartedAt { get; } = SqliteValues.ToDb(attempt.StartedAt);

        public long Duration { get; } = attempt.Duration.Ticks;

        public string Status { get; } = SqliteValues.ToDb(attempt.Status);

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

        public string Status { get; } = SqliteValues.ToDb(completion.Status);

        public long? NextAttemptAt { get; } = completion.Status == OutboxMessageStatus.Pending ? SqliteValues.ToDb(completion.NextAttemptAt!.Value) : null;

        public long? CompletedAt { get; } = completion.Status == OutboxMessageStatus.Pending ? null : SqliteValues.ToDb(completion.CompletedAt);
    }
}
