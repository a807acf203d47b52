using Chatterfy.Postbacks.Currencies;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Reconciliation;
using Chatterfy.Postbacks.Storage;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Chatterfy.Postbacks.Sqlite;

/// <summary>
/// The append of processed postbacks: conversions in <c>conversions</c>, their log entries in <c>postback_log</c> and their
/// outbox messages in <c>outbox_messages</c>, written by the single writer, a batch per transaction. Duplicate detection is
/// race-free because the look-up and the insert run in the writer's transaction, and the writer is the only one writing.
/// </summary>
/// <param name="database">The store whose connection and writer it uses.</param>
internal sealed class SqliteIngestStore(SqlitePostbackStore database) : IngestStore
{
    /// <summary>The columns of <c>conversions</c>, in the order <see cref="ReadConversion"/> reads them.</summary>
    internal const string ConversionColumns =
        "id, set_id, event, click_id, amount, currency, transaction_id, attributes, received_at, remote_address, idempotency_key, idempotency_window, attribution, campaign_id, attribution_window_passed, " +
        "reporting_amount, reporting_currency, reporting_rate, reporting_rate_date, deposit_number, status, status_word, status_word_unknown";

    // The columns of a conversion as reconciliation reads it, in the order ReadAllToReconcile reads them.
    private const string ReconciledColumns = "id, click_id, event, amount, currency, transaction_id, received_at";

    // The earliest stored conversion with the key in the range: the key is looked up under its click id (index
    // ix_conversions_click_key), which holds because the key contains the click id (see IngestStore.AppendAsync).
    private const string FindDuplicateSql = """
        SELECT id FROM conversions
        WHERE click_id = ?1 AND idempotency_key = ?2 AND (?3 IS NULL OR received_at > ?3) AND (?4 IS NULL OR received_at < ?4)
        ORDER BY received_at, id LIMIT 1
        """;

    private const string InsertConversionSql =
        $"INSERT INTO conversions ({ConversionColumns}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23)";

    private const string HistoryColumns = "id, conversion_id, at, from_status, to_status, word, log_entry_id";

    // The compare-and-set of a status change: only a conversion still in the expected status changes.
    // Returns what the conversion's roll-up key is made of, to move its count from the old status's row to the new one's.
    private const string ChangeStatusSql = """
        UPDATE conversions SET status = $to, status_word = $word, status_word_unknown = $word_unknown WHERE id = $id AND status = $from
        RETURNING received_at, set_id, campaign_id, event, attribution, currency, amount, reporting_currency, reporting_amount, deposit_number
        """;

    private const string InsertHistorySql = $"INSERT INTO conversion_status_history ({HistoryColumns}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";

    // What DepositNumbering needs of a click's numbers; the single writer makes the read and the insert atomic.
    private const string HighestDepositNumberSql = "SELECT max(deposit_number) FROM conversions WHERE click_id = ?1";

    private const string FirstDepositNumberTakenSql = "SELECT 1 FROM conversions WHERE click_id = ?1 AND deposit_number = ?2 LIMIT 1";

    /// <summary>Gets the store whose connection and writer it uses.</summary>
    public SqlitePostbackStore Database => database;

    /// <inheritdoc />
    /// <value><see cref="SqlitePostbackStoreOptions.MaxBatchSize"/>: the writer commits this many records in one transaction.</value>
    public override int PreferredBatchSize => database.MaxBatchSize;

    /// <inheritdoc cref="SqlitePostbackStore.CheckHealthAsync"/>
    public override ValueTask CheckHealthAsync(CancellationToken cancellationToken) => database.CheckHealthAsync(cancellationToken);

    /// <inheritdoc />
    protected override ValueTask<IReadOnlyList<IngestResult>> AppendCoreAsync(IReadOnlyList<IngestRecord> records, CancellationToken cancellationToken) =>
        database.SubmitAsync(new AppendUnit(records), cancellationToken);

