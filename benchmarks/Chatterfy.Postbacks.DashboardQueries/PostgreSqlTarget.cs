using System.Diagnostics;
using Chatterfy.Postbacks.PostgreSql;
using Chatterfy.Postbacks.Storage;
using Npgsql;

namespace Chatterfy.Postbacks.DashboardQueries;

/// <summary>The PostgreSQL schema the benchmark reads, seeded when missing, stale (another schema version or seed) or asked to.</summary>
internal sealed class PostgreSqlTarget : IAsyncDisposable
{
    private const string Schema = "dashboard_bench";
    private const string ProbeSchema = "dashboard_bench_probe";

    private readonly NpgsqlDataSource _dataSource;

    private PostgreSqlTarget(NpgsqlDataSource dataSource, PostgreSqlPostbackStore store)
    {
        _dataSource = dataSource;
        Storage = store.Storage;
    }

    public PostbackStorage Storage { get; }

    public static async Task<PostgreSqlTarget> OpenAsync(string connectionString, bool reseed)
    {
        var dataSource = NpgsqlDataSource.Create(connectionString);
        var latest = await LatestSchemaVersionAsync(dataSource, connectionString);
        var (version, seed) = await ReadAsync(dataSource, Schema);
        if (reseed || version != latest || seed != Seed.Version)
        {
            Console.WriteLine($"PostgreSQL: seeding schema {Schema} (found schema {version}, seed {seed}; want {latest}, {Seed.Version})");
            await ExecuteAsync(dataSource, $"DROP SCHEMA IF EXISTS {Schema} CASCADE");
            var seeding = Stopwatch.StartNew();
            var store = Store(dataSource, connectionString, Schema);
            await store.MigrateAsync();
            await Seed.WriteAsync(store.Storage, p => Console.WriteLine($"  {p} ({seeding.Elapsed:mm\\:ss})"));
            await ExecuteAsync(dataSource, $"VACUUM ANALYZE {Schema}.conversions");
            await ExecuteAsync(dataSource, $"VACUUM ANALYZE {Schema}.postback_log");
            await ExecuteAsync(dataSource, $"VACUUM ANALYZE {Schema}.clicks");
            await ExecuteAsync(dataSource, $"CREATE TABLE {Schema}.bench_seed (version integer NOT NULL); INSERT INTO {Schema}.bench_seed VALUES ({Seed.Version})");
            Console.WriteLine($"PostgreSQL: seeded in {seeding.Elapsed:mm\\:ss}");
        }
        else
        {
            Console.WriteLine($"PostgreSQL: using schema {Schema} (schema {version}, seed {seed})");
        }

        var opened = Store(dataSource, connectionString, Schema);
        await opened.MigrateAsync();
        return new PostgreSqlTarget(dataSource, opened);
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private static PostgreSqlPostbackStore Store(NpgsqlDataSource dataSource, string connectionString, string schema) =>
        new(dataSource, new PostgreSqlPostbackStoreOptions { ConnectionString = connectionString, Schema = schema });

    /// <summary>The schema version this build writes: that of a new, empty schema.</summary>
    private static async Task<int> LatestSchemaVersionAsync(NpgsqlDataSource dataSource, string connectionString)
    {
        await ExecuteAsync(dataSource, $"DROP SCHEMA IF EXISTS {ProbeSchema} CASCADE");
        await Store(dataSource, connectionString, ProbeSchema).MigrateAsync();
        var (version, _) = await ReadAsync(dataSource, ProbeSchema);
        await ExecuteAsync(dataSource, $"DROP SCHEMA {ProbeSchema} CASCADE");
        return version;
    }

    private static async Task<(int Version, int Seed)> ReadAsync(NpgsqlDataSource dataSource, string schema)
    {
        await using var exists = dataSource.CreateCommand($"SELECT to_regclass('{schema}.schema_version') IS NOT NULL, to_regclass('{schema}.bench_seed') IS NOT NULL");
        bool hasVersion, hasSeed;
        await using (var reader = await exists.ExecuteReaderAsync())
        {
            await reader.ReadAsync();
            (hasVersion, hasSeed) = (reader.GetBoolean(0), reader.GetBoolean(1));
        }

        if (!hasVersion)
        {
            return (0, 0);
        }

        await using var version = dataSource.CreateCommand($"SELECT max(version) FROM {schema}.schema_version");
        var current = (int)(await version.ExecuteScalarAsync())!;
        if (!hasSeed)
        {
            return (current, 0);
        }

        await using var seed = dataSource.CreateCommand($"SELECT version FROM {schema}.bench_seed");
        return (current, (int)(await seed.ExecuteScalarAsync())!);
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync();
    }
}
