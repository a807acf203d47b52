using Chatterfy.Postbacks.Configuration;

namespace Chatterfy.Postbacks.Sqlite;

/// <summary>
/// Options of <see cref="SqlitePostbackStore"/>, bound from the <c>Postbacks:Sqlite</c> configuration section by
/// convention. They are read once, when the store is created.
/// </summary>
public sealed class SqlitePostbackStoreOptions
{
    internal const string Section = "Postbacks:Sqlite:";
    internal const int MaxWriteQueueCapacity = 1_000_000;
    internal const int MaxMaxBatchSize = 10_000;

    /// <summary>
    /// Gets or sets the path of the database file, e.g. <c>postbacks.db</c> or <c>/var/lib/myapp/postbacks.db</c>. A
    /// relative path is resolved against the process's current directory. The file is created when missing (see
    /// <see cref="CreateIfMissing"/>), its <c>-wal</c> and <c>-shm</c> companions whenever needed; the directory must exist and
    /// be writable.
    /// </summary>
    /// <value>Required; no default. An in-memory database (<c>:memory:</c>) is refused: it is not durable.</value>
    public string? DataSource { get; set; }

    /// <summary>Gets or sets how hard commits are synced to disk (<c>PRAGMA synchronous</c>).</summary>
    /// <value>
    /// Defaults to <see cref="SqliteSynchronousMode.Full"/>: an acknowledged conversion is on disk. See
    /// <see cref="SqliteSynchronousMode.Normal"/> for its trade-off.
    /// </value>
    public SqliteSynchronousMode Synchronous { get; set; } = SqliteSynchronousMode.Full;

    /// <summary>
    /// Gets or sets how many writes may wait for the writer. When the queue is full, a write fails at once with
    /// <see cref="Storage.PostbackStoreUnavailableException"/> (the receiver answers 503 with <c>Retry-After</c>) instead of
    /// waiting.
    /// </summary>
    /// <value>Defaults to 10 000. From 1 to 1 000 000.</value>
    [OptionRange(Section + nameof(WriteQueueCapacity), 1, MaxWriteQueueCapacity)]
    public int WriteQueueCapacity { get; set; } = 10_000;

    /// <summary>Gets or sets how many queued writes the writer commits together in one transaction (group commit).</summary>
    /// <value>Defaults to 256. From 1 (no grouping) to 10 000.</value>
    [OptionRange(Section + nameof(MaxBatchSize), 1, MaxMaxBatchSize)]
    public int MaxBatchSize { get; set; } = 256;

    /// <summary>
    /// Gets or sets how long a connection waits for a lock held by another connection (another process using the same
    /// file, or a checkpoint) before the operation fails with <see cref="Storage.PostbackStoreUnavailableException"/>.
    /// </summary>
    /// <value>Defaults to 5 seconds. From zero to 10 minutes.</value>
    [OptionRange(Section + nameof(BusyTimeout), typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Gets or sets whether the store creates a new, empty database when there is none at <see cref="DataSource"/> as it
    /// opens. A new database is logged as a warning with its path. In production set it to <see langword="false"/> once the
    /// database exists: a database that went missing (a lost volume, a wrong path) then stops the start with a message
    /// naming the file, instead of a new, empty one answering 404 to every postback URL while the networks' retries leave
    /// no trace.
    /// </summary>
    /// <value>Defaults to <see langword="true"/>.</value>
    public bool CreateIfMissing { get; set; } = true;

    internal SqlitePostbackStoreOptions Clone() => new()
    {
        DataSource = DataSource,
        CreateIfMissing = CreateIfMissing,
        Synchronous = Synchronous,
        WriteQueueCapacity = WriteQueueCapacity,
        MaxBatchSize = MaxBatchSize,
        BusyTimeout = BusyTimeout,
    };
}
