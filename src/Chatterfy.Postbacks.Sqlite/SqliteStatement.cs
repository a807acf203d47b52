using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Chatterfy.Postbacks.Sqlite;

/// <summary>
/// A statement prepared once on the writer's connection and run many times, straight through SQLite's C interface (the
/// one Microsoft.Data.Sqlite wraps): values are bound by position (text as UTF-16, no copy on the managed side), with no
/// parameter objects, no data reader and no boxing per value. For the few statements every postback runs; everything else
/// uses <see cref="SqliteCommand"/>. Errors are thrown as <see cref="SqliteException"/>, as Microsoft.Data.Sqlite does.
/// </summary>
internal sealed class SqliteStatement : IDisposable
{
    // sqlite3_prepare_v3's SQLITE_PREPARE_PERSISTENT: the statement is kept for long, so SQLite does not take its memory from the lookaside.
    private const uint PreparePersistent = 1;

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    /// <summary>Initializes a new instance of the <see cref="SqliteStatement"/> class: prepares <paramref name="sql"/>.</summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="sql">One statement; parameters are numbered (<c>?1</c>, <c>?2</c>, …).</param>
    public SqliteStatement(SqliteConnection connection, string sql)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        var rc = raw.sqlite3_prepare_v3(_db, sql, PreparePersistent, out var statement);
        if (rc != raw.SQLITE_OK)
        {
            statement?.Dispose();
            Throw(rc);
        }

        _statement = statement;
    }

    /// <summary>Binds text, or NULL.</summary>
    /// <param name="index">The parameter's number, from 1.</param>
    /// <param name="value">The value.</param>
    public void Bind(int index, string? value) =>
        Check(value is null ? raw.sqlite3_bind_null(_statement, index) : raw.sqlite3_bind_text16(_statement, index, value.AsSpan()));

    /// <summary>Binds an integer.</summary>
    /// <param name="index">The parameter's number, from 1.</param>
    /// <param name="value">The value.</param>
    public void Bind(int index, long value) => Check(raw.sqlite3_bind_int64(_statement, index, value));

    /// <summary>Binds an integer, or NULL.</summary>
    /// <param name="index">The parameter's number, from 1.</param>
    /// <param name="value">The value.</param>
    public void Bind(int index, long? value) =>
        Check(value is { } integer ? raw.sqlite3_bind_int64(_statement, index, integer) : raw.sqlite3_bind_null(_statement, index));

    /// <summary>Runs the statement to its end and resets it.</summary>
    /// <returns>How many rows it changed.</returns>
    public int Execute()
    {
        try
        {
            int rc;
            while ((rc = raw.sqlite3_step(_statement)) == raw.SQLITE_ROW)
            {
            }

            if (rc != raw.SQLITE_DONE)
            {
                Throw(rc);
            }

            return raw.sqlite3_changes(_db);
        }
        finally
        {
            Reset();
        }
    }

    /// <summary>Runs the statement and reads the first column of its first row as text; resets it.</summary>
    /// <returns>The value, or <see langword="null"/> when there is no row or the value is NULL.</returns>
    public string? ExecuteScalarString()
    {
        try
        {
            var rc = raw.sqlite3_step(_statement);
            if (rc == raw.SQLITE_ROW)
            {
                return raw.sqlite3_column_type(_statement, 0) == raw.SQLITE_NULL ? null : raw.sqlite3_column_text(_statement, 0).utf8_to_string();
            }

            if (rc != raw.SQLITE_DONE)
            {
                Throw(rc);
            }

            return null;
        }
        finally
        {
            Reset();
        }
    }

    public void Dispose() => _statement.Dispose();

    private void Reset()
    {
        raw.sqlite3_reset(_statement);
        raw.sqlite3_clear_bindings(_statement);
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            Throw(rc);
        }
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void Throw(int rc) =>
        throw new SqliteException($"SQLite Error {rc & 0xFF}: '{raw.sqlite3_errmsg(_db).utf8_to_string()}'.", rc & 0xFF, raw.sqlite3_extended_errcode(_db));
}
