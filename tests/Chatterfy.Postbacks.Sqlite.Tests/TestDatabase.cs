using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Chatterfy.Postbacks.Sqlite.Tests;

/// <summary>
/// A temporary directory for one test's database files, and the stores opened on them; disposing it disposes the stores
/// and deletes the directory.
/// </summary>
internal sealed class TestDatabase : IDisposable
{
    private readonly List<SqlitePostbackStore> _stores = [];

    public TestDatabase()
    {
        DirectoryPath = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "chatterfy-sqlite-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DirectoryPath);
        Path = System.IO.Path.Combine(DirectoryPath, "postbacks.db");
    }

    /// <summary>The test's temporary directory.</summary>
    public string DirectoryPath { get; }

    /// <summary>The default database file of the test.</summary>
    public string Path { get; }

    /// <summary>Opens a store on <see cref="Path"/> (or on <paramref name="dataSource"/>); it is disposed with the database.</summary>
    public SqlitePostbackStore CreateStore(Action<SqlitePostbackStoreOptions>? configure = null, ILogger<SqlitePostbackStore>? logger = null, string? dataSource = null, TimeProvider? timeProvider = null)
    {
        var options = new SqlitePostbackStoreOptions { DataSource = dataSource ?? Path };
        configure?.Invoke(options);
        var store = new SqlitePostbackStore(options, timeProvider ?? TimeProvider.System, logger);
        lock (_stores)
        {
            _stores.Add(store);
        }

        return store;
    }

    /// <summary>A raw, unpooled connection to the database file, for inspecting it.</summary>
    public SqliteConnection OpenRaw()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    /// <summary>Takes the database's write lock (BEGIN IMMEDIATE) on another connection until disposed, so the store's writer waits.</summary>
    public WriteLock LockForWriting() => new(OpenRaw());

    public object? Scalar(string sql)
    {
        using var connection = OpenRaw();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public void Dispose()
    {
        SqlitePostbackStore[] stores;
        lock (_stores)
        {
            stores = [.. _stores];
        }

        foreach (var store in stores)
        {
            store.Dispose();
        }

        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DirectoryPath, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is not worth failing a test for.
        }
    }

    internal sealed class WriteLock : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly SqliteTransaction _transaction;

        public WriteLock(SqliteConnection connection)
        {
            _connection = connection;
            _transaction = connection.BeginTransaction(deferred: false);
        }

        public void Dispose()
        {
            _transaction.Rollback();
            _transaction.Dispose();
            _connection.Dispose();
        }
    }

    /// <summary>
    /// Applies the migrations up to <paramref name="version"/> with their fills, in the caller's transaction: the file a
    /// release at that version made (the caller sets <c>user_version</c> once its own rows are in).
    /// </summary>
    public static void ApplyMigrations(SqliteConnection connection, SqliteTransaction transaction, int version)
    {
        foreach (var migration in SqliteSchema.Migrations.Take(version))
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = migration.Sql;
            command.ExecuteNonQuery();
            migration.Fill?.Invoke(connection, transaction);
        }
    }
}
