using Chatterfy.Postbacks.Storage;

namespace Chatterfy.Postbacks.Tests.Storage;

/// <summary>
/// An in-memory store's ingestion with a batch size of the test's choosing, that records the size of every batch it is
/// given and can hold a call until the test releases it (a commit in progress) or fail it (an outage).
/// </summary>
internal sealed class RecordingIngestStore(IngestStore inner, int preferredBatchSize) : IngestStore
{
    private readonly Lock _lock = new();
    private readonly Queue<TaskCompletionSource> _holds = new();
    private readonly List<int> _batches = [];
    private readonly List<(ConversionListQuery Query, int Count)> _conversionLists = [];
    private int _changeCalls;

    public override int PreferredBatchSize => preferredBatchSize;

    /// <summary>Makes a call fail instead of writing: return the exception, or <see langword="null"/> to write.</summary>
    public Func<IReadOnlyList<IngestRecord>, Exception?>? Fail { get; set; }

    /// <summary>The sizes of the batches the store was given, in call order.</summary>
    public IReadOnlyList<int> Batches
    {
        get
        {
            lock (_lock)
            {
                return [.. _batches];
            }
        }
    }

    /// <summary>Makes a status change lose its compare-and-set (as if another instance changed the conversion first) while it returns true.</summary>
    public Func<StatusChangeRecord, bool>? RefuseChange { get; set; }

    /// <summary>How many status changes the store was asked for.</summary>
    public int ChangeCalls => Volatile.Read(ref _changeCalls);

    /// <summary>The conversion lists the store was asked for, in call order, each with how many conversions it returned.</summary>
    public IReadOnlyList<(ConversionListQuery Query, int Count)> ConversionLists
    {
        get
        {
            lock (_lock)
            {
                return [.. _conversionLists];
            }
        }
    }

    /// <summary>The storage of <paramref name="storage"/> with this ingestion in place of its own.</summary>
    public PostbackStorage Around(PostbackStorage storage) =>
        new(storage.Sets, storage.Campaigns, storage.Clicks, this, storage.Log, storage.Outbox, storage.ForwardingRules, storage.Reconciliations);

    /// <summary>The next call waits, after it is recorded, until the returned source completes.</summary>
    public TaskCompletionSource HoldNextCall()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            _holds.Enqueue(hold);
        }

        return hold;
    }

    protected override async ValueTask<IReadOnlyList<IngestResult>> AppendCoreAsync(IReadOnlyList<IngestRecord> records, CancellationToken cancellationToken)
    {
        TaskCompletionSource? hold;
        lock (_lock)
        {
            _batches.Add(records.Count);
            _holds.TryDequeue(out hold);
        }

        if (hold is not null)
        {
            await hold.Task;
        }

        if (Fail?.Invoke(records) is { } failure)
        {
            throw failure;
        }

        return await inner.AppendAsync(records, cancellationToken);
    }

    protected override ValueTask<ConversionRecord?> GetConversionCoreAsync(string conversionId, CancellationToken cancellationToken) =>
        inner.GetConversionAsync(conversionId, cancellationToken);

    protected override ValueTask<IReadOnlyList<ConversionRecord>> ListConversionsByClickCoreAsync(string clickId, CancellationToken cancellationToken) =>
        inner.ListConversionsByClickAsync(clickId, cancellationToken);

    protected override async ValueTask<IReadOnlyList<ConversionRecord>> ListConversionsCoreAsync(ConversionListQuery query, CancellationToken cancellationToken)
    {
        var conversions = await inner.ListConversionsAsync(query, cancellationToken);
        lock (_lock)
        {
            _conversionLists.Add((query, conversions.Count));
        }

        return conversions;
    }

    protected override ValueTask<bool> ChangeStatusCoreAsync(StatusChangeRecord change, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _changeCalls);
        return RefuseChange?.Invoke(change) == true ? ValueTask.FromResult(false) : inner.ChangeStatusAsync(change, cancellationToken);
    }
}
