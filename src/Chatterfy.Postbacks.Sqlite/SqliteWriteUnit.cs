namespace Chatterfy.Postbacks.Sqlite;

/// <summary>
/// Writes queued for the writer together: one call's worth (a set, a click, a batch of postbacks). The writer runs whole
/// units in one transaction; each of a unit's <see cref="Count"/> records is undone alone when it fails alone.
/// </summary>
internal abstract class SqliteWriteUnit
{
    /// <summary>Initializes a new instance of the <see cref="SqliteWriteUnit"/> class.</summary>
    /// <param name="count">How many records it holds, each undone alone when it fails (at least one).</param>
    protected SqliteWriteUnit(int count) => Count = count;

    /// <summary>Gets how many records it holds.</summary>
    public int Count { get; }

    /// <summary>Gets a value indicating whether its caller has been answered.</summary>
    public abstract bool IsAnswered { get; }

    /// <summary>Writes record <paramref name="index"/> in the writer's transaction (possibly again, after a rollback).</summary>
    /// <param name="session">The writer's connection and statements.</param>
    /// <param name="index">The record, from 0 to <see cref="Count"/> − 1.</param>
    public abstract void Execute(SqliteWriteSession session, int index);

    /// <summary>Records that record <paramref name="index"/> failed alone: its savepoint was rolled back.</summary>
    /// <param name="index">The record.</param>
    /// <param name="exception">Why.</param>
    public abstract void SetFailure(int index, Exception exception);

    /// <summary>Answers the caller after the commit.</summary>
    public abstract void Complete();

    /// <summary>Answers the caller when the transaction failed: nothing of the unit was committed.</summary>
    /// <param name="exception">Why.</param>
    public abstract void Fail(Exception exception);
}

/// <summary>A <see cref="SqliteWriteUnit"/> whose caller waits for a result of type <typeparamref name="T"/>.</summary>
/// <typeparam name="T">The result's type.</typeparam>
/// <param name="count">How many records it holds.</param>
internal abstract class SqliteWriteUnit<T>(int count) : SqliteWriteUnit(count)
{
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Gets the task its caller awaits.</summary>
    public Task<T> Task => _completion.Task;

    /// <inheritdoc />
    public override bool IsAnswered => _completion.Task.IsCompleted;

    /// <summary>Answers with a result.</summary>
    /// <param name="result">The result.</param>
    protected void TrySetResult(T result) => _completion.TrySetResult(result);

    /// <summary>Answers with a failure.</summary>
    /// <param name="exception">The failure.</param>
    protected void TrySetException(Exception exception) => _completion.TrySetException(exception);
}
