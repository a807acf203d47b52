using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Chatterfy.Postbacks.PostgreSql;

// Appending a conversion: the one transaction every accepted conversion is written in.
public sealed partial class PostgreSqlPostbackStore
{
    /// <summary>
    /// Appends a conversion, its log entry and, when the conversion is stored, its outbox messages inside
    /// <paramref name="transaction"/>; the caller commits. Everything an accepted conversion writes belongs here, in this
    /// one transaction.
    /// </summary>
    private async Task<ConversionAppendResult> AppendConversionInTransactionAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        ConversionRecord record,
        PostbackLogEntry logEntry,
        OutboxMessage[] outboxMessages,
        CancellationToken cancellationToken)
    {
        var result = await AppendConversionAndLogAsync(connection, transaction, record, logEntry, cancellationToken).ConfigureAwait(false);
        if (!result.IsDuplicate)
        {
            // A duplicate stores none: only the conversion that was stored is forwarded.
            await InsertOutboxMessagesAsync(connection, transaction, outboxMessages, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>Appends a conversion (unless it is a duplicate) and its log entry inside <paramref name="transaction"/>.</summary>
    private async Task<ConversionAppendResult> AppendConversionAndLogAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        ConversionRecord record,
        PostbackLogEntry logEntry,
        CancellationToken cancellationToken)
    {
        var conversion = record.Conversion;
        var key = conversion.IdempotencyKey;
        var windowed = key.Window is not null;
        var (lower, upper) = windowed ? WindowBounds(conversion.ReceivedAt, key.Window!.Value) : default;

        // A windowed key takes the key's advisory lock exclusively: appends of one key on every instance queue up, so the
        // look-up of an earlier conversion and the insert cannot interleave. A permanent key takes it shared: permanent
        // appends race only through the unique index, and still exclude a windowed append of the same value.
        var batch = NewBatch(connection, transaction);
        await using (batch.ConfigureAwait(false))
        {
            batch.BatchCommands.Add(Command(
                windowed ? "SELECT pg_advisory_xact_lock($1)" : "SELECT pg_advisory_xact_lock_shared($1)",
                Param(NpgsqlDbType.Bigint, LockKey("key", key.Value))));

            var parameters = ConversionParameters(record);
            parameters.AddRange(LogParameters(logEntry));
            parameters.Add(Text(record.Attribution == ConversionAttribution.Credited ? "accepted" : "unattributed"));
            if (windowed)
            {
                parameters.Add(Time(lower));
                parameters.Add(Time(upper));
            }

            batch.BatchCommands.Add(Command(windowed ? _appendWindowedSql : _appendPermanentSql, [.. parameters]));
            var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                // The first result is the lock's (one void row); the second is the append's.
                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return ToResult(reader);
                }
            }
        }

        // No row: a concurrent append of the same permanent key committed first (the insert waited for it on the unique
        // index, then did nothing). This statement sees that commit; log this one as its duplicate.
        var duplicateParameters = LogParameters(logEntry);
        duplicateParameters.Add(Text(key.Value));
        if (windowed)
        {
            duplicateParameters.Add(Time(lower));
            duplicateParameters.Add(Time(upper));
        }

        var command = NewCommand(connection, transaction, windowed ? _appendDuplicateWindowedSql : _appendDuplicatePermanentSql, [.. duplicateParameters]);
        await using (command.ConfigureAwait(false))
        {
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return ToResult(reader);
                }
            }
        }

        throw new InvalidOperationException($"The conversion with idempotency key '{key.Value}' was neither stored nor found as a duplicate.");

        static ConversionAppendResult ToResult(NpgsqlDataReader reader)
        {
            var conversionId = reader.GetString(1);
            return reader.GetString(0) == "duplicate" ? ConversionAppendResult.Duplicate(conversionId) : ConversionAppendResult.Accepted(conversionId);
        }
    }

    /// <summary>
    /// One statement: find the earliest stored conversion with the key (within the window), insert the new one when there
    /// is none, and log the request with what happened. Parameters: the conversion, the log entry, the outcome when
    /// stored, and for a windowed key the open bounds of receive time (see <see cref="AppendConversionAndLogAsync"/>).
    /// </summary>
    private string AppendSql(bool windowed)
    {
        const int LogFirst = ConversionParameterCount + 1;
        const int OutcomeParameter = ConversionParameterCount + LogParameterCount + 1;
        var window = windowed ? $" AND c.received_at > ${OutcomeParameter + 1} AND c.received_at < ${OutcomeParameter + 2}" : "";
        return $"""
            WITH original AS (
                SELECT c.id FROM {_s}.conversions c
                WHERE c.idempotency_key = ${KeyParameter}{window}
                ORDER BY c.received_at, c.id
                LIMIT 1
            ), inserted AS (
                INSERT INTO {_s}.conversions ({ConversionColumns})
                SELECT {Placeholders(1, ConversionParameterCount)}
                WHERE NOT EXISTS (SELECT 1 FROM original)
                ON CONFLICT (idempotency_key) WHERE idempotency_window IS NULL DO NOTHING
                RETURNING id
            ), result AS (
                SELECT i.id AS conversion_id, ${OutcomeParameter}::text AS outcome FROM inserted i
                UNION ALL
                SELECT o.id, 'duplicate' FROM original o
            )
            INSERT INTO {_s}.postback_log ({LogInsertColumns}, outcome, conversion_id)
            SELECT {Placeholders(LogFirst, LogParameterCount)}, r.outcome, r.conversion_id FROM result r
            RETURNING outcome, conversion_id
            """;
    }

    /// <summary>Logs a duplicate of the earliest conversion with the key. Parameters: the log entry, the key, and for a windowed key the bounds.</summary>
    private string AppendDuplicateSql(bool windowed)
    {
        const int Key = LogParameterCount + 1;
        var window = windowed ? $" AND c.received_at > ${Key + 1} AND c.received_at < ${Key + 2}" : "";
        return $"""
            INSERT INTO {_s}.postback_log ({LogInsertColumns}, outcome, conversion_id)
            SELECT {Placeholders(1, LogParameterCount)}, 'duplicate', o.id
            FROM (
                SELECT c.id FROM {_s}.conversions c
                WHERE c.idempotency_key = ${Key}{window}
                ORDER BY c.received_at, c.id
                LIMIT 1
            ) o
            RETURNING outcome, conversion_id
            """;
    }

    private static (DateTimeOffset Lower, DateTimeOffset Upper) WindowBounds(DateTimeOffset receivedAt, TimeSpan window)
    {
        var utc = receivedAt.ToUniversalTime();
        var lower = utc.UtcTicks - DateTimeOffset.MinValue.UtcTicks > window.Ticks ? utc - window : DateTimeOffset.MinValue;
        var upper = DateTimeOffset.MaxValue.UtcTicks - utc.UtcTicks > window.Ticks ? utc + window : DateTimeOffset.MaxValue;
        return (lower, upper);
    }

    private static void ThrowIfAmountNotExact(decimal? amount)
    {
        if (amount is { } value && (decimal.Round(value, 8) != value || Math.Abs(value) >= 1_000_000_000_000m))
        {
            throw new ArgumentOutOfRangeException(
                nameof(amount),
                value,
                "An amount has at most 12 integer and 8 decimal digits; this one cannot be stored exactly.");
        }
    }
}
