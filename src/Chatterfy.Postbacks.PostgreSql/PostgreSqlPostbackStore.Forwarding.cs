using System.Text.Json;
using Chatterfy.Postbacks.Campaigns;
using Chatterfy.Postbacks.Forwarding;
using Npgsql;
using NpgsqlTypes;

namespace Chatterfy.Postbacks.PostgreSql;

// Forwarding rules, campaigns and the outbox. Leases are taken with FOR UPDATE SKIP LOCKED, so any number of dispatchers
// on any number of instances lease disjoint messages; completions apply only while their lease is still held.
public sealed partial class PostgreSqlPostbackStore
{
    private const int MaxOutboxLease = 10_000;

    private const string RuleColumns = "id, name, set_id, campaign_id, destination_id, settings, created_at";

    private const string CampaignColumns = "id, name, destination_template, created_at";

    private const string OutboxColumns =
        "id, conversion_id, rule_id, destination_id, created_at, status, next_attempt_at, retry_from, attempt_count, last_error_code, last_error, completed_at, lease_id, lease_expires_at";

    private const string AttemptColumns =
        "message_id, number, started_at, duration, status, http_status_code, error_code, reason, response_excerpt, destination_error_code, destination_error_subcode, destination_error_type, destination_error_message, destination_error_trace_id, destination_error_transient";

    // ---------------------------------------------------------- forwarding rules

    /// <inheritdoc />
    public override async ValueTask AddForwardingRuleAsync(ForwardingRule rule, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rule);

