using System.Diagnostics;
using Chatterfy.Postbacks.Sqlite;
using Chatterfy.Postbacks.Storage;
using Microsoft.Data.Sqlite;

namespace Chatterfy.Postbacks.DashboardQueries;

/// <summary>The SQLite file the benchmark reads, seeded when missing, stale (another schema version or seed) or asked to.</summary>
internal sealed class SqliteTarget : IAsyncDisposable
{
    private readonly SqlitePostbackStore _store;

    private SqliteTarget(SqlitePostbackStore store) => _store = store;

    public PostbackStorage Storage => _store.Storage;

    public static async Task<SqliteTarget> OpenAsync(string dir, bool reseed)
    {
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "dashboard.db");
        var latest = await LatestSchemaVersionAsync(dir);
        var (version, seed) = File.Exists(path) ? Read(path) : (0, 0);
        if (reseed || version != latest || seed != Seed.Version)
        {
            Console.WriteLine($"SQLite: seeding {path} (found schema {version}, seed {seed}; want {latest}, {Seed.Version})");
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                File.Delete(file);
            }

            var seeding = Stopwatch.StartNew();
            await using (var store = new SqlitePostbackStore(new SqlitePostbackStoreOptions { DataSource = path }))
            {
                await store.InitializeAsync();
                await Seed.WriteAsync(store.Storage, p => Console.WriteLine($"  {p} ({seeding.Elapsed:mm\\:ss})"));
            }

            Execute(path, $"PRAGMA wal_checkpoint(TRUNCATE); CREATE TABLE bench_seed (version INTEGER NOT NULL) STRICT; INSERT INTO bench_seed VALUES ({Seed.Version});");
            Console.WriteLine($"SQLite: seeded in {seeding.Elapsed:mm\\:ss}, {new FileInfo(path).Length / 1048576} MiB");
        }
        else
        {
            Console.WriteLine($"SQLite: using {path} (schema {version}, seed {seed})");
        }

        var opened = new SqlitePostbackStore(new SqlitePostbackStoreOptions { DataSource = path });
        await opened.InitializeAsync();
        return new SqliteTarget(opened);
    }

    public ValueTask DisposeAsync() => _store.DisposeAsync();

    /// <summary>The schema version this build writes: that of a new, empty database.</summary>
    private static async Task<long> LatestSchemaVersionAsync(string dir)
    {
        var probe = Path.Combine(dir, "probe.db");
        await using (var store = new SqlitePostbackStore(new SqlitePostbackStoreOptions { DataSource = probe }))
        {
            await store.InitializeAsync();
        }

        var (version, _) = Read(probe);
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { probe, probe + "-wal", probe + "-shm" })
        {
            File.Delete(file);
        }

        return version;
    }

    private static (long Version, long Seed) Read(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version";
        var version = (long)command.ExecuteScalar()!;
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE name = 'bench_seed'";
        if ((long)command.ExecuteScalar()! == 0)
        {
            return (version, 0);
        }

        command.CommandText = "SELECT version FROM bench_seed";
        return (version, (long)command.ExecuteScalar()!);
    }

    private static void Execute(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
