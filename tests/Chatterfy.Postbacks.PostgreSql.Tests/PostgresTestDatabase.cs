using Npgsql;

namespace Chatterfy.Postbacks.PostgreSql.Tests;

/// <summary>
/// The test database named by <c>POSTBACKS_TEST_POSTGRES</c>. Every store a test makes lives in a new schema of its own,
/// dropped again when the test ends, so tests never see each other's rows.
/// </summary>
internal sealed class PostgresTestDatabase : IAsyncDisposable
{
    public const string EnvironmentVariable = "POSTBACKS_TEST_POSTGRES";

    public const string SkipReason = "Set POSTBACKS_TEST_POSTGRES to a PostgreSQL connection string to run this test";

    private readonly List<NpgsqlDataSource> _dataSources = [];
    private readonly List<string> _schemas = [];

    public static string? ConnectionString =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } value ? value : null;

    public static string RequiredConnectionString =>
        ConnectionString ?? throw new InvalidOperationException(SkipReason);

    /// <summary>A new schema name, unique to this run.</summary>
    public string NewSchema()
    {
        var schema = "t_" + Guid.NewGuid().ToString("N")[..16];
        _schemas.Add(schema);
        return schema;
    }

    /// <summary>A new data source (its own connection pool) on the test database, disposed with this object.</summary>
    public NpgsqlDataSource NewDataSource()
    {
        var dataSource = NpgsqlDataSource.Create(RequiredConnectionString);
        _dataSources.Add(dataSource);
        return dataSource;
    }

    /// <summary>A store in <paramref name="schema"/> over a new data source; the schema is not created.</summary>
    public PostgreSqlPostbackStore NewStore(string schema) =>
        new(NewDataSource(), new PostgreSqlPostbackStoreOptions { ConnectionString = RequiredConnectionString, Schema = schema });

    /// <summary>A fresh, empty, migrated store in a schema of its own.</summary>
    public async Task<PostgreSqlPostbackStore> NewMigratedStoreAsync()
    {
        var store = NewStore(NewSchema());
        await store.MigrateAsync();
        return store;
    }

    public static async Task<List<int>> SchemaVersionsAsync(string schema)
    {
        await using var dataSource = NpgsqlDataSource.Create(RequiredConnectionString);
        await using var command = dataSource.CreateCommand($"SELECT version FROM \"{schema}\".schema_version ORDER BY version");
        await using var reader = await command.ExecuteReaderAsync();
        var versions = new List<int>();
        while (await reader.ReadAsync())
        {
            versions.Add(reader.GetInt32(0));
        }

        return versions;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var dataSource in _dataSources)
        {
            await dataSource.DisposeAsync();
        }

        if (_schemas.Count == 0)
        {
            return;
        }

        await using var admin = NpgsqlDataSource.Create(RequiredConnectionString);
        foreach (var schema in _schemas)
        {
            await using var command = admin.CreateCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
            await command.ExecuteNonQueryAsync();
        }
    }

    /// <summary>
    /// Creates a schema as the migrations up to <paramref name="version"/> leave it (its version table says so), in the
    /// caller's transaction: the database a release at that version made, for upgrade tests to fill and migrate.
    /// </summary>
    public static async Task CreateSchemaAtVersionAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string quotedSchema, int version)
    {
        await ExecuteAsync($"CREATE SCHEMA {quotedSchema}");
        await ExecuteAsync(PostgreSqlSchema.Render(PostgreSqlSchema.VersionTable, quotedSchema));
        for (var applied = 1; applied <= version; applied++)
        {
            await ExecuteAsync(PostgreSqlSchema.Render(PostgreSqlSchema.Migrations[applied - 1], quotedSchema));
            await ExecuteAsync($"INSERT INTO {quotedSchema}.schema_version (version) VALUES ({applied})");
        }

        async Task ExecuteAsync(string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            await command.ExecuteNonQueryAsync();
        }
    }
}