        // The exact text given (GetRawText throws for an undefined element, as the in-memory store's Clone does).
        var settings = rule.Settings.GetRawText();
        await NonQueryAsync(
            $"INSERT INTO {_s}.forwarding_rules ({RuleColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            cancellationToken,
            Text(rule.Id),
            Text(rule.Name),
            Text(rule.SetId),
            Text(rule.CampaignId),
            Text(rule.DestinationId),
            Text(settings),
            Time(rule.CreatedAt)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async ValueTask<ForwardingRule?> GetForwardingRuleAsync(string ruleId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ruleId);
        return await QuerySingleAsync(
            $"SELECT {RuleColumns} FROM {_s}.forwarding_rules WHERE id = $1",
            ReadRule,
            cancellationToken,
            Text(ruleId)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async ValueTask<IReadOnlyList<ForwardingRule>> ListForwardingRulesAsync(CancellationToken cancellationToken)
    {
        return await QueryListAsync(
            $"SELECT {RuleColumns} FROM {_s}.forwarding_rules ORDER BY created_at, id",
            ReadRule,
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async ValueTask<bool> UpdateForwardingRuleSettingsAsync(string ruleId, JsonElement settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ruleId);
        var updated = await NonQueryAsync(
            $"UPDATE {_s}.forwarding_rules SET settings = $2 WHERE id = $1",
            cancellationToken,
            Text(ruleId),
            Text(settings.GetRawText())).ConfigureAwait(false);
        return updated > 0;
    }

    /// <inheritdoc />
    public override async ValueTask<bool> DeleteForwardingRuleAsync(string ruleId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ruleId);
        var deleted = await NonQueryAsync(
            $"DELETE FROM {_s}.forwarding_rules WHERE id = $1",
            cancellationToken,
            Text(ruleId)).ConfigureAwait(false);
        return deleted > 0;
    }

    // ---------------------------------------------------------------- campaigns

    /// <inheritdoc />
    public override async ValueTask AddCampaignAsync(Campaign campaign, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        await NonQueryAsync(
            $"INSERT INTO {_s}.campaigns ({CampaignColumns}) VALUES ($1, $2, $3, $4)",
            cancellationToken,
            Text(campaign.Id),
            Text(campaign.Name),
            Text(campaign.DestinationTemplate),
            Time(campaign.CreatedAt)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async ValueTask<Campaign?> GetCampaignAsync(string campaignId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(campaignId);
        return await QuerySingleAsync(
            $"SELECT {CampaignColumns} FROM {_s}.campaigns WHERE id = $1",
            ReadCampaign,
            cancellationToken,
            Text(campaignId)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async ValueTask<IReadOnlyList<Campaign>> ListCampaignsAsync(CancellationToken cancellationToken)
    {
        return await QueryListAsync(
            $"SELECT {CampaignColumns} FROM {_s}.campaigns ORDER BY id",
            ReadCampaign,
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async ValueTask<Campaign?> UpdateCampaignAsync(Campaign campaign, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        return await QuerySingleAsync(
            $"UPDATE {_s}.campaigns SET name = $2, destination_template = $3 WHERE id = $1 RETURNING {CampaignColumns}",
            ReadCampaign,
            cancellationToken,
            Text(campaign.Id),
            Text(campaign.Name),
            Text(campaign.DestinationTemplate)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async ValueTask<bool> DeleteCampaignAsync(string campaignId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(campaignId);
        var deleted = await NonQueryAsync(
            $"DELETE FROM {_s}.campaigns WHERE id = $1",
            cancellationToken,
            Text(campaignId)).ConfigureAwait(false);
        return deleted > 0;
    }

    // ------------------------------------------------------------------- outbox

    /// <inheritdoc />
    public override async ValueTask<IReadOnlyList<OutboxMessage>> LeaseOutboxMessagesAsync(OutboxLeaseRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.LeaseId, nameof(request));
        ArgumentOutOfRangeException.ThrowIfLessThan(request.MaxCount, 1, nameof(request));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(request.MaxCount, MaxOutboxLease, nameof(request));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(request.Duration, TimeSpan.Zero, nameof(request));
        ArgumentNullException.ThrowIfNull(request.ExcludedRuleIds, nameof(request));

        // SKIP LOCKED: rows another dispatcher is leasing right now are passed over, not waited for; once it commits they
        // carry its live lease and no longer match. UPDATE … RETURNING has no order, so the rows are sorted afterwards.
        return await QueryListAsync(
            $"""
            WITH leased AS (
                UPDATE {_s}.outbox_messages
                SET lease_id = $1, lease_expires_at = $3
                WHERE id IN (
                    SELECT id FROM {_s}.outbox_messages
                    WHERE status = 'pending' AND next_attempt_at <= $2 AND (lease_id IS NULL OR lease_expires_at <= $2)
                      AND NOT (rule_id = ANY($5))
                    ORDER BY next_attempt_at, id
                    LIMIT $4
                    FOR UPDATE SKIP LOCKED)
                RETURNING {OutboxColumns}
            )
            SELECT {OutboxColumns} FROM leased ORDER BY next_attempt_at, id COLLATE "C"
            """,
            ReadOutboxMessage,
            cancellationToken,
            Text(request.LeaseId),
            Time(request.Now),
            Time(request.Now + request.Duration),
            Param(NpgsqlDbType.Integer, request.MaxCount),
            TextArray(request.ExcludedRuleIds)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async ValueTask<int> CompleteOutboxAttemptsAsync(IReadOnlyList<OutboxCompletion> completions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(completions);
        ValidateCompletions(completions);
        if (completions.Count == 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return 0;
        }

        // Rows are locked in id order, so two transactions completing overlapping messages cannot deadlock.
        var ordered = completions.OrderBy(c => c.Attempt.MessageId, StringComparer.Ordinal).ToArray();
        var applied = await RunAsync(
            async (connection, ct) =>
            {
                // One batch is one implicit transaction. Each statement updates the message only while it is pending and
                // holds the completion's lease, and records the attempt only when that update hit the row.
                var batch = NewBatch(connection, null);
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
            Log.OutboxCompletionsSkipped(_logger, completions.Count - applied, completions.Count);
        }

        return applied;
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

        return await NonQueryAsync(
            $"UPDATE {_s}.outbox_messages SET lease_expires_at = $3 WHERE lease_id = $1 AND status = 'pending' AND id = ANY($2)",
            cancellationToken,
            Text(leaseId),
            TextArray(messageIds),
            Time(expiresAt)).ConfigureAwait(false);
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

        return await NonQueryAsync(
            $"UPDATE {_s}.outbox_messages SET lease_id = NULL, lease_expires_at = NULL WHERE lease_id = $1 AND status = 'pending' AND id = ANY($2)",
            cancellationToken,
            Text(leaseId),
            TextArray(messageIds)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async ValueTask<OutboxMessage?> GetOutboxMessageAsync(string messageId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        return await QuerySingleAsync(
            $"SELECT {OutboxColumns} FROM {_s}.outbox_messages WHERE id = $1",
            ReadOutboxMessage,
            cancellationToken,
            Text(messageId)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async ValueTask<IReadOnlyList<OutboxAttempt>> ListOutboxAttemptsAsync(string messageId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        return await QueryListAsync(
            $"SELECT {AttemptColumns} FROM {_s}.outbox_attempts WHERE message_id = $1 ORDER BY number",
            ReadOutboxAttempt,
            cancellationToken,
            Text(messageId)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async ValueTask<IReadOnlyList<OutboxMessage>> ListOutboxMessagesAsync(OutboxQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Limit, MaxLogLimit, nameof(query));
        var filter = new Filter();
        if (query.Status is { } status)
        {
            filter.Add("m.status = {0}", Text(OutboxStatusText(status)));
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
        return await QueryListAsync(
            $"SELECT {OutboxColumns} FROM {_s}.outbox_messages m{filter.Where} ORDER BY m.created_at DESC, m.id DESC LIMIT {limit}",
            ReadOutboxMessage,
            cancellationToken,
            [.. filter.Parameters]).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async ValueTask<OutboxMessage?> RetryOutboxMessageAsync(string messageId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messageId);

        // A dead letter starts over (new retry horizon); a pending message not under a live lease is made due now. Any
        // other message is returned as it is: the second branch reads it only when the update changed nothing.
        return await QuerySingleAsync(
            $"""
            WITH retried AS (
                UPDATE {_s}.outbox_messages
                SET next_attempt_at = $2,
                    retry_from = CASE WHEN status = 'dead_lettered' THEN $2 ELSE retry_from END,
                    lease_id = CASE WHEN status = 'dead_lettered' THEN NULL ELSE lease_id END,
                    lease_expires_at = CASE WHEN status = 'dead_lettered' THEN NULL ELSE lease_expires_at END,
                    completed_at = NULL,
                    status = 'pending'
                WHERE id = $1
                  AND (status = 'dead_lettered' OR (status = 'pending' AND (lease_id IS NULL OR lease_expires_at <= $2)))
                RETURNING {OutboxColumns}
            )
            SELECT {OutboxColumns} FROM retried
            UNION ALL
            SELECT {OutboxColumns} FROM {_s}.outbox_messages WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM retried)
            """,
            ReadOutboxMessage,
            cancellationToken,
            Text(messageId),
            Time(now)).ConfigureAwait(false);
    }

    // ------------------------------------------------------------------ helpers

    /// <summary>
    /// Inserts an accepted conversion's outbox messages inside the append's transaction (as one batch, after the
    /// conversion, which they reference).
    /// </summary>
    private async Task InsertOutboxMessagesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, OutboxMessage[] messages, CancellationToken cancellationToken)
    {
        if (messages.Length == 0)
        {
            return;
        }

        var batch = NewBatch(connection, transaction);
        await using (batch.ConfigureAwait(false))
        {
            foreach (var message in messages)
            {
                batch.BatchCommands.Add(Command(
                    $"INSERT INTO {_s}.outbox_messages ({OutboxColumns}) VALUES ({Placeholders(1, 14)})",
                    Text(message.Id),
                    Text(message.ConversionId),
                    Text(message.RuleId),
                    Text(message.DestinationId),
                    Time(message.CreatedAt),
                    Text(OutboxStatusText(message.Status)),
                    Time(message.NextAttemptAt),
                    Time(message.RetryFrom),
                    Param(NpgsqlDbType.Integer, message.AttemptCount),
                    Text(message.LastErrorCode),
                    Text(message.LastError),
                    Time(message.CompletedAt),
                    Text(message.LeaseId),
                    Time(message.LeaseExpiresAt)));
            }

            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

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
                WHERE id = $1 AND lease_id = $2 AND status = 'pending'
                RETURNING id
            )
            INSERT INTO {_s}.outbox_attempts ({AttemptColumns})
            SELECT a.id, $4, $9, $10, $11, $12, $5, $6, $13, $14, $15, $16, $17, $18, $19 FROM applied a
            RETURNING message_id
            """,
            Text(attempt.MessageId),
            Text(completion.LeaseId),
            Text(OutboxStatusText(completion.Status)),
            Param(NpgsqlDbType.Integer, attempt.Number),
            Text(attempt.ErrorCode),
            Text(attempt.Reason),
            Time(finished ? null : completion.NextAttemptAt),
            Time(finished ? completion.CompletedAt : null),
            Time(attempt.StartedAt),
            Param(NpgsqlDbType.Interval, attempt.Duration),
            Text(DeliveryStatusText(attempt.Status)),
            Param(NpgsqlDbType.Integer, attempt.HttpStatusCode),
            Text(attempt.ResponseExcerpt),
            Text(error?.Code),
            Text(error?.Subcode),
            Text(error?.Type),
            Text(error?.Message),
            Text(error?.TraceId),
            Param(NpgsqlDbType.Boolean, error?.IsTransient));
    }

    private static NpgsqlParameter TextArray(IReadOnlyCollection<string> values) =>
        Param(NpgsqlDbType.Array | NpgsqlDbType.Text, values.Select(v => Clean(v)).ToArray());

    private static ForwardingRule ReadRule(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetString(0),
        Name = NullableString(reader, 1),
        SetId = NullableString(reader, 2),
        CampaignId = NullableString(reader, 3),
        DestinationId = reader.GetString(4),
        Settings = JsonText.ToElement(reader.GetString(5)),
        CreatedAt = reader.GetFieldValue<DateTimeOffset>(6),
    };

    private static Campaign ReadCampaign(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetString(0),
        Name = NullableString(reader, 1),
        DestinationTemplate = reader.GetString(2),
        CreatedAt = reader.GetFieldValue<DateTimeOffset>(3),
    };

    private static OutboxMessage ReadOutboxMessage(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetString(0),
        ConversionId = reader.GetString(1),
        RuleId = reader.GetString(2),
        DestinationId = reader.GetString(3),
        CreatedAt = reader.GetFieldValue<DateTimeOffset>(4),
        Status = ParseOutboxStatus(reader.GetString(5)),
        NextAttemptAt = reader.GetFieldValue<DateTimeOffset>(6),
        RetryFrom = reader.GetFieldValue<DateTimeOffset>(7),
        AttemptCount = reader.GetInt32(8),
        LastErrorCode = NullableString(reader, 9),
        LastError = NullableString(reader, 10),
        CompletedAt = NullableTime(reader, 11),
        LeaseId = NullableString(reader, 12),
        LeaseExpiresAt = NullableTime(reader, 13),
    };

    private static OutboxAttempt ReadOutboxAttempt(NpgsqlDataReader reader) => new()
    {
        MessageId = reader.GetString(0),
        Number = reader.GetInt32(1),
        StartedAt = reader.GetFieldValue<DateTimeOffset>(2),
        Duration = reader.GetFieldValue<TimeSpan>(3),
        Status = ParseDeliveryStatus(reader.GetString(4)),
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

    private static DateTimeOffset? NullableTime(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);

    private static string OutboxStatusText(OutboxMessageStatus status) => status switch
    {
        OutboxMessageStatus.Pending => "pending",
        OutboxMessageStatus.Delivered => "delivered",
        OutboxMessageStatus.DeadLettered => "dead_lettered",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown outbox message status."),
    };

    private static OutboxMessageStatus ParseOutboxStatus(string status) => status switch
    {
        "pending" => OutboxMessageStatus.Pending,
        "delivered" => OutboxMessageStatus.Delivered,
        "dead_lettered" => OutboxMessageStatus.DeadLettered,
        _ => throw new InvalidOperationException($"The stored outbox status '{status}' is not valid."),
    };

    private static string DeliveryStatusText(DeliveryStatus status) => status switch
    {
        DeliveryStatus.Delivered => "delivered",
        DeliveryStatus.Retry => "retry",
        DeliveryStatus.DeadLetter => "dead_letter",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown delivery status."),
    };

    private static DeliveryStatus ParseDeliveryStatus(string status) => status switch
    {
        "delivered" => DeliveryStatus.Delivered,
        "retry" => DeliveryStatus.Retry,
        "dead_letter" => DeliveryStatus.DeadLetter,
        _ => throw new InvalidOperationException($"The stored delivery status '{status}' is not valid."),
    };
}
