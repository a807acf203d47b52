using System.Text.Json;
using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.PostbackSets;
using Microsoft.Extensions.Time.Testing;

namespace Chatterfy.Postbacks.Storage.Conformance;

/// <summary>
/// The behaviour every store must show, role by role: a storage package's test project derives one class from this one
/// and creates a fresh, empty <see cref="PostbackStorage"/> in <see cref="CreateStorageAsync"/>.
/// </summary>
/// <remarks>
/// <para>
/// One class holds the tests of all eight roles because a store is all of them over one database, and the tests cross
/// roles: an outbox test writes its messages through <see cref="IngestStore.AppendAsync"/>, a late-attribution test adds a
/// click and reads the conversions back. The tests of each role live in their own file of this partial class, and each
/// test's name starts with the member it holds to the contract (<c>AddSet_…</c> for
/// <see cref="PostbackSetStore.AddAsync"/>, <c>Append_…</c> for <see cref="IngestStore.AppendAsync"/>,
/// <c>LeaseOutboxMessages_…</c> for <see cref="OutboxStore.LeaseAsync"/>, …).
/// </para>
/// <para>
/// The tests rely on the documented contract only (the XML docs of the roles and their records). Every test is a public,
/// parameterless <c>[Fact]</c> returning <see cref="Task"/>, so a runner that must decide at run time whether to run
/// them (a database that may be missing) can enumerate and invoke them by reflection. xunit makes a new instance of the
/// deriving class for every test, and each test calls <see cref="CreateStorageAsync"/> once.
/// </para>
/// </remarks>
public abstract partial class PostbackStorageConformanceTests
{
    private const int ConcurrentAppends = 32;

    // A bound on the concurrency tests, so a deadlock fails the test instead of hanging the run.
    private static readonly TimeSpan ConcurrencyTimeout = TimeSpan.FromMinutes(2);

    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>Initializes a new instance of the <see cref="PostbackStorageConformanceTests"/> class.</summary>
    protected PostbackStorageConformanceTests()
    {
    }

    /// <summary>
    /// Gets the clock handed to <see cref="CreateStorageAsync"/>: a fake one at <see cref="StoreTestData.Epoch"/>, advanced
    /// by the tests that let time pass.
    /// </summary>
    /// <remarks>
    /// Every time the contract needs is an argument (a receive time, a lease's "now"), so no test depends on what the store
    /// reads from its clock; a store may use it to measure or stamp what it likes. Its timers fire only when a test advances
    /// it, so a store must not wait on a timer of this clock to complete a call.
    /// </remarks>
    protected FakeTimeProvider Clock { get; } = new(StoreTestData.Epoch);

    /// <summary>
    /// Creates a fresh, empty store for one test: every role of one <see cref="PostbackStorage"/>, over a database of its
    /// own (or a schema, or a file), ready to use. The deriving class owns what it creates and disposes it: make it
    /// <see cref="IDisposable"/>, or implement xunit's <see cref="IAsyncLifetime"/> to dispose asynchronously (xunit 2 does not
    /// call <see cref="IAsyncDisposable.DisposeAsync"/> on a test class).
    /// </summary>
    /// <param name="timeProvider">The store's clock (<see cref="Clock"/>).</param>
    /// <returns>The store.</returns>
    protected abstract ValueTask<PostbackStorage> CreateStorageAsync(TimeProvider timeProvider);

    private async Task<PostbackStorage> NewStorageAsync()
    {
        var storage = await CreateStorageAsync(Clock);
        storage.Should().NotBeNull("CreateStorageAsync creates the store under test");
        return storage;
    }

    // ------------------------------------------------------------- appending, the way the core does

    // The tests of duplicates, batches and failures compare results without their deposit numbers: the Numbering tests
    // (PostbackStorageConformanceTests.Numbering.cs) check the numbers, through store.Ingest.AppendAsync.
    private static async Task<IngestResult> AppendOneAsync(PostbackStorage store, IngestRecord record)
    {
        var results = await AppendUnnumberedAsync(store, [record], None);
        return results.Should().ContainSingle().Subject;
    }

    /// <summary>Appends a batch and returns its results without their deposit numbers (see <see cref="AppendOneAsync"/>).</summary>
    private static async Task<IngestResult[]> AppendUnnumberedAsync(PostbackStorage store, IReadOnlyList<IngestRecord> records, CancellationToken cancellationToken)
    {
        var results = await store.Ingest.AppendAsync(records, cancellationToken);
        return [.. results.Select(r => r with { DepositNumber = null })];
    }

    /// <summary>Appends <paramref name="conversion"/> with its log entry and messages, expecting it to be stored.</summary>
    private static async Task StoreAsync(PostbackStorage store, ConversionRecord conversion, params OutboxMessage[] messages)
    {
        var result = await AppendOneAsync(store, StoreTestData.Record(conversion, messages));
        result.Should().Be(IngestResult.Written(conversion.Id));
    }

    /// <summary>Appends a log entry alone (a rejection, say), expecting it to be written.</summary>
    private static async Task LogAsync(PostbackStorage store, PostbackLogEntry entry)
    {
        var result = await AppendOneAsync(store, StoreTestData.Record(entry));
        result.Should().Be(IngestResult.Written(null));
    }

    // ------------------------------------------------------------- assertions

    private static Func<Task> Calling(Func<ValueTask> action) => async () => await action();

    private static Func<Task> Calling<T>(Func<ValueTask<T>> action) => async () => await action();

    private static string[] NewestFirst(IEnumerable<PostbackLogEntry> entries) =>
    [
        .. entries
            .OrderByDescending(e => e.ReceivedAt)
            .ThenByDescending(e => e.Id, StringComparer.Ordinal)
            .Select(e => e.Id),
    ];

    private static void ShouldMatch(PostbackSet? actual, PostbackSet expected)
    {
        actual.Should().NotBeNull();
        actual.Should().BeEquivalentTo(expected, o => o.Excluding(s => s.Settings));
        actual!.CreatedAt.Should().Be(expected.CreatedAt);
        if (expected.Settings is { } settings)
        {
            actual.Settings.Should().NotBeNull();
            JsonElement.DeepEquals(actual.Settings!.Value, settings).Should().BeTrue(
                "settings {0} should equal {1}", actual.Settings.Value.GetRawText(), settings.GetRawText());
        }
        else
        {
            actual.Settings.Should().BeNull();
        }
    }
}
