using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.Reconciliation;

namespace Chatterfy.Postbacks.Storage;

/// <summary>
/// The store role of ingestion: the batched, durable append of processed postbacks (log entry, conversion, outbox
/// messages) with duplicate detection as an atomic primitive, and the reads of stored conversions.
/// </summary>
/// <remarks>
/// <para>See <see cref="StoreRole"/> for what every role promises.</para>
/// <para>
/// <b>Durability.</b> When <see cref="AppendAsync"/> completes, everything it reports as written is committed: the
/// receiver acknowledges a network only then. <b>Atomicity.</b> A record's log entry, conversion and outbox messages are
/// written together or not at all. <b>Isolation per record.</b> A record that fails alone (an id already used) is
/// reported in its <see cref="IngestResult.Failure"/> and changes nothing; the others of the batch are written. When the
/// store cannot write at all, the call throws <see cref="PostbackStoreUnavailableException"/> and nothing of the batch is
/// acknowledged. Whether it was committed is then unknown only when the failure came during the commit itself (a
/// connection lost at COMMIT): the batch is either wholly stored or not at all, and a retry of any of its postbacks is
/// answered as a duplicate if it was stored.
/// </para>
/// <para>
/// <b>Races.</b> Of any number of concurrent appends with the same idempotency key value (in one batch, across batches, or
/// from other instances sharing the database), exactly one stores its conversion; the others are duplicates of it. A
/// store that locks keys takes its locks in one deterministic order (ascending by lock key) in every transaction, so
/// that two batches never deadlock; a store that locks click ids to number deposits (below) takes those locks in the same
/// order.
/// </para>
/// <para>
/// <b>Keys and clicks.</b> An idempotency key names its click: the core's keys contain the conversion's
/// <see cref="Ingestion.Conversion.ClickId"/>, so conversions with the same key value always have the same click id. A store
/// may therefore look a key up under its click id (one index on click id and key serves both duplicate detection and
/// <see cref="ListConversionsByClickAsync"/>).
/// </para>
/// </remarks>
public abstract class IngestStore : StoreRole
{
    /// <summary>
    /// Gets how many records the store prefers to receive in one <see cref="AppendAsync"/> call. The core's group commit
    /// gathers concurrent postbacks into batches of at most this many; 1 turns batching off (a store in memory).
    /// </summary>
    /// <value>1 unless a store overrides it.</value>
    public virtual int PreferredBatchSize => 1;

    /// <summary>
    /// Writes a batch of processed postbacks, in order, as if one after the other. For each record:
    /// <list type="bullet">
    /// <item><description>without a <see cref="IngestRecord.Conversion"/>, its log entry is written as given;</description></item>
    /// <item><description>
    /// otherwise, when a conversion with the same <see cref="Ingestion.IdempotencyKey.Value"/> (ordinal, across all sets)
    /// is stored with a receive time in <see cref="IngestRecord.DuplicateRange"/> — including one stored by an earlier
    /// record of the same batch — the record is a duplicate of the earliest such conversion (by receive time, then id):
    /// nothing of its conversion or outbox messages is stored, and its log entry is written with
    /// <see cref="IngestRecord.DuplicateOutcome"/> and that conversion's id;
    /// </description></item>
    /// <item><description>
    /// when <see cref="IngestRecord.LogsDuplicate"/> is <see langword="false"/>, a duplicate writes nothing, not even its log entry;
    /// </description></item>
    /// <item><description>otherwise the conversion (with its <see cref="ConversionRecord.Status"/>), its log entry and its outbox messages are written as given.</description></item>
    /// </list>
    /// A credited first deposit or deposit that is stored takes its deposit number in the same transaction
    /// (<see cref="DepositNumbering"/>, from the numbers its click id's conversions hold, those of earlier records of the
    /// batch included), written on the conversion and its log entry and returned in <see cref="IngestResult.DepositNumber"/>;
    /// the numbers the record carries are ignored. Concurrent appends of one click's deposits, on any instances, take
    /// distinct numbers without gaps.
    /// </summary>
    /// <param name="records">The records; not empty.</param>
    /// <param name="cancellationToken">
    /// Cancels the operation before the store begins committing; a commit under way completes (its records are then
    /// written), so callers that must know the outcome pass <see cref="CancellationToken.None"/>.
    /// </param>
    /// <returns>One result per record, in order.</returns>
    /// <exception cref="ArgumentException">
    /// A record is invalid: no log entry; a conversion without an id or idempotency key; outbox messages without a
    /// conversion, or one that belongs to another conversion or is not pending. Nothing is written.
    /// </exception>
    /// <exception cref="PostbackStoreUnavailableException">
    /// The store cannot write now. Nothing of the batch is acknowledged; if the failure came during the commit, the batch
    /// may still have been stored, wholly (see <see cref="PostbackStoreUnavailableException"/>).
    /// </exception>
    public ValueTask<IReadOnlyList<IngestResult>> AppendAsync(IReadOnlyList<IngestRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            throw new ArgumentException("At least one record is required.", nameof(records));
        }

