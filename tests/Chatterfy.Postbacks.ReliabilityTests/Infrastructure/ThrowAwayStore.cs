namespace Chatterfy.Postbacks.ReliabilityTests.Infrastructure;

/// <summary>The sample host's environment on a store made for one scenario and removed after it, whatever happens.</summary>
internal static class ThrowAwayStore
{
    /// <summary>Runs <paramref name="scenario"/> on a SQLite file in a new temporary directory.</summary>
    public static async Task OnSqliteAsync(string directoryPrefix, Func<Dictionary<string, string>, Task> scenario)
    {
        var directory = Directory.CreateTempSubdirectory(directoryPrefix);
        try
        {
            await scenario(SampleHost.SqliteEnvironment(Path.Combine(directory.FullName, "postbacks.db")));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>Runs <paramref name="scenario"/> on a new schema of the test PostgreSQL server (<c>POSTBACKS_TEST_POSTGRES</c>).</summary>
    public static async Task OnPostgreSqlAsync(Func<Dictionary<string, string>, Task> scenario)
    {
        var connectionString = PostgresTestDatabase.RequiredConnectionString;
        var schema = PostgresTestDatabase.NewSchema();
        try
        {
            await scenario(PostgresTestDatabase.HostEnvironment(connectionString, schema));
        }
        finally
        {
            await PostgresTestDatabase.DropSchemaAsync(connectionString, schema);
        }
    }
}
