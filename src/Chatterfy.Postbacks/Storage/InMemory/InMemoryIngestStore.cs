using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.Reconciliation;

namespace Chatterfy.Postbacks.Storage.InMemory;

/// <summary>
/// The in-memory store's ingestion: a batch is applied record by record under the lock, so it is atomic and race-free
/// within the process. Each record is checked before anything of it is written, so one that fails changes nothing.
/// </summary>
internal sealed class InMemoryIngestStore(InMemoryDatabase db) : IngestStore
{
    protected override ValueTask<IReadOnlyList<IngestResult>> AppendCoreAsync(IReadOnlyList<IngestRecord> records, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();

        // Encoding copies every value and needs no lock: the lock is held only to look up and link.
        var prepared = new Prepared[records.Count];
        for (var i = 0; i < prepared.Length; i++)
        {
            prepared[i] = new Prepared(records[i]);
        }

        var results = new IngestResult[prepared.Length];
        try
        {
            lock (db.Lock)
            {
                for (var i = 0; i < prepared.Length; i++)
                {
                    results[i] = Apply(prepared[i]);
                }
            }
        }
        finally
        {
            foreach (var record in prepared)
            {
                record.ReturnBuffers();
            }
        }

        return new(results);
    }

    protected override ValueTask<ConversionRecord?> GetConversionCoreAsync(string conversionId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var id = CompactId.From(conversionId);
        lock (db.Lock)
        {
            return new(db.Conversions.Get(id));
        }
    }

    protected override ValueTask<IReadOnlyList<ConversionRecord>> ListConversionsByClickCoreAsync(string clickId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (db.Lock)
        {
            return new(db.Conversions.ListByClick(clickId).AsReadOnly());
        }
    }

    protected override ValueTask<IReadOnlyList<ConversionRecord>> ListConversionsCoreAsync(ConversionListQuery query, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (db.Lock)
        {
            return new(db.Conversions.List(query, query.SubjectId is { } subjectId ? ClicksOfSubject(subjectId) : null).AsReadOnly());
        }
    }

    protected override ValueTask<IReadOnlyList<ReconciledConversion>> ListConversionsToMatchCoreAsync(ConversionMatchQuery query, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (db.Lock)
        {
            return new(db.Conversions.ListToMatch(query.SetId, query.TransactionIds, query.ClickIds).AsReadOnly());
        }
    }

    protected override ValueTask<IReadOnlyList<ReconciledConversion>> ListConversionsToReconcileCoreAsync(
        string setId,
        DateTimeOffset receivedFrom,
        DateTimeOffset receivedTo,
        ReconciledConversion? after,
        int limit,
        CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (db.Lock)
        {
            return new(db.Conversions.ListToReconcile(setId, receivedFrom.UtcTicks, receivedTo.UtcTicks, after, limit).AsReadOnly());
        }
    }

    protected override ValueTask<IReadOnlyList<ConversionRecord>> ListConversionsWithoutReportingAmountCoreAsync(string? afterId, int limit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (db.Lock)
        {
            return new(db.Conversions.ListWithoutReportingAmount(afterId, limit).AsReadOnly());
        }
    }

    protected override ValueTask<int> SetReportingAmountsCoreAsync(IReadOnlyList<ReportingAmountUpdate> updates, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var ids = updates.Select(u => CompactId.From(u.ConversionId)).ToArray();
        var changed = 0;
        lock (db.Lock)
        {
            for (var i = 0; i < ids.Length; i++)
            {
                changed += db.Conversions.SetReportingAmount(ids[i], updates[i].Amount) ? 1 : 0;
            }
        }

        return new(changed);
    }

    // The clicks bound to the subject or carrying it. Must be called under the lock.
    private HashSet<string> ClicksOfSubject(string subjectId)
    {
        var clickIds = db.Clicks.Values.Where(c => c.SubjectId == subjectId).Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        clickIds.UnionWith(db.SubjectBindings.Where(b => b.Key.SubjectId == subjectId).Select(b => b.Value.ClickId));
        return clickIds;
    }

