using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Storage;
using Microsoft.Data.Sqlite;

namespace Chatterfy.Postbacks.Sqlite;

// Clicks and conversions. Idempotency is race-free because the duplicate check and the insert run in the writer's
// transaction, and the writer is the only one writing.
public sealed partial class SqlitePostbackStore
{
    private const string ClickColumns =
        "id, campaign_id, subject_id, fbclid, fbc, fbp, ip_address, user_agent, event_source_url, created_at, fields";

    private const string ConversionColumns =
        "id, set_id, event, click_id, amount, currency, transaction_id, attributes, received_at, remote_address, idempotency_key, idempotency_window, attribution, campaign_id";

    /// <inheritdoc />
    public override async ValueTask AddClickAsync(Click click, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(click);
        var id = click.Id;
        ArgumentNullException.ThrowIfNull(id, nameof(click));
        var campaignId = click.CampaignId;
        var subjectId = click.SubjectId;
        var fbclid = click.Fbclid;
        var fbc = click.Fbc;
        var fbp = click.Fbp;
        var ipAddress = SqliteValues.ToDb(click.IpAddress);
        var userAgent = click.UserAgent;
        var eventSourceUrl = click.EventSourceUrl;
        var createdAt = SqliteValues.ToDb(click.CreatedAt);
        var fields = SqliteValues.ToJson(click.Fields);

        await WriteAsync(
            session =>
            {
                if (Exists(session, "SELECT 1 FROM clicks WHERE id = $value", id))
                {
                    throw new InvalidOperationException($"A click with id '{id}' exists.");
                }

                var insert = session.Command($"""
                    INSERT INTO clicks ({ClickColumns})
                    VALUES ($id, $campaign_id, $subject_id, $fbclid, $fbc, $fbp, $ip_address, $user_agent, $event_source_url, $created_at, $fields)
                    """);
                insert.Parameters.AddValue("$id", id);
                insert.Parameters.AddValue("$campaign_id", campaignId);
                insert.Parameters.AddValue("$subject_id", subjectId);
                insert.Parameters.AddValue("$fbclid", fbclid);
                insert.Parameters.AddValue("$fbc", fbc);
                insert.Parameters.AddValue("$fbp", fbp);
                insert.Parameters.AddValue("$ip_address", ipAddress);
                insert.Parameters.AddValue("$user_agent", userAgent);
                insert.Parameters.AddValue("$event_source_url", eventSourceUrl);
                insert.Parameters.AddValue("$created_at", createdAt);
                insert.Parameters.AddValue("$fields", fields);
                insert.ExecuteNonQuery();

                // Conversions that arrived before their click was known are credited now, in the same transaction.
                var credit = session.Command("""
                    UPDATE conversions SET attribution = 'credited', campaign_id = $campaign_id
                    WHERE click_id = $click_id AND attribution = 'unattributed' AND (campaign_id IS NULL OR campaign_id = $campaign_id)
                    """);
                credit.Parameters.AddValue("$click_id", id);
                credit.Parameters.AddValue("$campaign_id", campaignId);
                credit.ExecuteNonQuery();

                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override ValueTask<Click?> FindClickAsync(string clickId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clickId);
        return ReadAsync(
            (connection, _) =>
            {
                using var command = Command(connection, $"SELECT {ClickColumns} FROM clicks WHERE id = $id");
                command.Parameters.AddValue("$id", clickId);
                using var reader = command.ExecuteReader();
                return reader.Read() ? ReadClick(reader) : null;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public override ValueTask<bool> ForgetClickPersonalDataAsync(string clickId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clickId);
        return WriteAsync(
            session =>
            {
                var command = session.Command("UPDATE clicks SET ip_address = NULL, user_agent = NULL WHERE id = $id");
                command.Parameters.AddValue("$id", clickId);
                return command.ExecuteNonQuery() > 0;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public override ValueTask<ConversionAppendResult> AppendConversionAsync(ConversionRecord conversion, PostbackLogEntry logEntry, IReadOnlyList<OutboxMessage> outboxMessages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(conversion);
        ArgumentNullException.ThrowIfNull(logEntry);
        ArgumentNullException.ThrowIfNull(conversion.Conversion);
        ArgumentNullException.ThrowIfNull(outboxMessages);
        var messages = CheckNewOutboxMessages(conversion.Id, outboxMessages);
        var key = conversion.Conversion.IdempotencyKey;
        ArgumentNullException.ThrowIfNull(key.Value, nameof(conversion));
        var row = new ConversionRow(conversion);
        var log = new LogRow(logEntry);

        // One write unit: the conversion, its outbox messages and the log entry commit together or, when any of it fails
        // (the writer then rolls this write back alone), not at all. A duplicate stores its log entry only.
        return WriteAsync(
            session =>
            {
                ThrowIfLogEntryExists(session, log.Id);
                if (FindOriginal(session, key, row.ReceivedAt) is { } originalId)
                {
                    InsertLog(session, log, PostbackOutcome.Duplicate, originalId);
                    return ConversionAppendResult.Duplicate(originalId);
                }

                if (Exists(session, "SELECT 1 FROM conversions WHERE id = $value", row.Id))
                {
                    throw new InvalidOperationException($"A conversion with id '{row.Id}' exists.");
                }

                ThrowIfOutboxMessageExists(session, messages);
                InsertConversion(session, row);
                InsertOutboxMessages(session, messages);
                var outcome = conversion.Attribution == ConversionAttribution.Credited ? PostbackOutcome.Accepted : PostbackOutcome.Unattributed;
                InsertLog(session, log, outcome, row.Id);
                return ConversionAppendResult.Accepted(row.Id);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public override ValueTask<ConversionRecord?> GetConversionAsync(string conversionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(conversionId);
        return ReadAsync(
            (connection, _) =>
            {
                using var command = Command(connection, $"SELECT {ConversionColumns} FROM conversions WHERE id = $id");
                command.Parameters.AddValue("$id", conversionId);
                using var reader = command.ExecuteReader();
                return reader.Read() ? ReadConversion(reader) : null;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public override ValueTask<IReadOnlyList<ConversionRecord>> ListConversionsByClickAsync(string clickId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clickId);
        return ReadAsync<IReadOnlyList<ConversionRecord>>(
            (connection, cancellationToken) =>
            {
                using var command = Command(connection, $"SELECT {ConversionColumns} FROM conversions WHERE click_id = $click_id ORDER BY received_at, id");
                command.Parameters.AddValue("$click_id", clickId);
                using var reader = command.ExecuteReader();
                var conversions = new List<ConversionRecord>();
                while (reader.Read())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    conversions.Add(ReadConversion(reader));
                }

                return conversions.AsReadOnly();
            },
            cancellationToken);
    }

    /// <summary>
    /// The earliest stored conversion (by receive time, then id) with the key's value, and for a windowed key received less
    /// than the window before or after <paramref name="receivedAt"/>.
    /// </summary>
    private static string? FindOriginal(WriteSession session, IdempotencyKey key, long receivedAt)
    {
        SqliteCommand command;
        if (key.Window is { } window)
        {
            // |received_at - receivedAt| < window, as an index range; saturated so extreme values cannot overflow.
            var ticks = Math.Max(window.Ticks, 0);
            var from = receivedAt > long.MinValue + ticks ? receivedAt - ticks : long.MinValue;
            var to = receivedAt < long.MaxValue - ticks ? receivedAt + ticks : long.MaxValue;
            command = session.Command("""
                SELECT id FROM conversions
                WHERE idempotency_key = $key AND received_at > $from AND received_at < $to
                ORDER BY received_at, id LIMIT 1
                """);
            command.Parameters.AddValue("$from", from);
            command.Parameters.AddValue("$to", to);
        }
        else
        {
            command = session.Command("SELECT id FROM conversions WHERE idempotency_key = $key ORDER BY received_at, id LIMIT 1");
        }

        command.Parameters.AddValue("$key", key.Value);
        return command.ExecuteScalar() as string;
    }

    private static void InsertConversion(WriteSession session, ConversionRow row)
    {
        var command = session.Command($"""
            INSERT INTO conversions ({ConversionColumns})
            VALUES ($id, $set_id, $event, $click_id, $amount, $currency, $transaction_id, $attributes, $received_at, $remote_address,
                    $idempotency_key, $idempotency_window, $attribution, $campaign_id)
            """);
        command.Parameters.AddValue("$id", row.Id);
        command.Parameters.AddValue("$set_id", row.SetId);
        command.Parameters.AddValue("$event", row.Event);
        command.Parameters.AddValue("$click_id", row.ClickId);
        command.Parameters.AddValue("$amount", row.Amount);
        command.Parameters.AddValue("$currency", row.Currency);
        command.Parameters.AddValue("$transaction_id", row.TransactionId);
        command.Parameters.AddValue("$attributes", row.Attributes);
        command.Parameters.AddValue("$received_at", row.ReceivedAt);
        command.Parameters.AddValue("$remote_address", row.RemoteAddress);
        command.Parameters.AddValue("$idempotency_key", row.IdempotencyKey);
        command.Parameters.AddValue("$idempotency_window", row.IdempotencyWindow);
        command.Parameters.AddValue("$attribution", row.Attribution);
        command.Parameters.AddValue("$campaign_id", row.CampaignId);
        command.ExecuteNonQuery();
    }

    private static Click ReadClick(SqliteDataReader reader) => new()
    {
        Id = reader.GetString(0),
        CampaignId = reader.GetNullableString(1),
        SubjectId = reader.GetNullableString(2),
        Fbclid = reader.GetNullableString(3),
        Fbc = reader.GetNullableString(4),
        Fbp = reader.GetNullableString(5),
        IpAddress = SqliteValues.ToIpAddress(reader.GetNullableString(6)),
        UserAgent = reader.GetNullableString(7),
        EventSourceUrl = reader.GetNullableString(8),
        CreatedAt = SqliteValues.ToDateTimeOffset(reader.GetInt64(9)),
        Fields = SqliteValues.ToDictionary(reader.GetString(10)),
    };

    private static ConversionRecord ReadConversion(SqliteDataReader reader)
    {
        var window = reader.GetNullableInt64(11);
        return new ConversionRecord
        {
            Id = reader.GetString(0),
            Conversion = new Conversion
            {
                SetId = reader.GetString(1),
                Event = SqliteValues.ToEvent(reader.GetString(2)),
                ClickId = reader.GetString(3),
                Amount = reader.GetNullableString(4) is { } amount ? SqliteValues.ToDecimal(amount) : null,
                Currency = reader.GetNullableString(5),
                TransactionId = reader.GetNullableString(6),
                Attributes = SqliteValues.ToDictionary(reader.GetString(7)),
                ReceivedAt = SqliteValues.ToDateTimeOffset(reader.GetInt64(8)),
                RemoteAddress = SqliteValues.ToIpAddress(reader.GetNullableString(9)),
                IdempotencyKey = new IdempotencyKey(reader.GetString(10), window is { } ticks ? TimeSpan.FromTicks(ticks) : null),
            },
            Attribution = SqliteValues.ToAttribution(reader.GetString(12)),
            CampaignId = reader.GetNullableString(13),
        };
    }

    /// <summary>A conversion's column values, taken from the caller's objects before the write is queued.</summary>
    private sealed class ConversionRow(ConversionRecord record)
    {
        public string Id { get; } = record.Id ?? throw new ArgumentNullException(nameof(record), "The conversion has no id.");

        public string SetId { get; } = record.Conversion.SetId;

        public string Event { get; } = record.Conversion.Event.Name;

        public string ClickId { get; } = record.Conversion.ClickId;

        public string? Amount { get; } = record.Conversion.Amount is { } amount ? SqliteValues.ToDb(amount) : null;

        public string? Currency { get; } = record.Conversion.Currency;

        public string? TransactionId { get; } = record.Conversion.TransactionId;

        public string Attributes { get; } = SqliteValues.ToJson(record.Conversion.Attributes);

        public long ReceivedAt { get; } = SqliteValues.ToDb(record.Conversion.ReceivedAt);

        public string? RemoteAddress { get; } = SqliteValues.ToDb(record.Conversion.RemoteAddress);

        public string IdempotencyKey { get; } = record.Conversion.IdempotencyKey.Value;

        public long? IdempotencyWindow { get; } = record.Conversion.IdempotencyKey.Window?.Ticks;

        public string Attribution { get; } = SqliteValues.ToDb(record.Attribution);

        public string? CampaignId { get; } = record.CampaignId;
    }
}
