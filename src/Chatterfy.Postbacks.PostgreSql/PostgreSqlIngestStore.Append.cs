using System.Net;
using System.Runtime.InteropServices;
using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.Storage;
using Npgsql;
using NpgsqlTypes;
using static Chatterfy.Postbacks.PostgreSql.PostgreSqlValues;

namespace Chatterfy.Postbacks.PostgreSql;

// The batched append. A batch is one transaction sent in one round trip: an Npgsql batch (one Sync, so one implicit
// transaction) of
//   1. SELECT pg_advisory_xact_lock(k) for the lock key of every idempotency key value in the batch, ascending;
//   2. one append statement per "round" of the batch: round p holds the p-th record of each key value (round 1 holds
//      every record whose key is alone in the batch, and the records without a conversion). Each is a data-modifying CTE
//      over arrays (unnest): find the earliest stored conversion in each record's duplicate range, insert the conversions
//      that have none, add them to their daily roll-ups (PostgreSqlConversionRollups), insert their outbox messages and
//      every record's log entry, and return the duplicates. A later round sees
//      what the earlier ones inserted, so the records of one key are settled in batch order, as if appended one by one.
// The locks are taken before any look-up, in a statement of their own (its snapshot is taken after they are granted), so
// a look-up sees every conversion another transaction committed with those keys. Taken in ascending order by every
// batch on every instance, they cannot deadlock; a lock per click id (the conversion lifecycle) joins the same order.
// When a record fails alone (an id already used), the whole batch rolls back and is written again in one transaction,
// record by record under savepoints, so that record fails and the others are written. A batch of several rounds, and one
// written record by record, locks its roll-up rows in order after the key locks (PostgreSqlConversionRollups says why).
internal sealed partial class PostgreSqlIngestStore
{
    private const string LogColumns =
        "id, received_at, set_id, outcome, code, warnings, conversion_id, request_method, request_path, request_event_segment, request_query_string, request_body, request_content_type, request_remote_address, deposit_number";

    internal const string LockSql = "SELECT pg_advisory_xact_lock(k) FROM unnest($1::bigint[]) AS k";

    private readonly string _appendSql;
    private readonly string _rollupLockSql;