    /// <inheritdoc />
    protected override ValueTask<ConversionRecord?> GetConversionCoreAsync(string conversionId, CancellationToken cancellationToken) =>
        database.ReadAsync(
            (connection, _) =>
            {
                using var command = SqlitePostbackStore.Command(connection, $"SELECT {ConversionColumns} FROM conversions WHERE id = $id");
                command.Parameters.AddValue("$id", conversionId);
                using var reader = command.ExecuteReader();
                return reader.Read() ? WithHistory(connection, Array.AsReadOnly([ReadConversion(reader)]))[0] : null;
            },
            cancellationToken);

    /// <inheritdoc />
    protected override ValueTask<IReadOnlyList<ConversionRecord>> ListConversionsByClickCoreAsync(string clickId, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<ConversionRecord>>(
            (connection, cancellationToken) =>
            {
                using var command = SqlitePostbackStore.Command(connection, $"SELECT {ConversionColumns} FROM conversions WHERE click_id = $click_id ORDER BY received_at, id");
                command.Parameters.AddValue("$click_id", clickId);
                return WithHistory(connection, ReadAll(command, cancellationToken));
            },
            cancellationToken);

    /// <inheritdoc />
    protected override ValueTask<IReadOnlyList<ConversionRecord>> ListConversionsCoreAsync(ConversionListQuery query, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<ConversionRecord>>(
            (connection, cancellationToken) =>
            {
                // One read transaction, so the cursor and the page come from the same snapshot.
                using var transaction = connection.BeginTransaction(deferred: true);
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                var sql = new StringBuilder($"SELECT {ConversionColumns} FROM conversions WHERE 1 = 1");
                if (query.BeforeId is { } beforeId && !SqliteKeysetPage.TryAppendCursor(command, sql, "conversions", "received_at", beforeId))
                {
                    return Array.Empty<ConversionRecord>();
                }

                if (query.SetId is { } setId)
                {
                    sql.Append(" AND set_id = $set_id");
                    command.Parameters.AddValue("$set_id", setId);
                }

                if (query.ClickId is { } clickId)
                {
                    sql.Append(" AND click_id = $click_id");
                    command.Parameters.AddValue("$click_id", clickId);
                }

                if (query.SubjectId is { } subjectId)
                {
                    sql.Append(" AND click_id IN (SELECT click_id FROM subject_bindings WHERE subject_id = $subject_id UNION SELECT id FROM clicks WHERE subject_id = $subject_id)");
                    command.Parameters.AddValue("$subject_id", subjectId);
                }

                if (query.Status is { } status)
                {
                    sql.Append(" AND status = $status");
                    command.Parameters.AddValue("$status", StoredWords.Of(status));
                }

                if (query.StatusWordUnknown is { } unknown)
                {
                    // A literal, not a parameter: SQLite uses the partial index ix_conversions_set_id_unknown_word only
                    // when the query names its WHERE term as written.
                    sql.Append(unknown ? " AND status_word_unknown = 1" : " AND status_word_unknown = 0");
                }

                sql.Append(" ORDER BY received_at DESC, id DESC LIMIT $limit");
                command.Parameters.AddValue("$limit", query.Limit);
                command.CommandText = sql.ToString();
                return WithHistory(connection, ReadAll(command, cancellationToken), transaction);
            },
            cancellationToken);

    /// <inheritdoc />
    protected override ValueTask<IReadOnlyList<ReconciledConversion>> ListConversionsToMatchCoreAsync(ConversionMatchQuery query, CancellationToken cancellationToken)
    {
        var transactionIds = SqliteValues.ToJson([.. query.TransactionIds]);
        var clickIds = SqliteValues.ToJson([.. query.ClickIds]);
        return database.ReadAsync<IReadOnlyList<ReconciledConversion>>(
            (connection, cancellationToken) =>
            {
                // Each half looks its ids up in its own index: without statistics the planner would rather walk the set's
                // conversions by ix_conversions_set_id_received_at, so the indexes are named.
                using var command = SqlitePostbackStore.Command(connection, $"""
                    SELECT {ReconciledColumns} FROM conversions INDEXED BY ix_conversions_set_id_transaction_id
                    WHERE set_id = $set_id AND transaction_id IN (SELECT value FROM json_each($transaction_ids))
                    UNION
                    SELECT {ReconciledColumns} FROM conversions INDEXED BY ix_conversions_click_key
                    WHERE click_id IN (SELECT value FROM json_each($click_ids)) AND set_id = $set_id
                    ORDER BY received_at, id
                    """);
                command.Parameters.AddValue("$set_id", query.SetId);
                command.Parameters.AddValue("$transaction_ids", transactionIds);
                command.Parameters.AddValue("$click_ids", clickIds);
                return ReadAllToReconcile(command, cancellationToken);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    protected override ValueTask<IReadOnlyList<ReconciledConversion>> ListConversionsToReconcileCoreAsync(
        string setId,
        DateTimeOffset receivedFrom,
        DateTimeOffset receivedTo,
        ReconciledConversion? after,
        int limit,
        CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<ReconciledConversion>>(
            (connection, cancellationToken) =>
            {
                // The range of ix_conversions_set_id_received_at, from the cursor's time on when there is one.
                using var command = SqlitePostbackStore.Command(connection, $"""
                    SELECT {ReconciledColumns} FROM conversions INDEXED BY ix_conversions_set_id_received_at
                    WHERE set_id = $set_id AND received_at >= $from AND received_at <= $to
                      AND ($after_at IS NULL OR received_at > $after_at OR (received_at = $after_at AND id > $after_id))
                    ORDER BY received_at, id LIMIT $limit
                    """);
                var fromTicks = SqliteValues.ToDb(receivedFrom);
                command.Parameters.AddValue("$set_id", setId);
                command.Parameters.AddValue("$from", after is null ? fromTicks : Math.Max(fromTicks, SqliteValues.ToDb(after.ReceivedAt)));
                command.Parameters.AddValue("$to", SqliteValues.ToDb(receivedTo));
                command.Parameters.AddValue("$after_at", after is null ? null : SqliteValues.ToDb(after.ReceivedAt));
                command.Parameters.AddValue("$after_id", after?.ConversionId);
                command.Parameters.AddValue("$limit", limit);
                return ReadAllToReconcile(command, cancellationToken);
            },
            cancellationToken);

    /// <inheritdoc />
    protected override ValueTask<IReadOnlyList<ConversionRecord>> ListConversionsWithoutReportingAmountCoreAsync(string? afterId, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<ConversionRecord>>(
            (connection, cancellationToken) =>
            {
                // ix_conversions_reporting_missing holds exactly these rows, by id.
                using var command = SqlitePostbackStore.Command(
                    connection,
                    $"SELECT {ConversionColumns} FROM conversions WHERE amount IS NOT NULL AND reporting_amount IS NULL AND ($after IS NULL OR id > $after) ORDER BY id LIMIT $limit");
                command.Parameters.AddValue("$after", afterId);
                command.Parameters.AddValue("$limit", limit);
                return ReadAll(command, cancellationToken);
            },
            cancellationToken);

    /// <inheritdoc />
    protected override ValueTask<int> SetReportingAmountsCoreAsync(IReadOnlyList<ReportingAmountUpdate> updates, CancellationToken cancellationToken)
    {
        var rows = updates.Select(u => (
            u.ConversionId,
            Amount: SqliteValues.ToDb(u.Amount.Amount),
            u.Amount.Currency,
            Rate: SqliteValues.ToDb(u.Amount.Rate),
            RateDate: SqliteValues.ToDb(u.Amount.RateDate),
            Value: u.Amount.Amount)).ToArray();
        return database.WriteAsync(
            session =>
            {
                var changed = 0;
                foreach (var row in rows)
                {
                    // Only a conversion without one: the returned columns say where its roll-up row moves from.
                    var update = session.Command("""
                        UPDATE conversions
                        SET reporting_amount = $amount, reporting_currency = $currency, reporting_rate = $rate, reporting_rate_date = $rate_date
                        WHERE id = $id AND reporting_amount IS NULL
                        RETURNING received_at, set_id, campaign_id, event, attribution, currency, amount, deposit_number, status
                        """);
                    update.Parameters.AddValue("$id", row.ConversionId);
                    update.Parameters.AddValue("$amount", row.Amount);
                    update.Parameters.AddValue("$currency", row.Currency);
                    update.Parameters.AddValue("$rate", row.Rate);
                    update.Parameters.AddValue("$rate_date", row.RateDate);
                    using var reader = update.ExecuteReader();
                    if (!reader.Read())
                    {
                        continue;
                    }

                    var before = new SqliteConversionRollups.Key(
                        SqliteValues.DayOf(reader.GetInt64(0)), reader.GetString(1), reader.GetNullableString(2), reader.GetString(3), reader.GetString(4), reader.GetNullableString(5))
                    {
                        DepositBucket = DepositNumbering.StatsBucket(reader.IsDBNull(7) ? null : reader.GetInt32(7)),
                        Status = reader.GetString(8),
                    };
                    var amount = reader.GetNullableString(6) is { } text ? SqliteValues.ToDecimal(text) : 0m;
                    session.Rollups.Add(before, -1, -amount);
                    session.Rollups.Add(before with { ReportingCurrency = row.Currency }, 1, amount, row.Value);
                    changed++;
                }

                return changed;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    protected override ValueTask<bool> ChangeStatusCoreAsync(StatusChangeRecord change, CancellationToken cancellationToken)
    {
        var entry = change.Change;
        var log = new SqliteLogStore.LogRow(change.LogEntry);
        var messages = change.OutboxMessages.Select(m => new SqliteOutboxStore.OutboxRow(m)).ToArray();
        var to = StoredWords.Of(entry.To);
        var from = StoredWords.Of(entry.From);
        var at = SqliteValues.ToDb(entry.At);

        // One write of the single writer: the compare-and-set and the rows that go with it commit together. Across
        // instances sharing the file, SQLite's write lock serializes the writers, so the UPDATE sees the committed status.
        return database.WriteAsync(
            session =>
            {
                SqliteConversionRollups.Key before;
                decimal amount, reportingAmount;
                var update = session.Command(ChangeStatusSql);
                update.Parameters.AddValue("$to", to);
                update.Parameters.AddValue("$word", entry.Word);
                update.Parameters.AddValue("$word_unknown", change.WordUnknown ? 1L : 0L);
                update.Parameters.AddValue("$id", entry.ConversionId);
                update.Parameters.AddValue("$from", from);
                using (var reader = update.ExecuteReader())
                {
                    if (!reader.Read())
                    {
                        return false;
                    }

                    before = new SqliteConversionRollups.Key(
                        SqliteValues.DayOf(reader.GetInt64(0)), reader.GetString(1), reader.GetNullableString(2), reader.GetString(3), reader.GetString(4), reader.GetNullableString(5), reader.GetNullableString(7))
                    {
                        DepositBucket = DepositNumbering.StatsBucket(reader.IsDBNull(9) ? null : reader.GetInt32(9)),
                        Status = from,
                    };
                    amount = reader.GetNullableString(6) is { } text ? SqliteValues.ToDecimal(text) : 0m;
                    reportingAmount = reader.GetNullableString(8) is { } reportingText ? SqliteValues.ToDecimal(reportingText) : 0m;
                }

                // A used id breaks a unique constraint: the writer undoes the whole write (the UPDATE too).
                var history = session.Statement(InsertHistorySql);
                history.Bind(1, entry.Id);
                history.Bind(2, entry.ConversionId);
                history.Bind(3, at);
                history.Bind(4, from);
                history.Bind(5, to);
                history.Bind(6, entry.Word);
                history.Bind(7, entry.LogEntryId);
                AppendUnit.Insert(history, "Status history entry", entry.Id);
                foreach (var message in messages)
                {
                    try
                    {
                        SqliteOutboxStore.InsertOutboxMessage(session, message);
                    }
                    catch (SqliteException ex) when (ex.SqliteErrorCode == SqlitePostbackStore.SqliteConstraint)
                    {
                        throw AppendUnit.Conflict("Outbox message", message.Id, ex);
                    }
                }

                try
                {
                    SqliteLogStore.InsertLogEntry(session, log, StoredWords.Of(PostbackOutcome.Changed), entry.ConversionId);
                }
                catch (SqliteException ex) when (ex.SqliteErrorCode == SqlitePostbackStore.SqliteConstraint)
                {
                    throw AppendUnit.Conflict("Log entry", log.Id, ex);
                }

                // The conversion moves from its old status's roll-up row to the new one's, once the whole change is written
                // (a change that failed alone moves nothing); the writer applies it with the commit.
                session.Rollups.Add(before, -1, -amount, -reportingAmount);
                session.Rollups.Add(before with { Status = to }, 1, amount, reportingAmount);
                return true;
            },
            cancellationToken);
    }

    // Fills each conversion's status history (one query for the page), in the caller's read.
    private static System.Collections.ObjectModel.ReadOnlyCollection<ConversionRecord> WithHistory(SqliteConnection connection, System.Collections.ObjectModel.ReadOnlyCollection<ConversionRecord> conversions, SqliteTransaction? transaction = null)
    {
        if (conversions.Count == 0)
        {
            return conversions;
        }

        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {HistoryColumns} FROM conversion_status_history WHERE conversion_id IN (SELECT value FROM json_each($ids)) ORDER BY conversion_id, at, id";
        command.Parameters.AddValue("$ids", SqliteValues.ToJson(conversions.Select(c => c.Id).ToArray()));
        var byConversion = new Dictionary<string, List<ConversionStatusChange>>(StringComparer.Ordinal);
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var change = new ConversionStatusChange
                {
                    Id = reader.GetString(0),
                    ConversionId = reader.GetString(1),
                    At = SqliteValues.ToDateTimeOffset(reader.GetInt64(2)),
                    From = StoredWords.ParseConversionStatus(reader.GetString(3)),
                    To = StoredWords.ParseConversionStatus(reader.GetString(4)),
                    Word = reader.GetString(5),
                    LogEntryId = reader.GetString(6),
                };
                if (!byConversion.TryGetValue(change.ConversionId, out var list))
                {
                    byConversion.Add(change.ConversionId, list = []);
                }

                list.Add(change);
            }
        }

        if (byConversion.Count == 0)
        {
            return conversions;
        }

        return conversions.Select(c => byConversion.TryGetValue(c.Id, out var history) ? c with { History = history.AsReadOnly() } : c).ToList().AsReadOnly();
    }

    private static System.Collections.ObjectModel.ReadOnlyCollection<ConversionRecord> ReadAll(SqliteCommand command, CancellationToken cancellationToken)
    {
        using var reader = command.ExecuteReader();
        var conversions = new List<ConversionRecord>();
        while (reader.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            conversions.Add(ReadConversion(reader));
        }

        return conversions.AsReadOnly();
    }

    // Only what reconciliation matches on (ReconciledColumns); the event and currency are the same few words, shared.
    private static System.Collections.ObjectModel.ReadOnlyCollection<ReconciledConversion> ReadAllToReconcile(SqliteCommand command, CancellationToken cancellationToken)
    {
        using var reader = command.ExecuteReader();
        var conversions = new List<ReconciledConversion>();
        while (reader.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            conversions.Add(new ReconciledConversion(
                reader.GetString(0),
                reader.GetString(1),
                SqliteValues.ToEvent(reader.GetString(2)).Name,
                reader.GetNullableString(3) is { } amount ? SqliteValues.ToDecimal(amount) : null,
                reader.GetNullableString(4),
                reader.GetNullableString(5),
                SqliteValues.ToDateTimeOffset(reader.GetInt64(6))));
        }

        return conversions.AsReadOnly();
    }

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
            Attribution = StoredWords.ParseAttribution(reader.GetString(12)),
            CampaignId = reader.GetNullableString(13),
            AttributionWindowPassed = reader.GetInt64(14) != 0,
            ReportingAmount = reader.GetNullableString(15) is { } reportingAmount
                ? new ReportingAmount(SqliteValues.ToDecimal(reportingAmount), reader.GetString(16), SqliteValues.ToDecimal(reader.GetString(17)), SqliteValues.ToDay(reader.GetInt64(18)))
                : null,
            DepositNumber = reader.IsDBNull(19) ? null : reader.GetInt32(19),
            Status = StoredWords.ParseConversionStatus(reader.GetString(20)),
            StatusWord = reader.GetNullableString(21),
            StatusWordUnknown = reader.GetInt64(22) != 0,
        };
    }

    /// <summary>
    /// The number a newly credited conversion of a click takes (<see cref="DepositNumbering"/>), read in the writer's
    /// transaction; <see langword="null"/> for an event kind that is not numbered.
    /// </summary>
    /// <param name="session">The writer's session.</param>
    /// <param name="clickId">The click id.</param>
    /// <param name="kind">The conversion's event kind.</param>
    /// <returns>The number, or <see langword="null"/>.</returns>
    internal static int? NextDepositNumber(SqliteWriteSession session, string clickId, PostbackEventKind kind)
    {
        if (!DepositNumbering.IsNumbered(kind))
        {
            return null;
        }

        var highest = session.Statement(HighestDepositNumberSql);
        highest.Bind(1, clickId);
        var highestText = highest.ExecuteScalarString();
        var first = session.Statement(FirstDepositNumberTakenSql);
        first.Bind(1, clickId);
        first.Bind(2, (long)DepositNumbering.First);
        var firstTaken = first.ExecuteScalarString() is not null;
        return DepositNumbering.Next(kind, highestText is null ? null : int.Parse(highestText, System.Globalization.CultureInfo.InvariantCulture), firstTaken);
    }

    /// <summary>One <see cref="IngestStore.AppendAsync"/> call: its records, each written (or undone) alone, answered together after the commit.</summary>
    private sealed class AppendUnit : SqliteWriteUnit<IReadOnlyList<IngestResult>>
    {
        private readonly Row[] _rows;
        private readonly IngestResult[] _results;

        // The column values are taken from the caller's objects now, before the writer runs.
        public AppendUnit(IReadOnlyList<IngestRecord> records)
            : base(records.Count)
        {
            _rows = new Row[records.Count];
            for (var i = 0; i < _rows.Length; i++)
            {
                _rows[i] = new Row(records[i]);
            }

            _results = new IngestResult[records.Count];
        }

        public override void Execute(SqliteWriteSession session, int index)
        {
            var row = _rows[index];
            if (row.Conversion is not { } conversion)
            {
                InsertLogEntry(session, row, row.Log.Outcome, row.Log.ConversionId);
                _results[index] = IngestResult.Written(null);
                return;
            }

            var find = session.Statement(FindDuplicateSql);
            find.Bind(1, conversion.ClickId);
            find.Bind(2, conversion.IdempotencyKey);
            find.Bind(3, row.DuplicateAfter);
            find.Bind(4, row.DuplicateBefore);
            if (find.ExecuteScalarString() is { } storedId)
            {
                if (!row.LogsDuplicate)
                {
                    _results[index] = IngestResult.Duplicate(storedId);
                    return;
                }

                InsertLogEntry(session, row, row.DuplicateOutcome, storedId);
                _results[index] = IngestResult.Duplicate(storedId);
                return;
            }

            // A used conversion, message or log entry id breaks a unique constraint: the record fails alone.
            var number = conversion.IsCredited ? NextDepositNumber(session, conversion.ClickId, conversion.Kind) : null;
            var insert = session.Statement(InsertConversionSql);
            insert.Bind(1, conversion.Id);
            insert.Bind(2, conversion.SetId);
            insert.Bind(3, conversion.Event);
            insert.Bind(4, conversion.ClickId);
            insert.Bind(5, conversion.Amount);
            insert.Bind(6, conversion.Currency);
            insert.Bind(7, conversion.TransactionId);
            insert.Bind(8, conversion.Attributes);
            insert.Bind(9, conversion.ReceivedAt);
            insert.Bind(10, conversion.RemoteAddress);
            insert.Bind(11, conversion.IdempotencyKey);
            insert.Bind(12, conversion.IdempotencyWindow);
            insert.Bind(13, conversion.Attribution);
            insert.Bind(14, conversion.CampaignId);
            insert.Bind(15, conversion.AttributionWindowPassed);
            insert.Bind(16, conversion.ReportingAmount);
            insert.Bind(17, conversion.ReportingCurrency);
            insert.Bind(18, conversion.ReportingRate);
            insert.Bind(19, conversion.ReportingRateDate);
            insert.Bind(20, (long?)number);
            insert.Bind(21, conversion.Status);
            insert.Bind(22, conversion.StatusWord);
            insert.Bind(23, conversion.StatusWordUnknown);
            Insert(insert, "Conversion", conversion.Id);
            foreach (var message in row.OutboxMessages)
            {
                if (message.DepositNumberCondition is { } condition && !condition.Contains(number))
                {
                    // The rule forwards other deposit numbers than the one the conversion took.
                    continue;
                }

                try
                {
                    SqliteOutboxStore.InsertOutboxMessage(session, message);
                }
                catch (SqliteException ex) when (ex.SqliteErrorCode == SqlitePostbackStore.SqliteConstraint)
                {
                    throw Conflict("Outbox message", message.Id, ex);
                }
            }

            InsertLogEntry(session, row, row.Log.Outcome, row.Log.ConversionId, number);

            // Counted once the whole record is written: a record that failed alone added nothing.
            session.Rollups.Add(conversion.RollupKey with { DepositBucket = DepositNumbering.StatsBucket(number) }, 1, conversion.AmountValue, conversion.ReportingAmountValue);
            _results[index] = IngestResult.Written(conversion.Id) with { DepositNumber = number };
        }

        public override void SetFailure(int index, Exception exception) => _results[index] = IngestResult.Failed(exception);

        private static void InsertLogEntry(SqliteWriteSession session, Row row, string outcome, string? conversionId, int? depositNumber = null)
        {
            try
            {
                SqliteLogStore.InsertLogEntry(session, row.Log, outcome, conversionId, depositNumber);
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode == SqlitePostbackStore.SqliteConstraint)
            {
                throw Conflict("Log entry", row.Log.Id, ex);
            }
        }

        internal static void Insert(SqliteStatement insert, string what, string id)
        {
            try
            {
                insert.Execute();
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode == SqlitePostbackStore.SqliteConstraint)
            {
                throw Conflict(what, id, ex);
            }
        }

        // A record that fails alone says which of its ids is taken (the writer undoes it and answers the others).
        internal static InvalidOperationException Conflict(string what, string id, SqliteException exception) =>
            new($"{what} '{id}' cannot be stored: {exception.Message}", exception);

        public override void Complete() => TrySetResult(_results);

        public override void Fail(Exception exception) => TrySetException(exception);
    }

    /// <summary>A record's column values.</summary>
    private sealed class Row(IngestRecord record)
    {
        public SqliteLogStore.LogRow Log { get; } = new(record.LogEntry);

        public ConversionRow? Conversion { get; } = record.Conversion is { } conversion ? new(conversion) : null;

        public long? DuplicateAfter { get; } = SqliteValues.ToDb(record.DuplicateRange.After);

        public long? DuplicateBefore { get; } = SqliteValues.ToDb(record.DuplicateRange.Before);

        public string DuplicateOutcome { get; } = StoredWords.Of(record.DuplicateOutcome);

        public bool LogsDuplicate { get; } = record.LogsDuplicate;

        public SqliteOutboxStore.OutboxRow[] OutboxMessages { get; } = ToRows(record.OutboxMessages);

        private static SqliteOutboxStore.OutboxRow[] ToRows(IReadOnlyList<Forwarding.OutboxMessage> messages)
        {
            if (messages.Count == 0)
            {
                return [];
            }

            var rows = new SqliteOutboxStore.OutboxRow[messages.Count];
            for (var i = 0; i < rows.Length; i++)
            {
                rows[i] = new SqliteOutboxStore.OutboxRow(messages[i]);
            }

            return rows;
        }
    }

    /// <summary>A conversion's column values.</summary>
    private sealed class ConversionRow(ConversionRecord record)
    {
        public string Id { get; } = record.Id;

        public string SetId { get; } = record.Conversion.SetId;

        public string Event { get; } = record.Conversion.Event.Name;

        public PostbackEventKind Kind { get; } = record.Conversion.Event.Kind;

        public bool IsCredited { get; } = record.Attribution == ConversionAttribution.Credited;

        public string ClickId { get; } = record.Conversion.ClickId;

        public string? Amount { get; } = record.Conversion.Amount is { } amount ? SqliteValues.ToDb(amount) : null;

        public string? Currency { get; } = record.Conversion.Currency;

        public string? TransactionId { get; } = record.Conversion.TransactionId;

        public string Attributes { get; } = SqliteValues.ToJson(record.Conversion.Attributes);

        public long ReceivedAt { get; } = SqliteValues.ToDb(record.Conversion.ReceivedAt);

        public string? RemoteAddress { get; } = SqliteValues.ToDb(record.Conversion.RemoteAddress);

        public string IdempotencyKey { get; } = record.Conversion.IdempotencyKey.Value;

        public long? IdempotencyWindow { get; } = record.Conversion.IdempotencyKey.Window?.Ticks;

        public string Attribution { get; } = StoredWords.Of(record.Attribution);

        public string? CampaignId { get; } = record.CampaignId;

        public long AttributionWindowPassed { get; } = record.AttributionWindowPassed ? 1 : 0;

        public decimal AmountValue { get; } = record.Conversion.Amount ?? 0m;

        public string? ReportingAmount { get; } = record.ReportingAmount is { } reporting ? SqliteValues.ToDb(reporting.Amount) : null;

        public string? ReportingCurrency { get; } = record.ReportingAmount?.Currency;

        public string? ReportingRate { get; } = record.ReportingAmount is { } reporting ? SqliteValues.ToDb(reporting.Rate) : null;

        public long? ReportingRateDate { get; } = record.ReportingAmount is { } reporting ? SqliteValues.ToDb(reporting.RateDate) : null;

        public decimal ReportingAmountValue { get; } = record.ReportingAmount?.Amount ?? 0m;

        public string Status { get; } = StoredWords.Of(record.Status);

        public string? StatusWord { get; } = record.StatusWord;

        public long StatusWordUnknown { get; } = record.StatusWordUnknown ? 1 : 0;

        public SqliteConversionRollups.Key RollupKey => new(SqliteValues.DayOf(ReceivedAt), SetId, CampaignId, Event, Attribution, Currency, ReportingCurrency) { Status = Status };
    }
}
