using Microsoft.Data.Sqlite;

namespace Chatterfy.Postbacks.Sqlite;

/// <summary>
/// The writer's connection with its prepared statements: each distinct SQL text is prepared once per connection and
/// reused, which keeps a large batch cheap. Commands and statements it returns belong to it; do not dispose them.
/// </summary>
/// <param name="connection">The writer's connection.</param>
internal sealed class SqliteWriteSession(SqliteConnection connection) : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SqliteStatement> _statements = new(StringComparer.Ordinal);

    /// <summary>Gets the current transaction's changes to the conversion roll-ups, applied just before it commits.</summary>
    public SqliteConversionRollups Rollups { get; } = new();

    /// <summary>Gets or sets the current batch's transaction.</summary>
    public SqliteTransaction? Transaction { get; set; }

    /// <summary>Gets the command for <paramref name="sql"/>, in the current transaction and without parameters.</summary>
    /// <param name="sql">The statement(s).</param>
    /// <returns>The command.</returns>
    public SqliteCommand Command(string sql)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            _commands.Add(sql, command);
        }

        command.Transaction = Transaction;
        command.Parameters.Clear();
        return command;
    }

    /// <summary>
    /// Gets the prepared statement for <paramref name="sql"/> (one statement), for the writes made for every postback: its
    /// parameters are bound by position, with no objects per value. It runs in the current transaction.
    /// </summary>
    /// <param name="sql">The statement.</param>
    /// <returns>The statement, reset and with no values bound.</returns>
    public SqliteStatement Statement(string sql)
    {
        if (!_statements.TryGetValue(sql, out var statement))
        {
            statement = new SqliteStatement(connection, sql);
            _statements.Add(sql, statement);
        }

        return statement;
    }

    public void Dispose()
    {
        foreach (var statement in _statements.Values)
        {
            statement.Dispose();
        }

        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _statements.Clear();
        _commands.Clear();
    }
}
