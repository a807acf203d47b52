using Npgsql;

namespace Chatterfy.Postbacks.ReliabilityTests.Infrastructure;

/// <summary>
/// A fact that needs the PostgreSQL server named by <c>POSTBACKS_TEST_POSTGRES</c>: skipped, with the reason shown, when
/// it is not set. CI (<c>.ci/run</c>) starts a server and sets it, and fails when any test was skipped.
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresTestDatabase.ConnectionString is null)
        {
            Skip = PostgresTestDatabase.SkipReason;
        }
    }
}

/// <summary>The test database of <c>POSTBACKS_TEST_POSTGRES</c>; each scenario uses a fresh schema and drops it.</summary>
internal static class PostgresTestDatabase
{
    public const string EnvironmentVariable = "POSTBACKS_TEST_POSTGRES";

    public const string SkipReason = "Set POSTBACKS_TEST_POSTGRES to a PostgreSQL connection string to run this test";

    public static string? ConnectionString =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } value ? value : null;

    public static string RequiredConnectionString => ConnectionString ?? throw new InvalidOperationException(SkipReason);

    /// <summary>A schema name unique to this run (the store creates it).</summary>
    public static string NewSchema() => "reliability_" + Guid.NewGuid().ToString("N")[..16];

    public static async Task DropSchemaAsync(string connectionString, string schema)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// The sample host's environment for the PostgreSQL store in <paramref name="schema"/>. The sample picks PostgreSQL
    /// when a connection string is set; <c>Postbacks:Store</c> is set too, for a host that selects its store by name.
    /// </summary>
    public static Dictionary<string, string> HostEnvironment(string connectionString, string schema) => new(StringComparer.Ordinal)
    {
        ["Postbacks__Store"] = "PostgreSql",
        ["Postbacks__PostgreSql__ConnectionString"] = connectionString,
        ["Postbacks__PostgreSql__Schema"] = schema,
    };
}