    protected override async ValueTask<IReadOnlyList<IngestResult>> AppendCoreAsync(IReadOnlyList<IngestRecord> records, CancellationToken cancellationToken)
    {
        var plan = Plan(records);
        if (plan.Rounds.Count == 0)
        {
            return plan.Results;
        }

        // Past this point the batch is committed whatever happens to the caller: a commit under way completes.
        return await _db.RunAsync(
            async (connection, _) =>
            {
                try
                {
                    await AppendInOneRoundTripAsync(connection, plan).ConfigureAwait(false);
                }
                catch (PostgresException ex) when (IsRecordFailure(ex))
                {
                    // Nothing of the batch was written (its transaction rolled back); write it again record by record.
                    await AppendRecordByRecordAsync(connection, plan).ConfigureAwait(false);
                }

                return (IReadOnlyList<IngestResult>)plan.Results;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A class 22 (data exception) or 23 (integrity constraint violation) error: a record's values, not the store.</summary>
    private static bool IsRecordFailure(PostgresException exception) =>
        exception.SqlState.StartsWith("22", StringComparison.Ordinal) || exception.SqlState.StartsWith("23", StringComparison.Ordinal);

    private static Exception RecordFailure(PostgresException exception) => exception.SqlState switch
    {
        PostgresErrorCodes.UniqueViolation => new InvalidOperationException(PostgreSqlPostbackStore.UniqueViolationMessage(exception), exception),
        _ when exception.SqlState.StartsWith("23", StringComparison.Ordinal) => new InvalidOperationException("The record breaks a rule of the store: " + exception.MessageText, exception),
        _ => new ArgumentException("The record holds a value the store cannot keep: " + exception.MessageText, exception),
    };

    private static ArgumentOutOfRangeException? AmountProblem(decimal? amount) =>
        amount is { } value && (decimal.Round(value, 8) != value || Math.Abs(value) >= 1_000_000_000_000m)
            ? new ArgumentOutOfRangeException(nameof(amount), value, "An amount has at most 12 integer and 8 decimal digits; this one cannot be stored exactly.")
            : null;

    private AppendPlan Plan(IReadOnlyList<IngestRecord> records)
    {
        var results = new IngestResult[records.Count];
        var rounds = new List<List<int>>();
        var occurrences = new Dictionary<string, int>(StringComparer.Ordinal);
        var lockKeys = new HashSet<long>();
        for (var i = 0; i < records.Count; i++)
        {
            var round = 0;
            if (records[i].Conversion is { } conversion)
            {
                if (AmountProblem(conversion.Conversion.Amount) is { } problem)
                {
                    results[i] = IngestResult.Failed(problem);
                    continue;
                }

                var key = conversion.Conversion.IdempotencyKey.Value;
                ref var seen = ref CollectionsMarshal.GetValueRefOrAddDefault(occurrences, key, out var known);
                round = known ? seen : 0;
                seen = round + 1;
                if (!known)
                {
                    lockKeys.Add(PostgreSqlPostbackStore.LockKey(_keyLockPrefix, key));
                }

                // A deposit that may be numbered locks its click, in the same ascending order as the keys.
                if (conversion.Attribution == ConversionAttribution.Credited && DepositNumbering.IsNumbered(conversion.Conversion.Event.Kind))
                {
                    lockKeys.Add(PostgreSqlPostbackStore.LockKey(_clickLockPrefix, conversion.Conversion.ClickId));
                }
            }

            if (round == rounds.Count)
            {
                rounds.Add([]);
            }

            rounds[round].Add(i);
        }

        var keys = lockKeys.ToArray();
        Array.Sort(keys);
        return new AppendPlan(records, results, rounds, keys);
    }

    private async Task AppendInOneRoundTripAsync(NpgsqlConnection connection, AppendPlan plan)
    {
        var batch = _db.NewBatch(connection, null);
        await using (batch.ConfigureAwait(false))
        {
            if (plan.LockKeys.Length > 0)
            {
                batch.BatchCommands.Add(LockCommand(plan.LockKeys));
            }

            if (plan.Rounds.Count > 1)
            {
                // Later rounds would add to roll-up rows out of order: lock them all first, in order (no result set).
                batch.BatchCommands.Add(RollupLockCommand(plan.Records, [.. plan.Rounds.SelectMany(r => r)]));
            }

            foreach (var round in plan.Rounds)
            {
                batch.BatchCommands.Add(AppendCommand(plan.Records, round));
            }

            var duplicates = new Dictionary<int, string>();
            var numbers = new Dictionary<int, int>();
            var reader = await batch.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                // The lock statement's rows (one per key) come first; then each round's duplicates and deposit numbers.
                if (plan.LockKeys.Length > 0)
                {
                    await reader.NextResultAsync(CancellationToken.None).ConfigureAwait(false);
                }

                do
                {
                    while (await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false))
                    {
                        if (!reader.IsDBNull(1))
                        {
                            duplicates.Add(reader.GetInt32(0), reader.GetString(1));
                        }
                        else
                        {
                            numbers.Add(reader.GetInt32(0), reader.GetInt32(2));
                        }
                    }
                }
                while (await reader.NextResultAsync(CancellationToken.None).ConfigureAwait(false));
            }

            // The reader has read up to the end of the batch: the implicit transaction has committed.
            foreach (var round in plan.Rounds)
            {
                foreach (var index in round)
                {
                    plan.Results[index] = Result(plan.Records[index], duplicates.GetValueOrDefault(index), numbers.TryGetValue(index, out var number) ? number : null);
                }
            }
        }
    }

    private async Task AppendRecordByRecordAsync(NpgsqlConnection connection, AppendPlan plan)
    {
        var pending = plan.Rounds.SelectMany(r => r).Order().ToArray();
        var outcomes = new IngestResult[pending.Length];
        var transaction = await connection.BeginTransactionAsync(CancellationToken.None).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            if (plan.LockKeys.Length > 0)
            {
                var locks = _db.NewBatch(connection, transaction);
                await using (locks.ConfigureAwait(false))
                {
                    locks.BatchCommands.Add(LockCommand(plan.LockKeys));
                    await locks.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
                }
            }

            // Record by record would add to roll-up rows out of order: lock them all first, in order.
            var rollupLocks = _db.NewBatch(connection, transaction);
            await using (rollupLocks.ConfigureAwait(false))
            {
                rollupLocks.BatchCommands.Add(RollupLockCommand(plan.Records, pending));
                await rollupLocks.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
            }

            for (var p = 0; p < pending.Length; p++)
            {
                var index = pending[p];
                var batch = _db.NewBatch(connection, transaction);
                await using (batch.ConfigureAwait(false))
                {
                    batch.BatchCommands.Add(new NpgsqlBatchCommand("SAVEPOINT record"));
                    batch.BatchCommands.Add(AppendCommand(plan.Records, [index]));
                    batch.BatchCommands.Add(new NpgsqlBatchCommand("RELEASE SAVEPOINT record"));
                    try
                    {
                        string? original = null;
                        int? number = null;
                        var reader = await batch.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false);
                        await using (reader.ConfigureAwait(false))
                        {
                            // SAVEPOINT and RELEASE return no result: the reader is at the append's (a duplicate, or a number).
                            if (await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false))
                            {
                                if (reader.IsDBNull(1))
                                {
                                    number = reader.GetInt32(2);
                                }
                                else
                                {
                                    original = reader.GetString(1);
                                }
                            }
                        }

                        outcomes[p] = Result(plan.Records[index], original, number);
                    }
                    catch (PostgresException ex) when (IsRecordFailure(ex))
                    {
                        await _db.ExecuteAsync(connection, transaction, "ROLLBACK TO SAVEPOINT record", CancellationToken.None).ConfigureAwait(false);
                        outcomes[p] = IngestResult.Failed(RecordFailure(ex));
                    }
                }
            }

            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        for (var p = 0; p < pending.Length; p++)
        {
            plan.Results[pending[p]] = outcomes[p];
        }
    }

    private static IngestResult Result(IngestRecord record, string? original, int? depositNumber) => record.Conversion switch
    {
        null => IngestResult.Written(null),
        _ when original is not null => IngestResult.Duplicate(original),
        { } conversion => IngestResult.Written(conversion.Id) with { DepositNumber = depositNumber },
    };

    private static NpgsqlBatchCommand LockCommand(long[] keys) =>
        // unnest yields the sorted array in order, so the locks are taken in ascending order.
        new(LockSql) { Parameters = { ArrayOf(NpgsqlDbType.Bigint, keys) } };

    /// <summary>Locks the roll-up rows the conversions of the records at <paramref name="indexes"/> may add to (<see cref="PostgreSqlConversionRollups.LockSql"/>).</summary>
    private NpgsqlBatchCommand RollupLockCommand(IReadOnlyList<IngestRecord> records, IReadOnlyList<int> indexes)
    {
        // A credited deposit's bucket is known once its statement numbers it: every bucket it may take is locked.
        var conversions = indexes.Select(i => records[i].Conversion).OfType<ConversionRecord>()
            .SelectMany(c => PossibleBuckets(c).Select(bucket => (Record: c, Bucket: bucket)))
            .ToArray();
        return new NpgsqlBatchCommand(_rollupLockSql)
        {
            Parameters =
            {
                ArrayOf(NpgsqlDbType.TimestampTz, conversions.Select(c => c.Record.Conversion.ReceivedAt.UtcDateTime).ToArray()),
                ArrayOf(NpgsqlDbType.Text, conversions.Select(c => Clean(c.Record.Conversion.SetId)).ToArray()),
                ArrayOf(NpgsqlDbType.Text, conversions.Select(c => Clean(c.Record.CampaignId)).ToArray()),
                ArrayOf(NpgsqlDbType.Text, conversions.Select(c => StoredWords.Of(c.Record.Conversion.Event.Kind)).ToArray()),
                ArrayOf(NpgsqlDbType.Text, conversions.Select(c => StoredWords.Of(c.Record.Attribution)).ToArray()),
                ArrayOf(NpgsqlDbType.Text, conversions.Select(c => Clean(c.Record.Conversion.Currency)).ToArray()),
                ArrayOf(NpgsqlDbType.Text, conversions.Select(c => Clean(c.Record.ReportingAmount?.Currency)).ToArray()),
                ArrayOf(NpgsqlDbType.Integer, conversions.Select(c => c.Bucket).ToArray()),
                ArrayOf(NpgsqlDbType.Text, conversions.Select(c => StoredWords.Of(c.Record.Status)).ToArray()),
            },
        };
    }

    /// <summary>
    /// The deposit-number buckets a conversion's roll-up row may have once written: none unless it is a credited deposit,
    /// else every bucket from the lowest number its kind may take (<see cref="DepositNumbering.Next"/> on a click without
    /// numbers) up to <see cref="DepositNumbering.GroupedFrom"/>.
    /// </summary>
    private static IEnumerable<int?> PossibleBuckets(ConversionRecord conversion)
    {
        var kind = conversion.Conversion.Event.Kind;
        if (conversion.Attribution != ConversionAttribution.Credited || !DepositNumbering.IsNumbered(kind))
        {
            return [null];
        }

        var lowest = DepositNumbering.Next(kind, null, false);
        return Enumerable.Range(lowest, DepositNumbering.GroupedFrom - lowest + 1).Select(b => (int?)b);
    }

    /// <summary>The append statement over the records at <paramref name="indexes"/>, whose key values are all different.</summary>
    private NpgsqlBatchCommand AppendCommand(IReadOnlyList<IngestRecord> records, List<int> indexes)
    {
        var n = indexes.Count;
        var index = new int[n];
        var logId = new string[n];
        var logReceivedAt = new DateTime[n];
        var logSetId = new string[n];
        var outcome = new string[n];
        var code = new string?[n];
        var warningsFrom = new int[n];
        var warningsTo = new int[n];
        var logConversionId = new string?[n];
        var method = new string[n];
        var path = new string[n];
        var segment = new string?[n];
        var queryString = new string[n];
        var body = new string?[n];
        var contentType = new string?[n];
        var requestAddress = new IPAddress?[n];
        var id = new string?[n];
        var setId = new string?[n];
        var kind = new string?[n];
        var name = new string?[n];
        var clickId = new string?[n];
        var amount = new decimal?[n];
        var currency = new string?[n];
        var transactionId = new string?[n];
        var attributes = new string?[n];
        var receivedAt = new DateTime?[n];
        var address = new IPAddress?[n];
        var key = new string?[n];
        var window = new TimeSpan?[n];
        var attribution = new string?[n];
        var campaignId = new string?[n];
        var windowPassed = new bool?[n];
        var duplicateAfter = new DateTime?[n];
        var duplicateBefore = new DateTime?[n];
        var duplicateOutcome = new string?[n];
        var reportingAmount = new decimal?[n];
        var reportingCurrency = new string?[n];
        var reportingRate = new decimal?[n];
        var reportingRateDate = new DateOnly?[n];
        var status = new string?[n];
        var statusWord = new string?[n];
        var statusWordUnknown = new bool?[n];
        var logsDuplicate = new bool[n];
        var warnings = new List<string>();
        var messages = new List<OutboxMessage>();

        for (var k = 0; k < n; k++)
        {
            var record = records[indexes[k]];
            var entry = record.LogEntry;
            var request = entry.Request;
            index[k] = indexes[k];
            logId[k] = Clean(entry.Id);
            logReceivedAt[k] = entry.ReceivedAt.UtcDateTime;
            logSetId[k] = Clean(entry.SetId);
            outcome[k] = StoredWords.Of(entry.Outcome);
            code[k] = Clean(entry.Code);
            warningsFrom[k] = warnings.Count + 1;
            foreach (var warning in entry.Warnings)
            {
                warnings.Add(Clean(warning));
            }

            warningsTo[k] = warnings.Count;
            logConversionId[k] = Clean(record.Conversion?.Id ?? entry.ConversionId);
            method[k] = Clean(request.Method);
            path[k] = Clean(request.Path);
            segment[k] = Clean(request.EventSegment);
            queryString[k] = Clean(request.QueryString);
            body[k] = Clean(request.Body);
            contentType[k] = Clean(request.ContentType);
            requestAddress[k] = InetValue(request.RemoteAddress);
            if (record.Conversion is not { } stored)
            {
                continue;
            }

            var conversion = stored.Conversion;
            id[k] = Clean(stored.Id);
            setId[k] = Clean(conversion.SetId);
            kind[k] = StoredWords.Of(conversion.Event.Kind);
            name[k] = Clean(conversion.Event.Name);
            clickId[k] = Clean(conversion.ClickId);
            amount[k] = conversion.Amount;
            currency[k] = Clean(conversion.Currency);
            transactionId[k] = Clean(conversion.TransactionId);
            attributes[k] = PostgreSqlJsonText.FromDictionary(conversion.Attributes);
            receivedAt[k] = conversion.ReceivedAt.UtcDateTime;
            address[k] = InetValue(conversion.RemoteAddress);
            key[k] = Clean(conversion.IdempotencyKey.Value);
            window[k] = conversion.IdempotencyKey.Window;
            attribution[k] = StoredWords.Of(stored.Attribution);
            campaignId[k] = Clean(stored.CampaignId);
            windowPassed[k] = stored.AttributionWindowPassed;
            duplicateAfter[k] = record.DuplicateRange.After?.UtcDateTime;
            duplicateBefore[k] = record.DuplicateRange.Before?.UtcDateTime;
            duplicateOutcome[k] = StoredWords.Of(record.DuplicateOutcome);
            logsDuplicate[k] = record.LogsDuplicate;
            status[k] = StoredWords.Of(stored.Status);
            statusWord[k] = Clean(stored.StatusWord);
            statusWordUnknown[k] = stored.StatusWordUnknown;
            if (stored.ReportingAmount is { } reporting)
            {
                reportingAmount[k] = reporting.Amount;
                reportingCurrency[k] = Clean(reporting.Currency);
                reportingRate[k] = reporting.Rate;
                reportingRateDate[k] = reporting.RateDate;
            }

            messages.AddRange(record.OutboxMessages);
        }

        var command = new NpgsqlBatchCommand(_appendSql);
        var p = command.Parameters;
        p.Add(ArrayOf(NpgsqlDbType.Integer, index));
        p.Add(ArrayOf(NpgsqlDbType.Text, logId));
        p.Add(ArrayOf(NpgsqlDbType.TimestampTz, logReceivedAt));
        p.Add(ArrayOf(NpgsqlDbType.Text, logSetId));
        p.Add(ArrayOf(NpgsqlDbType.Text, outcome));
        p.Add(ArrayOf(NpgsqlDbType.Text, code));
        p.Add(ArrayOf(NpgsqlDbType.Integer, warningsFrom));
        p.Add(ArrayOf(NpgsqlDbType.Integer, warningsTo));
        p.Add(ArrayOf(NpgsqlDbType.Text, logConversionId));
        p.Add(ArrayOf(NpgsqlDbType.Text, method));
        p.Add(ArrayOf(NpgsqlDbType.Text, path));
        p.Add(ArrayOf(NpgsqlDbType.Text, segment));
        p.Add(ArrayOf(NpgsqlDbType.Text, queryString));
        p.Add(ArrayOf(NpgsqlDbType.Text, body));
        p.Add(ArrayOf(NpgsqlDbType.Text, contentType));
        p.Add(ArrayOf(NpgsqlDbType.Inet, requestAddress));
        p.Add(ArrayOf(NpgsqlDbType.Text, id));
        p.Add(ArrayOf(NpgsqlDbType.Text, setId));
        p.Add(ArrayOf(NpgsqlDbType.Text, kind));
        p.Add(ArrayOf(NpgsqlDbType.Text, name));
        p.Add(ArrayOf(NpgsqlDbType.Text, clickId));
        p.Add(ArrayOf(NpgsqlDbType.Numeric, amount));
        p.Add(ArrayOf(NpgsqlDbType.Text, currency));
        p.Add(ArrayOf(NpgsqlDbType.Text, transactionId));
        p.Add(ArrayOf(NpgsqlDbType.Jsonb, attributes));
        p.Add(ArrayOf(NpgsqlDbType.TimestampTz, receivedAt));
        p.Add(ArrayOf(NpgsqlDbType.Inet, address));
        p.Add(ArrayOf(NpgsqlDbType.Text, key));
        p.Add(ArrayOf(NpgsqlDbType.Interval, window));
        p.Add(ArrayOf(NpgsqlDbType.Text, attribution));
        p.Add(ArrayOf(NpgsqlDbType.Text, campaignId));
        p.Add(ArrayOf(NpgsqlDbType.TimestampTz, duplicateAfter));
        p.Add(ArrayOf(NpgsqlDbType.TimestampTz, duplicateBefore));
        p.Add(ArrayOf(NpgsqlDbType.Text, duplicateOutcome));
        p.Add(ArrayOf(NpgsqlDbType.Text, warnings.ToArray()));
        AddMessageParameters(p, messages);
        p.Add(ArrayOf(NpgsqlDbType.Boolean, windowPassed));
        p.Add(ArrayOf(NpgsqlDbType.Numeric, reportingAmount));
        p.Add(ArrayOf(NpgsqlDbType.Text, reportingCurrency));
        p.Add(ArrayOf(NpgsqlDbType.Numeric, reportingRate));
        p.Add(ArrayOf(NpgsqlDbType.Date, reportingRateDate));
        p.Add(ArrayOf(NpgsqlDbType.Integer, messages.Select(m => m.DepositNumberCondition?.Min).ToArray()));
        p.Add(ArrayOf(NpgsqlDbType.Integer, messages.Select(m => m.DepositNumberCondition?.Max).ToArray()));
        p.Add(ArrayOf(NpgsqlDbType.Boolean, messages.Select(m => m.DepositNumberCondition is not null).ToArray()));
        p.Add(ArrayOf(NpgsqlDbType.Text, status));
        p.Add(ArrayOf(NpgsqlDbType.Text, statusWord));
        p.Add(ArrayOf(NpgsqlDbType.Boolean, statusWordUnknown));
        p.Add(ArrayOf(NpgsqlDbType.Boolean, logsDuplicate));
        p.Add(ArrayOf(NpgsqlDbType.Text, messages.Select(m => Clean(m.HistoryEntryId)).ToArray()));
        return command;
    }

    private static void AddMessageParameters(NpgsqlParameterCollection p, List<OutboxMessage> messages)
    {
        var n = messages.Count;
        var id = new string[n];
        var conversionId = new string[n];
        var ruleId = new string[n];
        var destinationId = new string[n];
        var createdAt = new DateTime[n];
        var status = new string[n];
        var nextAttemptAt = new DateTime[n];
        var retryFrom = new DateTime[n];
        var attemptCount = new int[n];
        var lastErrorCode = new string?[n];
        var lastError = new string?[n];
        var completedAt = new DateTime?[n];
        var leaseId = new string?[n];
        var leaseExpiresAt = new DateTime?[n];
        for (var k = 0; k < n; k++)
        {
            var message = messages[k];
            id[k] = Clean(message.Id);
            conversionId[k] = Clean(message.ConversionId);
            ruleId[k] = Clean(message.RuleId);
            destinationId[k] = Clean(message.DestinationId);
            createdAt[k] = message.CreatedAt.UtcDateTime;
            status[k] = StoredWords.Of(message.Status);
            nextAttemptAt[k] = message.NextAttemptAt.UtcDateTime;
            retryFrom[k] = message.RetryFrom.UtcDateTime;
            attemptCount[k] = message.AttemptCount;
            lastErrorCode[k] = Clean(message.LastErrorCode);
            lastError[k] = Clean(message.LastError);
            completedAt[k] = message.CompletedAt?.UtcDateTime;
            leaseId[k] = Clean(message.LeaseId);
            leaseExpiresAt[k] = message.LeaseExpiresAt?.UtcDateTime;
        }

        p.Add(ArrayOf(NpgsqlDbType.Text, id));
        p.Add(ArrayOf(NpgsqlDbType.Text, conversionId));
        p.Add(ArrayOf(NpgsqlDbType.Text, ruleId));
        p.Add(ArrayOf(NpgsqlDbType.Text, destinationId));
        p.Add(ArrayOf(NpgsqlDbType.TimestampTz, createdAt));
        p.Add(ArrayOf(NpgsqlDbType.Text, status));
        p.Add(ArrayOf(NpgsqlDbType.TimestampTz, nextAttemptAt));
        p.Add(ArrayOf(NpgsqlDbType.TimestampTz, retryFrom));
        p.Add(ArrayOf(NpgsqlDbType.Integer, attemptCount));
        p.Add(ArrayOf(NpgsqlDbType.Text, lastErrorCode));
        p.Add(ArrayOf(NpgsqlDbType.Text, lastError));
        p.Add(ArrayOf(NpgsqlDbType.TimestampTz, completedAt));
        p.Add(ArrayOf(NpgsqlDbType.Text, leaseId));
        p.Add(ArrayOf(NpgsqlDbType.TimestampTz, leaseExpiresAt));
    }

    /// <summary>
    /// The append statement (parameters in the order <see cref="AppendCommand"/> adds them: $1-$34 one element per record,
    /// $35 the records' warnings one after the other, $36-$49 the outbox messages, $50-$54 one element per record: whether
    /// the conversion came after its attribution window, and the reporting amounts; $55-$57 one element per outbox message:
    /// its deposit-number condition's min, max, and whether it has one; $58-$61 one element per record: the status, its
    /// word, whether the word was unknown, and whether a duplicate is logged; $62 the outbox messages' history entry ids).
    /// </summary>
    // The append statement's roll-up upsert: the conversions it inserted, one row per key.
    private static string RollupSql(string quotedSchema) => PostgreSqlConversionRollups.UpsertSql(
        quotedSchema,
        $"""
        (SELECT {PostgreSqlConversionRollups.DayOf("received_at")} AS day, set_id, campaign_id, event_kind, attribution, currency, reporting_currency,
                {PostgreSqlConversionRollups.BucketOf("deposit_number")} AS deposit_bucket, status,
                count(*) AS count, COALESCE(sum(amount), 0) AS amount, COALESCE(sum(reporting_amount), 0) AS reporting_amount
         FROM inserted GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9) k
        """);

    private string AppendSql() => $"""
        WITH r AS (
            SELECT * FROM unnest(
                $1::integer[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::integer[], $8::integer[],
                $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::inet[],
                $17::text[], $18::text[], $19::text[], $20::text[], $21::text[], $22::numeric[], $23::text[], $24::text[],
                $25::jsonb[], $26::timestamptz[], $27::inet[], $28::text[], $29::interval[], $30::text[], $31::text[],
                $32::timestamptz[], $33::timestamptz[], $34::text[], $50::boolean[], $51::numeric[], $52::text[], $53::numeric[], $54::date[],
                $58::text[], $59::text[], $60::boolean[], $61::boolean[])
            AS r(i, log_id, log_received_at, log_set_id, outcome, code, warnings_from, warnings_to,
                 log_conversion_id, request_method, request_path, request_event_segment, request_query_string, request_body, request_content_type, request_remote_address,
                 id, set_id, event_kind, event_name, click_id, amount, currency, transaction_id,
                 attributes, received_at, remote_address, idempotency_key, idempotency_window, attribution, campaign_id,
                 duplicate_after, duplicate_before, duplicate_outcome, attribution_window_passed, reporting_amount, reporting_currency, reporting_rate, reporting_rate_date,
                 status, status_word, status_word_unknown, logs_duplicate)
        ), original AS (
            -- The earliest stored conversion with the record's key value received in its duplicate range; a key without a
            -- window is also matched by a stored one without a window whenever it was received (those are unique).
            SELECT r.i, o.id
            FROM r
            CROSS JOIN LATERAL (
                SELECT c.id FROM {_s}.conversions c
                WHERE c.idempotency_key = r.idempotency_key
                  AND ((r.duplicate_after IS NULL OR c.received_at > r.duplicate_after) AND (r.duplicate_before IS NULL OR c.received_at < r.duplicate_before)
                       OR (r.idempotency_window IS NULL AND c.idempotency_window IS NULL))
                ORDER BY c.received_at, c.id
                LIMIT 1) o
            WHERE r.idempotency_key IS NOT NULL
        ), deposits AS (
            -- The new credited deposits (DepositNumbering, in Chatterfy.Postbacks): with the click locked, the numbers its
            -- conversions hold; the click's first first deposit of the statement takes 1 while no conversion holds it.
            SELECT r.i, r.click_id, s.highest,
                   r.event_kind = '{FirstDeposit}' AND NOT s.first_taken
                   AND row_number() OVER (PARTITION BY r.click_id, r.event_kind = '{FirstDeposit}' ORDER BY r.i) = 1 AS first
            FROM r
            CROSS JOIN LATERAL (
                SELECT COALESCE(max(c.deposit_number), 0) AS highest, COALESCE(bool_or(c.deposit_number = 1), false) AS first_taken
                FROM {_s}.conversions c WHERE c.click_id = r.click_id) s
            WHERE r.idempotency_key IS NOT NULL AND r.attribution = '{Credited}' AND r.event_kind IN ('{FirstDeposit}', '{Deposit}')
              AND NOT EXISTS (SELECT 1 FROM original o WHERE o.i = r.i)
        ), numbered AS (
            -- Every other one takes the highest number (at least 1) plus its rank among them, in batch order.
            SELECT i, CASE WHEN first THEN 1
                           ELSE GREATEST(highest, 1) + row_number() OVER (PARTITION BY click_id, first ORDER BY i) END AS deposit_number
            FROM deposits
        ), inserted AS (
            INSERT INTO {_s}.conversions ({Columns})
            SELECT r.id, r.set_id, r.event_kind, r.event_name, r.click_id, r.amount, r.currency, r.transaction_id,
                   r.attributes, r.received_at, r.remote_address, r.idempotency_key, r.idempotency_window, r.attribution, r.campaign_id,
                   r.attribution_window_passed, r.reporting_amount, r.reporting_currency, r.reporting_rate, r.reporting_rate_date,
                   (SELECT n.deposit_number FROM numbered n WHERE n.i = r.i), r.status, r.status_word, r.status_word_unknown
            FROM r
            WHERE r.idempotency_key IS NOT NULL AND NOT EXISTS (SELECT 1 FROM original o WHERE o.i = r.i)
            RETURNING id, received_at, set_id, campaign_id, event_kind, attribution, currency, amount, reporting_currency, reporting_amount, deposit_number, status
        ), rolled AS (
            -- The conversions inserted by this statement, added to their daily roll-ups.
            {RollupSql(_s)}
        ), messages AS (
            INSERT INTO {_s}.outbox_messages ({PostgreSqlOutboxStore.Columns})
            -- A message with a deposit-number condition (its rule's filter) is written only when the number the conversion
            -- took is in the range (DepositNumberRange.Contains, in Chatterfy.Postbacks).
            SELECT {MessageColumns} FROM unnest(
                $36::text[], $37::text[], $38::text[], $39::text[], $40::timestamptz[], $41::text[], $42::timestamptz[],
                $43::timestamptz[], $44::integer[], $45::text[], $46::text[], $47::timestamptz[], $48::text[], $49::timestamptz[], $62::text[],
                $55::integer[], $56::integer[], $57::boolean[])
            AS m({PostgreSqlOutboxStore.Columns}, number_min, number_max, number_condition)
            JOIN inserted c ON c.id = m.conversion_id
            WHERE NOT m.number_condition
               OR (c.deposit_number >= COALESCE(m.number_min, {DepositNumbering.First}) AND (m.number_max IS NULL OR c.deposit_number <= m.number_max))
        ), logged AS (
            INSERT INTO {_s}.postback_log ({LogColumns})
            SELECT r.log_id, r.log_received_at, r.log_set_id,
                   CASE WHEN o.id IS NULL THEN r.outcome ELSE r.duplicate_outcome END,
                   r.code, ($35::text[])[r.warnings_from:r.warnings_to], COALESCE(o.id, r.log_conversion_id),
                   r.request_method, r.request_path, r.request_event_segment, r.request_query_string, r.request_body,
                   r.request_content_type, r.request_remote_address, n.deposit_number
            FROM r
            LEFT JOIN original o ON o.i = r.i
            LEFT JOIN numbered n ON n.i = r.i
            WHERE o.id IS NULL OR r.logs_duplicate
        )
        SELECT o.i, o.id, NULL::integer FROM original o
        UNION ALL
        SELECT n.i, NULL, n.deposit_number FROM numbered n
        """;

    // The outbox columns of the unnested messages (alias m), in the table's order.
    private static readonly string MessageColumns = string.Join(", ", PostgreSqlOutboxStore.Columns.Split(',').Select(c => "m." + c.Trim()));

    private static readonly string Credited = StoredWords.Of(ConversionAttribution.Credited);
    private static readonly string FirstDeposit = StoredWords.Of(Ingestion.PostbackEventKind.FirstDeposit);
    private static readonly string Deposit = StoredWords.Of(Ingestion.PostbackEventKind.Deposit);

    /// <summary>What one append does: the records, their results so far, the rounds and the lock keys.</summary>
    private sealed record AppendPlan(IReadOnlyList<IngestRecord> Records, IngestResult[] Results, List<List<int>> Rounds, long[] LockKeys);
}