    protected override ValueTask<bool> ChangeStatusCoreAsync(StatusChangeRecord change, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var conversionId = CompactId.From(change.Change.ConversionId);
        var logEntryId = CompactId.From(change.LogEntry.Id);
        var logEntryBytes = LogTable.Encode(change.LogEntry);
        try
        {
            lock (db.Lock)
            {
                // Every id is checked before anything is written, so a change that fails changes nothing.
                if (db.Log.Contains(logEntryId))
                {
                    throw new InvalidOperationException($"A postback log entry with id '{change.LogEntry.Id}' exists.");
                }

                if (db.Conversions.ContainsHistoryEntry(change.Change.Id))
                {
                    throw new InvalidOperationException($"A status history entry with id '{change.Change.Id}' exists.");
                }

                var messageIds = new HashSet<string>(StringComparer.Ordinal);
                foreach (var message in change.OutboxMessages)
                {
                    if (db.Outbox.ContainsKey(message.Id) || !messageIds.Add(message.Id))
                    {
                        throw new InvalidOperationException($"An outbox message with id '{message.Id}' exists.");
                    }
                }

                if (!db.Conversions.ChangeStatus(conversionId, change.Change, change.WordUnknown))
                {
                    return new(false);
                }

                foreach (var message in change.OutboxMessages)
                {
                    db.Outbox.Add(message.Id, message);
                }

                db.Log.Add(change.LogEntry, logEntryId, logEntryBytes.Bytes, PostbackOutcome.Changed, change.Change.ConversionId);
                return new(true);
            }
        }
        finally
        {
            logEntryBytes.Return();
        }
    }

    // Must be called under the lock.
    private IngestResult Apply(Prepared prepared)
    {
        var record = prepared.Record;
        var entry = record.LogEntry;
        if (db.Log.Contains(prepared.LogEntryId))
        {
            return IngestResult.Failed(new InvalidOperationException($"A postback log entry with id '{entry.Id}' exists."));
        }

        if (record.Conversion is not { } conversion)
        {
            db.Log.Add(entry, prepared.LogEntryId, prepared.LogEntryBytes.Bytes, entry.Outcome, entry.ConversionId);
            return IngestResult.Written(null);
        }

        if (db.Conversions.FindOriginal(conversion.Conversion.IdempotencyKey.Value, record.DuplicateRange) is { } originalId)
        {
            if (!record.LogsDuplicate)
            {
                return IngestResult.Duplicate(originalId);
            }

            db.Log.Add(entry, prepared.LogEntryId, prepared.LogEntryBytes.Bytes, record.DuplicateOutcome, originalId);
            return IngestResult.Duplicate(originalId);
        }

        if (db.Conversions.Contains(prepared.ConversionId))
        {
            return IngestResult.Failed(new InvalidOperationException($"A conversion with id '{conversion.Id}' exists."));
        }

        // Most conversions have no outbox message (no forwarding rule matched): no set of ids for them.
        var messageIds = prepared.OutboxMessages.Length > 1 ? new HashSet<string>(StringComparer.Ordinal) : null;
        foreach (var message in prepared.OutboxMessages)
        {
            if (db.Outbox.ContainsKey(message.Id) || messageIds?.Add(message.Id) == false)
            {
                return IngestResult.Failed(new InvalidOperationException($"An outbox message with id '{message.Id}' exists."));
            }
        }

        var number = db.Conversions.Add(conversion, prepared.ConversionId, prepared.ConversionBytes.Bytes);
        foreach (var message in prepared.OutboxMessages)
        {
            if (message.DepositNumberCondition is not { } condition || condition.Contains(number))
            {
                db.Outbox.Add(message.Id, message with { DepositNumberCondition = null });
            }
        }

        db.Log.Add(entry, prepared.LogEntryId, prepared.LogEntryBytes.Bytes, entry.Outcome, entry.ConversionId, number);
        return IngestResult.Written(conversion.Id) with { DepositNumber = number };
    }

    /// <summary>A record with its ids parsed and its values encoded, before the lock is taken.</summary>
    private sealed class Prepared(IngestRecord record)
    {
        public IngestRecord Record { get; } = record;

        public CompactId LogEntryId { get; } = CompactId.From(record.LogEntry.Id);

        public CompactId ConversionId { get; } = record.Conversion is { } conversion ? CompactId.From(conversion.Id) : default;

        public OutboxMessage[] OutboxMessages { get; } = [.. record.OutboxMessages];

        // Encoded last: nothing above can throw once a buffer is rented.
        public Encoded LogEntryBytes { get; } = LogTable.Encode(record.LogEntry);

        public Encoded ConversionBytes { get; } = record.Conversion is { } conversion ? ConversionTable.Encode(conversion) : default;

        public void ReturnBuffers()
        {
            LogEntryBytes.Return();
            ConversionBytes.Return();
        }
    }
}