        foreach (var record in records)
        {
            ValidateRecord(record, records);
        }

        return AppendCoreAsync(records, cancellationToken);
    }

    /// <summary>
    /// Changes a stored conversion's status if, and only if, it is still <see cref="ConversionStatusChange.From"/>
    /// (compare-and-set, race-free across instances sharing the database), and in the same transaction writes the change as
    /// a history entry, the log entry and the outbox messages. When the conversion is unknown or its status is another,
    /// nothing is written and the result is <see langword="false"/>: the core reads it again and decides again.
    /// </summary>
    /// <param name="change">The change.</param>
    /// <param name="cancellationToken">Cancels the operation before the store begins committing.</param>
    /// <returns><see langword="true"/> when the change was written.</returns>
    /// <exception cref="ArgumentException">
    /// The record is invalid: the change's from and to are the same; the log entry's id is not the change's, or it is not
    /// <see cref="PostbackOutcome.Changed"/> of that conversion; an outbox message of another conversion or not pending.
    /// </exception>
    /// <exception cref="InvalidOperationException">A history entry, log entry or outbox message id is already used; nothing is written.</exception>
    /// <exception cref="PostbackStoreUnavailableException">The store cannot write now.</exception>
    public ValueTask<bool> ChangeStatusAsync(StatusChangeRecord change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(change.Change, nameof(change));
        ArgumentNullException.ThrowIfNull(change.LogEntry, nameof(change));
        ArgumentNullException.ThrowIfNull(change.OutboxMessages, nameof(change));
        var entry = change.Change;
        if (string.IsNullOrEmpty(entry.Id) || string.IsNullOrEmpty(entry.ConversionId) || string.IsNullOrEmpty(entry.Word) || entry.From == entry.To)
        {
            throw new ArgumentException("A status change has an id, a conversion id, a word, and two different statuses.", nameof(change));
        }

        if (!string.Equals(change.LogEntry.Id, entry.LogEntryId, StringComparison.Ordinal)
            || change.LogEntry.Outcome != PostbackOutcome.Changed
            || !string.Equals(change.LogEntry.ConversionId, entry.ConversionId, StringComparison.Ordinal))
        {
            throw new ArgumentException("The log entry of a status change is the change's, with outcome changed and the changed conversion's id.", nameof(change));
        }

        foreach (var message in change.OutboxMessages)
        {
            if (message is null || !string.Equals(message.ConversionId, entry.ConversionId, StringComparison.Ordinal) || message.Status != OutboxMessageStatus.Pending)
            {
                throw new ArgumentException("The outbox messages of a status change are new, pending, and of the changed conversion.", nameof(change));
            }
        }

        return ChangeStatusCoreAsync(change, cancellationToken);
    }

    /// <summary>Gets a conversion by id.</summary>
    /// <param name="conversionId">The conversion's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The conversion, or <see langword="null"/>.</returns>
    public ValueTask<ConversionRecord?> GetConversionAsync(string conversionId, CancellationToken cancellationToken)
    {
        ThrowIfInvalidId(conversionId);
        return GetConversionCoreAsync(conversionId, cancellationToken);
    }

    /// <summary>
    /// Lists the stored conversions reported for a click id (case-sensitive), by any set, credited or not, oldest first by
    /// <see cref="Ingestion.Conversion.ReceivedAt"/> then id (ordinal). Duplicates are not stored, so not listed.
    /// </summary>
    /// <param name="clickId">The click id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The conversions.</returns>
    public ValueTask<IReadOnlyList<ConversionRecord>> ListConversionsByClickAsync(string clickId, CancellationToken cancellationToken)
    {
        ThrowIfInvalidId(clickId);
        return ListConversionsByClickCoreAsync(clickId, cancellationToken);
    }

    /// <summary>
    /// Lists stored conversions matching the query's filters, newest first: by <see cref="Ingestion.Conversion.ReceivedAt"/>
    /// descending, then id descending (ordinal). With <see cref="ConversionListQuery.BeforeId"/>, only conversions after
    /// that one in this order are listed (whether or not it matches the filters); when no conversion has that id, none are.
    /// </summary>
    /// <param name="query">Filters and paging.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The conversions, at most <see cref="ConversionListQuery.Limit"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="ConversionListQuery.Limit"/> is not from 1 to <see cref="ConversionListQuery.MaxLimit"/>.</exception>
    public ValueTask<IReadOnlyList<ConversionRecord>> ListConversionsAsync(ConversionListQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Limit, ConversionListQuery.MaxLimit, nameof(query));
        return ListConversionsCoreAsync(query, cancellationToken);
    }

    /// <summary>
    /// Lists the stored conversions of the query's set whose transaction id is one of the query's or whose click id is one
    /// of the query's (ordinal), credited or not, each once, oldest first by <see cref="Ingestion.Conversion.ReceivedAt"/>
    /// then id (ordinal): the candidates a batch of a network's report rows is matched against
    /// (<see cref="Reconciliation.ReconciliationService"/>; the core decides the matches). Each is read slim, with only
    /// what matching needs (no attributes, status history or reporting amount). A store answers it from indexes, without
    /// reading the set's other conversions.
    /// </summary>
    /// <param name="query">The set and the ids to look up.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The conversions; none when the query names no id.</returns>
    /// <exception cref="ArgumentException">
    /// The set id, a transaction id or a click id is null or empty, or the query names more than
    /// <see cref="ConversionMatchQuery.MaxKeys"/> of either.
    /// </exception>
    public ValueTask<IReadOnlyList<ReconciledConversion>> ListConversionsToMatchAsync(ConversionMatchQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ThrowIfInvalidId(query.SetId, "query.SetId");
        ThrowIfInvalidKeys(query.TransactionIds, "query.TransactionIds");
        ThrowIfInvalidKeys(query.ClickIds, "query.ClickIds");
        return query.TransactionIds.Count == 0 && query.ClickIds.Count == 0
            ? ValueTask.FromResult<IReadOnlyList<ReconciledConversion>>([])
            : ListConversionsToMatchCoreAsync(query, cancellationToken);
    }

    /// <summary>
    /// Lists a page of the stored conversions of a set received from <paramref name="receivedFrom"/> to <paramref name="receivedTo"/>
    /// (both inclusive), credited or not, oldest first by <see cref="Ingestion.Conversion.ReceivedAt"/> then id (ordinal),
    /// only those after <paramref name="after"/> in this order when it is given: the pass of a reconciliation over the
    /// range ("missing there", the stored totals). Each is read slim, as by <see cref="ListConversionsToMatchAsync"/>.
    /// </summary>
    /// <param name="setId">The set whose conversions to list.</param>
    /// <param name="receivedFrom">The earliest receive time (inclusive).</param>
    /// <param name="receivedTo">The latest receive time (inclusive).</param>
    /// <param name="after">The last conversion of the previous page (its receive time and id are the cursor), or <see langword="null"/> for the first.</param>
    /// <param name="limit">The most to list, from 1 to <see cref="ConversionListQuery.MaxLimit"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The conversions, at most <paramref name="limit"/>.</returns>
    /// <exception cref="ArgumentException">The set id is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is not from 1 to <see cref="ConversionListQuery.MaxLimit"/>.</exception>
    public ValueTask<IReadOnlyList<ReconciledConversion>> ListConversionsToReconcileAsync(
        string setId,
        DateTimeOffset receivedFrom,
        DateTimeOffset receivedTo,
        ReconciledConversion? after,
        int limit,
        CancellationToken cancellationToken)
    {
        ThrowIfInvalidId(setId);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, ConversionListQuery.MaxLimit);
        return receivedFrom > receivedTo
            ? ValueTask.FromResult<IReadOnlyList<ReconciledConversion>>([])
            : ListConversionsToReconcileCoreAsync(setId, receivedFrom, receivedTo, after, limit, cancellationToken);
    }

    /// <summary>
    /// Lists stored conversions that have an amount but no <see cref="ConversionRecord.ReportingAmount"/>, by id ascending
    /// (ordinal), only those whose id is greater than <paramref name="afterId"/> when it is given.
    /// </summary>
    /// <param name="afterId">The last id of the previous page, or <see langword="null"/> for the first.</param>
    /// <param name="limit">The most to list, from 1 to <see cref="ConversionListQuery.MaxLimit"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The conversions.</returns>
    public ValueTask<IReadOnlyList<ConversionRecord>> ListConversionsWithoutReportingAmountAsync(string? afterId, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, ConversionListQuery.MaxLimit);
        return ListConversionsWithoutReportingAmountCoreAsync(afterId, limit, cancellationToken);
    }

    /// <summary>
    /// Sets the reporting amount of each named conversion that has none, atomically (the stats' roll-ups follow); a
    /// conversion that already has one, or is unknown, is left as it is.
    /// </summary>
    /// <param name="updates">The conversions and their amounts; each id once.</param>
    /// <param name="cancellationToken">Cancels the operation before the store begins committing.</param>
    /// <returns>How many conversions were changed.</returns>
    /// <exception cref="ArgumentException">An update is null, has no id, or names a conversion twice.</exception>
    public ValueTask<int> SetReportingAmountsAsync(IReadOnlyList<ReportingAmountUpdate> updates, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(updates);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var update in updates)
        {
            if (update is null || string.IsNullOrEmpty(update.ConversionId) || update.Amount is null || !ids.Add(update.ConversionId))
            {
                throw new ArgumentException("Each update names one conversion, once, with an amount.", nameof(updates));
            }
        }

        return updates.Count == 0 ? ValueTask.FromResult(0) : SetReportingAmountsCoreAsync(updates, cancellationToken);
    }

    /// <summary>
    /// Checks that the store can take postbacks now (for health checks): that it can be read, and that writes succeed. A
    /// store that knows its writes are failing throws, and may commit a small probe write to find out whether they work
    /// again. Throws <see cref="PostbackStoreUnavailableException"/>, saying why. The default does nothing (a store in
    /// memory is always available).
    /// </summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the store answered.</returns>
    public virtual ValueTask CheckHealthAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Writes a checked batch (see <see cref="AppendAsync"/>).</summary>
    /// <param name="records">The records; not empty, each valid.</param>
    /// <param name="cancellationToken">Cancels the operation before the commit begins.</param>
    /// <returns>One result per record, in order.</returns>
    protected abstract ValueTask<IReadOnlyList<IngestResult>> AppendCoreAsync(IReadOnlyList<IngestRecord> records, CancellationToken cancellationToken);

    /// <summary>Reads a conversion (see <see cref="GetConversionAsync"/>).</summary>
    /// <param name="conversionId">The conversion's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The conversion, or <see langword="null"/>.</returns>
    protected abstract ValueTask<ConversionRecord?> GetConversionCoreAsync(string conversionId, CancellationToken cancellationToken);

    /// <summary>Lists a click's conversions (see <see cref="ListConversionsByClickAsync"/>).</summary>
    /// <param name="clickId">The click id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The conversions.</returns>
    protected abstract ValueTask<IReadOnlyList<ConversionRecord>> ListConversionsByClickCoreAsync(string clickId, CancellationToken cancellationToken);

    /// <summary>
    /// Lists conversions (see <see cref="ListConversionsAsync"/>). Virtual, so a store written before it still builds;
    /// every store of the SDK overrides it, and the conformance suite requires it. The default throws.
    /// </summary>
    /// <param name="query">Filters and paging, checked.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The conversions.</returns>
    /// <exception cref="NotSupportedException">The store does not override it.</exception>
    protected virtual ValueTask<IReadOnlyList<ConversionRecord>> ListConversionsCoreAsync(ConversionListQuery query, CancellationToken cancellationToken) =>
        throw NotSupported(nameof(ListConversionsAsync));

    /// <summary>Lists conversions to convert (see <see cref="ListConversionsWithoutReportingAmountAsync"/>). The default throws.</summary>
    /// <param name="afterId">The last id of the previous page, or <see langword="null"/>.</param>
    /// <param name="limit">The most to list, checked.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The conversions.</returns>
    /// <exception cref="NotSupportedException">The store does not override it.</exception>
    protected virtual ValueTask<IReadOnlyList<ConversionRecord>> ListConversionsWithoutReportingAmountCoreAsync(string? afterId, int limit, CancellationToken cancellationToken) =>
        throw NotSupported(nameof(ListConversionsWithoutReportingAmountAsync));

    /// <summary>Sets reporting amounts (see <see cref="SetReportingAmountsAsync"/>). The default throws.</summary>
    /// <param name="updates">The updates, checked, not empty.</param>
    /// <param name="cancellationToken">Cancels the operation before the commit begins.</param>
    /// <returns>How many conversions were changed.</returns>
    /// <exception cref="NotSupportedException">The store does not override it.</exception>
    protected virtual ValueTask<int> SetReportingAmountsCoreAsync(IReadOnlyList<ReportingAmountUpdate> updates, CancellationToken cancellationToken) =>
        throw NotSupported(nameof(SetReportingAmountsAsync));

    /// <summary>Changes a conversion's status (see <see cref="ChangeStatusAsync"/>). The default throws.</summary>
    /// <param name="change">The change, checked.</param>
    /// <param name="cancellationToken">Cancels the operation before the commit begins.</param>
    /// <returns>Whether the change was written.</returns>
    /// <exception cref="NotSupportedException">The store does not override it.</exception>
    protected virtual ValueTask<bool> ChangeStatusCoreAsync(StatusChangeRecord change, CancellationToken cancellationToken) =>
        throw NotSupported(nameof(ChangeStatusAsync));

    /// <summary>
    /// Lists the candidates of a batch of report rows (see <see cref="ListConversionsToMatchAsync"/>). Virtual, so a store
    /// written before reconciliation still builds; every store of the SDK overrides it, and the conformance suite requires
    /// it. The default throws.
    /// </summary>
    /// <param name="query">The set and the ids, checked; at least one id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The conversions.</returns>
    /// <exception cref="NotSupportedException">The store does not override it.</exception>
    protected virtual ValueTask<IReadOnlyList<ReconciledConversion>> ListConversionsToMatchCoreAsync(ConversionMatchQuery query, CancellationToken cancellationToken) =>
        throw NotSupportedForReconciliation(nameof(ListConversionsToMatchAsync));

    /// <summary>Lists a page of a set's conversions in a range (see <see cref="ListConversionsToReconcileAsync"/>). The default throws.</summary>
    /// <param name="setId">The set, checked.</param>
    /// <param name="receivedFrom">The earliest receive time (inclusive), not after <paramref name="receivedTo"/>.</param>
    /// <param name="receivedTo">The latest receive time (inclusive).</param>
    /// <param name="after">The cursor, or <see langword="null"/>.</param>
    /// <param name="limit">The most to list, checked.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The conversions.</returns>
    /// <exception cref="NotSupportedException">The store does not override it.</exception>
    protected virtual ValueTask<IReadOnlyList<ReconciledConversion>> ListConversionsToReconcileCoreAsync(
        string setId,
        DateTimeOffset receivedFrom,
        DateTimeOffset receivedTo,
        ReconciledConversion? after,
        int limit,
        CancellationToken cancellationToken) =>
        throw NotSupportedForReconciliation(nameof(ListConversionsToReconcileAsync));

    private static void ThrowIfInvalidKeys(IReadOnlyCollection<string> keys, string name)
    {
        ArgumentNullException.ThrowIfNull(keys, name);
        if (keys.Count > ConversionMatchQuery.MaxKeys)
        {
            throw new ArgumentException($"At most {ConversionMatchQuery.MaxKeys} ids are looked up at once.", name);
        }

        foreach (var key in keys)
        {
            ArgumentException.ThrowIfNullOrEmpty(key, name);
        }
    }

    private NotSupportedException NotSupportedForReconciliation(string member) =>
        new($"The store {GetType().Name} does not implement {member}: it was written before reconciliation read conversions slim, by transaction id and click id and by receive time; update it (the conformance suite covers it).");

    private NotSupportedException NotSupported(string member) =>
        new($"The store {GetType().Name} does not implement {member}: it was written before the reporting currency; update it (the conformance suite covers it).");

    private static void ValidateRecord(IngestRecord record, IReadOnlyList<IngestRecord> records)
    {
        if (record is null)
        {
            throw new ArgumentException("A record is null.", nameof(records));
        }

        if (record.LogEntry is null)
        {
            throw new ArgumentException("A record has no log entry.", nameof(records));
        }

        ArgumentNullException.ThrowIfNull(record.OutboxMessages, nameof(records));
        if (record.Conversion is not { } conversion)
        {
            if (record.OutboxMessages.Count > 0)
            {
                throw new ArgumentException($"Log entry '{record.LogEntry.Id}' has outbox messages but no conversion.", nameof(records));
            }

            return;
        }

        if (string.IsNullOrEmpty(conversion.Id) || conversion.Conversion is null || string.IsNullOrEmpty(conversion.Conversion.IdempotencyKey.Value))
        {
            throw new ArgumentException($"The conversion of log entry '{record.LogEntry.Id}' has no id or no idempotency key.", nameof(records));
        }

        foreach (var message in record.OutboxMessages)
        {
            if (message is null)
            {
                throw new ArgumentException("An outbox message is null.", nameof(records));
            }

            if (!string.Equals(message.ConversionId, conversion.Id, StringComparison.Ordinal))
            {
                throw new ArgumentException($"Outbox message '{message.Id}' belongs to conversion '{message.ConversionId}', not '{conversion.Id}'.", nameof(records));
            }

            if (message.Status != OutboxMessageStatus.Pending)
            {
                throw new ArgumentException($"Outbox message '{message.Id}' is {message.Status}; new messages are pending.", nameof(records));
            }
        }
    }
}
