using System.Diagnostics;
using Chatterfy.Postbacks.Storage.Conformance;
using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Chatterfy.Postbacks.Sqlite.Tests;

/// <summary>
/// What the SQLite store does when its storage misbehaves: the file deleted or replaced while open, a new file where one
/// was expected, writes failing (a full disk, a lock held by another process), and how that shows in health and logs.
/// </summary>
public sealed class SqliteStorageFaultTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;

    // Bounds waits on the writer; a passing test never comes near it.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    // ---------------------------------------------------------- the file deleted or replaced while open

    [Fact]
    public async Task DatabaseFilesDeletedWhileOpen_TheNextWriteIsRefusedAsUnavailable_WithACriticalLog()
    {
        var logger = new FakeLogger<SqlitePostbackStore>();
        var store = _database.CreateStore(logger: logger);
        var kept = await AppendAsync(store);

        DeleteDatabaseFiles(_database.Path);
        var late = StoreTestData.Conversion();

        await FluentActions.Awaiting(() => store.AppendAsync(late).WaitAsync(Bound))
            .Should().ThrowAsync<PostbackStoreUnavailableException>();
        var critical = logger.Collector.GetSnapshot().Where(r => r.Level == LogLevel.Critical).Should().ContainSingle().Subject;
        critical.Message.Should().Contain(_database.Path);
        File.Exists(_database.Path).Should().BeFalse("the store must not put a new, empty database where the old one was");
        kept.Should().NotBeNull();
    }

    [Fact]
    public async Task DatabaseFilesDeletedWhileOpen_EverythingCommittedIsSavedBesideTheMissingFile()
    {
        var logger = new FakeLogger<SqlitePostbackStore>();
        var store = _database.CreateStore(logger: logger);
        var first = await AppendAsync(store);
        var second = await AppendAsync(store);

        DeleteDatabaseFiles(_database.Path);
        var late = StoreTestData.Conversion();
        await FluentActions.Awaiting(() => store.AppendAsync(late).WaitAsync(Bound))
            .Should().ThrowAsync<PostbackStoreUnavailableException>();

        var rescued = RescuedFiles().Should().ContainSingle().Subject;
        logger.Collector.GetSnapshot().Should().Contain(r => r.Level == LogLevel.Critical && r.Message.Contains(rescued, StringComparison.Ordinal));
        var reopened = _database.CreateStore(dataSource: rescued);
        (await reopened.Ingest.GetConversionAsync(first.Id, None)).Should().BeEquivalentTo(first);
        (await reopened.Ingest.GetConversionAsync(second.Id, None)).Should().BeEquivalentTo(second);
        (await reopened.Ingest.GetConversionAsync(late.Id, None)).Should().BeNull();
    }

    [Fact]
    public async Task DatabaseFileReplacedByAnOlderCopyWhileOpen_TheNextWriteIsRefused_NothingAcknowledgedIsLost_AndTheCopyIsLeftIntact()
    {
        var logger = new FakeLogger<SqlitePostbackStore>();
        var store = _database.CreateStore(logger: logger);
        var beforeCopy = await AppendAsync(store);
        var copy = Path.Combine(_database.DirectoryPath, "copy.db");
        using (var source = _database.OpenRaw())
        using (var destination = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = copy, Pooling = false }.ToString()))
        {
            destination.Open();
            source.BackupDatabase(destination);
        }

        var afterCopy = await AppendAsync(store);

        File.Move(copy, _database.Path, overwrite: true);
        var late = StoreTestData.Conversion();

        await FluentActions.Awaiting(() => store.AppendAsync(late).WaitAsync(Bound))
            .Should().ThrowAsync<PostbackStoreUnavailableException>();
        logger.Collector.GetSnapshot().Should().Contain(r => r.Level == LogLevel.Critical);
        await store.DisposeAsync();

        var rescued = _database.CreateStore(dataSource: RescuedFiles().Should().ContainSingle().Subject);
        (await rescued.Ingest.GetConversionAsync(afterCopy.Id, None)).Should().BeEquivalentTo(afterCopy, "what was acknowledged after the copy was taken is saved");
        var replacement = _database.CreateStore();
        (await replacement.Ingest.GetConversionAsync(beforeCopy.Id, None)).Should().BeEquivalentTo(beforeCopy);
        (await replacement.Ingest.GetConversionAsync(afterCopy.Id, None)).Should().BeNull("the copy put in place is left as it was, not mixed with the old file's log");
        (await replacement.Ingest.GetConversionAsync(late.Id, None)).Should().BeNull();
        _database.Scalar("PRAGMA integrity_check").Should().Be("ok");
    }

    [Fact]
    public async Task DatabaseFileRenamedAwayWhileOpen_TheNextWriteIsRefused_AndTheRenamedFileHoldsEverything()
    {
        var store = _database.CreateStore();
        var committed = await AppendAsync(store);
        var moved = Path.Combine(_database.DirectoryPath, "moved.db");

        File.Move(_database.Path, moved);
        var late = StoreTestData.Conversion();

        await FluentActions.Awaiting(() => store.AppendAsync(late).WaitAsync(Bound))
            .Should().ThrowAsync<PostbackStoreUnavailableException>();
        await store.DisposeAsync();
        File.Exists(_database.Path).Should().BeFalse();
        var renamed = _database.CreateStore(dataSource: moved);
        (await renamed.Ingest.GetConversionAsync(committed.Id, None)).Should().BeEquivalentTo(committed);
        (await renamed.Ingest.GetConversionAsync(late.Id, None)).Should().BeNull();
    }

    [Fact]
    public async Task AfterTheFileWasLost_ReadsWritesAndHealthAreRefused()
    {
        var store = _database.CreateStore();
        var committed = await AppendAsync(store);
        DeleteDatabaseFiles(_database.Path);
        var late = StoreTestData.Conversion();
        await FluentActions.Awaiting(() => store.AppendAsync(late).WaitAsync(Bound))
            .Should().ThrowAsync<PostbackStoreUnavailableException>();

        await FluentActions.Awaiting(() => store.Ingest.GetConversionAsync(committed.Id, None).AsTask()).Should().ThrowAsync<PostbackStoreUnavailableException>();
        await FluentActions.Awaiting(() => store.AppendAsync(Ingest.Record(StoreTestData.LogEntry()))).Should().ThrowAsync<PostbackStoreUnavailableException>();
        await FluentActions.Awaiting(() => store.CheckHealthAsync(None).AsTask()).Should().ThrowAsync<PostbackStoreUnavailableException>()
            .WithMessage("*deleted or replaced*");
    }

    [Fact]
    public async Task DatabaseFileReplacedWhileIdle_HealthReportsItWithoutAWrite()
    {
        var store = _database.CreateStore();
        await AppendAsync(store);
        await store.CheckHealthAsync(None);
        var other = Path.Combine(_database.DirectoryPath, "other.db");
        await using (var otherStore = new SqlitePostbackStore(new SqlitePostbackStoreOptions { DataSource = other }))
        {
            await otherStore.InitializeAsync();
        }

        File.Move(other, _database.Path, overwrite: true);

        await FluentActions.Awaiting(() => store.CheckHealthAsync(None).AsTask()).Should().ThrowAsync<PostbackStoreUnavailableException>();
    }

    // ---------------------------------------------------------- a new database where one was expected

    [Fact]
    public async Task NewDatabase_IsLoggedAtWarningWithItsPath_AndOpeningItAgainIsNot()
    {
        var logger = new FakeLogger<SqlitePostbackStore>();
        await using (var first = new SqlitePostbackStore(new SqlitePostbackStoreOptions { DataSource = _database.Path }, TimeProvider.System, logger))
        {
            await first.InitializeAsync();
        }

        logger.Collector.GetSnapshot().Should().ContainSingle(r => r.Level == LogLevel.Warning)
            .Which.Message.Should().Contain(_database.Path).And.Contain("new");
        logger.Collector.Clear();

        var second = _database.CreateStore(logger: logger);
        await second.InitializeAsync();

        logger.Collector.GetSnapshot().Should().NotContain(r => r.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task HostStart_MissingFileWithCreateIfMissingOff_FailsNamingTheOption_AndCreatesNothing()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Postbacks:Sqlite:DataSource"] = _database.Path,
            ["Postbacks:Sqlite:CreateIfMissing"] = "false",
        }).Build();
        var services = new ServiceCollection();
        services.AddChatterfyPostbacks().UseSqlite(configuration.GetSection("Postbacks:Sqlite"));
        await using var provider = services.BuildServiceProvider();

        await FluentActions.Awaiting(() => Initializer(provider).StartingAsync(None)).Should().ThrowAsync<InvalidOperationException>()
            .WithMessage($"*{_database.Path}*Postbacks:Sqlite:CreateIfMissing*");
        File.Exists(_database.Path).Should().BeFalse();
    }

    [Fact]
    public async Task MissingFileWithCreateIfMissingOff_FailsWithTheMessageTheDocsShow()
    {
        const string DataSource = "/var/lib/myapp/postbacks.db";
        var docs = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "storage-sqlite.md"));
        await using var store = new SqlitePostbackStore(new SqlitePostbackStoreOptions { DataSource = DataSource, CreateIfMissing = false });

        var refused = await FluentActions.Awaiting(() => store.InitializeAsync()).Should().ThrowAsync<InvalidOperationException>();

        docs.Should().Contain(refused.Which.Message, "docs/storage-sqlite.md quotes the message");
        File.Exists(DataSource).Should().BeFalse();
    }

    [Fact]
    public async Task HostStart_ExistingFileWithCreateIfMissingOff_Opens()
    {
        await using (var first = _database.CreateStore())
        {
            await first.InitializeAsync();
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Postbacks:Sqlite:DataSource"] = _database.Path,
            ["Postbacks:Sqlite:CreateIfMissing"] = "false",
        }).Build();
        var services = new ServiceCollection();
        services.AddChatterfyPostbacks().UseSqlite(configuration.GetSection("Postbacks:Sqlite"));
        await using var provider = services.BuildServiceProvider();

        await Initializer(provider).StartingAsync(None);
        await provider.GetRequiredService<IngestStore>().CheckHealthAsync(None);
    }

    // ---------------------------------------------------------- writes failing: health, logs, answers

    [Fact]
    public async Task CheckHealth_WhileWritesFail_Throws_AndSucceedsOnceWritesWorkAgain()
    {
        var time = new FakeTimeProvider(StoreTestData.Epoch);
        await using var store = new SqlitePostbackStore(new SqlitePostbackStoreOptions { DataSource = _database.Path }, time);
        await store.InitializeAsync();
        store.PreparingBatch = RefuseWrites;
        await FluentActions.Awaiting(() => AppendAsync(store)).Should().ThrowAsync<PostbackStoreUnavailableException>();

        await FluentActions.Awaiting(() => store.CheckHealthAsync(None).AsTask()).Should().ThrowAsync<PostbackStoreUnavailableException>(
            "a store that can read but not write cannot take postbacks");

        // Later, with nothing written meanwhile, the check's own probe decides: it fails while writes do.
        time.Advance(TimeSpan.FromSeconds(5));
        await FluentActions.Awaiting(() => store.CheckHealthAsync(None).AsTask()).Should().ThrowAsync<PostbackStoreUnavailableException>();

        store.PreparingBatch = null;
        time.Advance(TimeSpan.FromSeconds(5));
        await store.CheckHealthAsync(None);
        await store.CheckHealthAsync(None);
        _database.Scalar("SELECT count(*) FROM postback_log").Should().Be(0L, "the probe leaves nothing behind");
    }

    [Fact]
    public async Task CheckHealth_AWriteSucceedsAfterAFailure_IsHealthyFiveSecondsAfterTheFailure()
    {
        var time = new FakeTimeProvider(StoreTestData.Epoch);
        await using var store = new SqlitePostbackStore(new SqlitePostbackStoreOptions { DataSource = _database.Path }, time);
        await store.InitializeAsync();
        store.PreparingBatch = RefuseWrites;
        await FluentActions.Awaiting(() => AppendAsync(store)).Should().ThrowAsync<PostbackStoreUnavailableException>();
        store.PreparingBatch = null;
        await AppendAsync(store);

        await FluentActions.Awaiting(() => store.CheckHealthAsync(None).AsTask()).Should().ThrowAsync<PostbackStoreUnavailableException>(
            "writes that fail now and then (a disk with room for small transactions only) fail postbacks too");

        time.Advance(TimeSpan.FromSeconds(5));
        await store.CheckHealthAsync(None);
    }

    [Fact]
    public async Task CheckHealth_WhileWritesFail_TellsWhyInItsMessage()
    {
        var store = _database.CreateStore();
        await store.InitializeAsync();
        store.PreparingBatch = RefuseWrites;
        await FluentActions.Awaiting(() => AppendAsync(store)).Should().ThrowAsync<PostbackStoreUnavailableException>();

        await FluentActions.Awaiting(() => store.CheckHealthAsync(None).AsTask()).Should().ThrowAsync<PostbackStoreUnavailableException>()
            .WithMessage("*readonly*");
    }

    [Fact]
    public async Task RepeatedBatchFailures_AreLoggedOncePerIntervalWithACount_AndTheRecoveryOnce()
    {
        var time = new FakeTimeProvider(StoreTestData.Epoch);
        var logger = new FakeLogger<SqlitePostbackStore>();
        var store = new SqlitePostbackStore(new SqlitePostbackStoreOptions { DataSource = _database.Path }, time, logger);
        try
        {
            await store.InitializeAsync();
            store.PreparingBatch = RefuseWrites;
            for (var i = 0; i < 5; i++)
            {
                await FluentActions.Awaiting(() => AppendAsync(store)).Should().ThrowAsync<PostbackStoreUnavailableException>();
            }

            var failures = Failures(logger);
            failures.Should().ContainSingle("five failures in one interval are one line");
            failures[0].Level.Should().Be(LogLevel.Error);

            time.Advance(TimeSpan.FromMinutes(1));
            await FluentActions.Awaiting(() => AppendAsync(store)).Should().ThrowAsync<PostbackStoreUnavailableException>();

            failures = Failures(logger);
            failures.Should().HaveCount(2);
            failures[1].StructuredState!.Should().Contain(new KeyValuePair<string, string?>("Failures", "5"), "the line counts the failures since the last one");

            store.PreparingBatch = null;
            await AppendAsync(store);
            await AppendAsync(store);
            await store.DisposeAsync(); // the writer logs after answering; disposal waits for it

            var recovered = logger.Collector.GetSnapshot().Where(r => r.Level is LogLevel.Information or LogLevel.Warning && r.Message.Contains("again", StringComparison.Ordinal)).ToList();
            recovered.Should().ContainSingle().Which.StructuredState!.Should().Contain(new KeyValuePair<string, string?>("Failures", "6"));
        }
        finally
        {
            await store.DisposeAsync();
        }
    }

    [Fact]
    public async Task RepeatedReadFailures_AreLoggedOncePerIntervalWithACount()
    {
        var time = new FakeTimeProvider(StoreTestData.Epoch);
        var logger = new FakeLogger<SqlitePostbackStore>();
        var store = new SqlitePostbackStore(new SqlitePostbackStoreOptions { DataSource = _database.Path }, time, logger);
        try
        {
            await store.InitializeAsync();

            // A new read connection finds no file to open.
            DeleteDatabaseFiles(_database.Path);
            SqliteConnection.ClearAllPools();
            for (var i = 0; i < 3; i++)
            {
                await FluentActions.Awaiting(() => store.Sets.ListAsync(None).AsTask()).Should().ThrowAsync<PostbackStoreUnavailableException>();
            }

            Failures(logger).Should().ContainSingle("three failed reads in one interval are one line");
            time.Advance(TimeSpan.FromMinutes(1));
            await FluentActions.Awaiting(() => store.Sets.ListAsync(None).AsTask()).Should().ThrowAsync<PostbackStoreUnavailableException>();

            var failures = Failures(logger);
            failures.Should().HaveCount(2);
            failures[1].StructuredState!.Should().Contain(new KeyValuePair<string, string?>("Failures", "3"));
        }
        finally
        {
            await store.DisposeAsync();
        }
    }

    [Fact]
    public async Task WriteQueuedBehindATransactionWaitingForALock_IsAnsweredWithinOneBusyTimeout()
    {
        var busyTimeout = TimeSpan.FromSeconds(2);
        var store = _database.CreateStore(o => o.BusyTimeout = busyTimeout);
        await store.InitializeAsync();
        var taken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        store.BatchStarting = _ => taken.TrySetResult();
        Task first;
        Task second;
        var waited = Stopwatch.StartNew();

        using (_database.LockForWriting())
        {
            first = Task.Run(() => AppendAsync(store));
            await taken.Task.WaitAsync(Bound);
            waited.Restart();
            second = AppendAsync(store);
            await FluentActions.Awaiting(() => second.WaitAsync(Bound)).Should().ThrowAsync<PostbackStoreUnavailableException>();
            waited.Stop();
            await FluentActions.Awaiting(() => first.WaitAsync(Bound)).Should().ThrowAsync<PostbackStoreUnavailableException>();
        }

        waited.Elapsed.Should().BeLessThan(busyTimeout * 1.5, "a write waits for the lock once, not once behind each write queued before it");
    }

    // ---------------------------------------------------------- the outbox dispatcher while nothing is due

    [Fact]
    public async Task LeaseOutboxMessages_NothingDue_CommitsNoTransaction()
    {
        var store = _database.CreateStore();
        await store.InitializeAsync();
        var before = store.CommittedTransactions;

        var leased = await store.Outbox.LeaseAsync(LeaseRequest(), None);

        leased.Should().BeEmpty();
        store.CommittedTransactions.Should().Be(before, "a dispatcher polling an empty outbox must not write");
    }

    [Fact]
    public async Task LeaseOutboxMessages_NothingDue_AnswersAtOnceWhileAnotherProcessHoldsTheWriteLock()
    {
        var store = _database.CreateStore(o => o.BusyTimeout = Bound);
        await store.InitializeAsync();

        using (_database.LockForWriting())
        {
            var leased = await store.Outbox.LeaseAsync(LeaseRequest(), None).AsTask().WaitAsync(TimeSpan.FromSeconds(5));

            leased.Should().BeEmpty();
        }
    }

    private static SqlitePostbackStoreInitializer Initializer(IServiceProvider provider) =>
        provider.GetServices<IHostedService>().OfType<SqlitePostbackStoreInitializer>().Single();

    private static OutboxLeaseRequest LeaseRequest() => new()
    {
        LeaseId = "lease_" + StoreTestData.NewId(),
        Now = StoreTestData.Epoch,
        Duration = TimeSpan.FromMinutes(1),
        MaxCount = 10,
    };

    // SQLite's own refusal (SQLITE_READONLY) on the writer's connection: every write of the batch fails as on a full disk.
    private static void RefuseWrites(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA query_only = 1";
        command.ExecuteNonQuery();
    }

    private static List<FakeLogRecord> Failures(FakeLogger<SqlitePostbackStore> logger) =>
        [.. logger.Collector.GetSnapshot().Where(r => r.Level >= LogLevel.Error)];

    private static async Task<ConversionRecord> AppendAsync(SqlitePostbackStore store)
    {
        var conversion = StoreTestData.Conversion();
        (await store.AppendAsync(conversion).WaitAsync(Bound)).Failure.Should().BeNull();
        return conversion;
    }

    private static void DeleteDatabaseFiles(string path)
    {
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }
    }

    private List<string> RescuedFiles() =>
        [.. Directory.GetFiles(_database.DirectoryPath, "postbacks.db.rescued-*").Where(f => !f.EndsWith("-journal", StringComparison.Ordinal) && !f.EndsWith("-wal", StringComparison.Ordinal) && !f.EndsWith("-shm", StringComparison.Ordinal))];
}
