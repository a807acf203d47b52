using System.Reflection;
using Chatterfy.Postbacks.Storage;
using Chatterfy.Postbacks.Storage.Conformance;

namespace Chatterfy.Postbacks.PostgreSql.Tests;

/// <summary>
/// Runs the store conformance suite (Chatterfy.Postbacks.Storage.Conformance) against PostgreSQL, one test case per
/// conformance test, each on a fresh schema.
/// </summary>
/// <remarks>
/// The suite's tests are plain <c>[Fact]</c>s, and xunit 2 cannot skip at run time, so a class deriving from the suite
/// would fail wherever no server is configured. Instead one <see cref="PostgresTheoryAttribute"/> lists the suite's facts
/// by name and runs each on a private subclass (private, so xunit does not discover it on its own). Without
/// <c>POSTBACKS_TEST_POSTGRES</c> the theory is reported as skipped, with the reason.
/// </remarks>
public sealed class PostgreSqlConformanceTests
{
    public static TheoryData<string> ConformanceTestNames => [.. ConformanceFacts().Select(m => m.Name)];

    [PostgresTheory]
    [MemberData(nameof(ConformanceTestNames))]
    public async Task Conformance(string test)
    {
        var method = typeof(PostbackStorageConformanceTests).GetMethod(test, BindingFlags.Public | BindingFlags.Instance)!;
        await using var suite = new Suite();

        await (Task)method.Invoke(suite, null)!;
    }

    [Fact]
    public void ConformanceSuite_EveryTestIsAParameterlessFactThatTheTheoryRuns()
    {
        var tests = typeof(PostbackStorageConformanceTests)
            .GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m.GetCustomAttributes<FactAttribute>(inherit: true).Any())
            .ToList();

        tests.Should().HaveCountGreaterThan(150);
        tests.Should().OnlyContain(m => m.GetCustomAttribute<FactAttribute>()!.GetType() == typeof(FactAttribute), "a theory would need its data here");
        tests.Should().OnlyContain(m => m.GetParameters().Length == 0 && m.ReturnType == typeof(Task));
        ConformanceFacts().Select(m => m.Name).Should().BeEquivalentTo(tests.Select(m => m.Name));
    }

    private static IEnumerable<MethodInfo> ConformanceFacts() =>
        typeof(PostbackStorageConformanceTests)
            .GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m.GetCustomAttribute<FactAttribute>() is not null && m.GetParameters().Length == 0)
            .OrderBy(m => m.Name, StringComparer.Ordinal);

    private sealed class Suite : PostbackStorageConformanceTests, IAsyncDisposable
    {
        private readonly PostgresTestDatabase _database = new();
        private string? _schema;

        public ValueTask DisposeAsync() => _database.DisposeAsync();

        protected override async ValueTask<PostbackStorage> CreateStorageAsync(TimeProvider timeProvider)
        {
            _schema = _database.NewSchema();
            var store = new PostgreSqlPostbackStore(
                _database.NewDataSource(),
                new PostgreSqlPostbackStoreOptions { ConnectionString = PostgresTestDatabase.RequiredConnectionString, Schema = _schema },
                timeProvider: timeProvider);
            await store.MigrateAsync();
            return store.Storage;
        }

        // A second instance's store: its own data source (connection pool) on the same schema.
        protected override async ValueTask<PostbackStorage> OpenSecondInstanceAsync(PostbackStorage storage, TimeProvider timeProvider)
        {
            var store = new PostgreSqlPostbackStore(
                _database.NewDataSource(),
                new PostgreSqlPostbackStoreOptions { ConnectionString = PostgresTestDatabase.RequiredConnectionString, Schema = _schema! },
                timeProvider: timeProvider);
            await store.MigrateAsync();
            return store.Storage;
        }
    }
}
