using System.Reflection;
using Chatterfy.Postbacks.Tests.Ingestion;
using Microsoft.Extensions.DependencyInjection;

namespace Chatterfy.Postbacks.PostgreSql.Tests;

/// <summary>
/// Runs the status ingestion scenarios (StatusIngestionScenarios, in Chatterfy.Postbacks.Tests) on PostgreSQL, each on a
/// schema of its own, two instances being two hosts over that schema. As <see cref="PostgreSqlConformanceTests"/>: one
/// theory lists the scenarios' facts and runs each on a private subclass, so they are skipped without a server.
/// </summary>
public sealed class PostgreSqlStatusIngestionTests
{
    public static TheoryData<string> ScenarioNames => [.. Scenarios().Select(m => m.Name)];

    [PostgresTheory]
    [MemberData(nameof(ScenarioNames))]
    public async Task Scenario(string test)
    {
        var method = typeof(StatusIngestionScenarios).GetMethod(test, BindingFlags.Public | BindingFlags.Instance)!;
        await using var scenarios = new OnPostgreSql();

        await (Task)method.Invoke(scenarios, null)!;
    }

    [Fact]
    public void Scenarios_AreParameterlessFactsThatTheTheoryRuns() =>
        Scenarios().Should().HaveCountGreaterThan(5).And.OnlyContain(m => m.GetParameters().Length == 0 && m.ReturnType == typeof(Task));

    private static IEnumerable<MethodInfo> Scenarios() =>
        typeof(StatusIngestionScenarios)
            .GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m.GetCustomAttribute<FactAttribute>() is not null)
            .OrderBy(m => m.Name, StringComparer.Ordinal);

    private sealed class OnPostgreSql : StatusIngestionScenarios
    {
        private readonly PostgresTestDatabase _database = new();
        private string? _schema;

        protected override void UseStore(IChatterfyPostbacksBuilder builder)
        {
            _schema ??= _database.NewSchema();
            builder.UsePostgreSql(o =>
            {
                o.ConnectionString = PostgresTestDatabase.RequiredConnectionString;
                o.Schema = _schema;
            });
        }

        protected override async Task InitializeStoreAsync(IServiceProvider services) =>
            await services.GetRequiredService<PostgreSqlPostbackStore>().MigrateAsync();

        protected override ValueTask DisposeStoreAsync() => _database.DisposeAsync();
    }
}
