using Chatterfy.Postbacks.Storage;
using Microsoft.Data.Sqlite;

namespace Chatterfy.Postbacks.Sqlite;

/// <summary>
/// The statuses migration's step that SQL alone cannot take: the log's outcome CHECK gains <c>changed</c>. SQLite cannot
/// alter a CHECK; widening one changes no stored row, so the table's definition is edited in place, the way SQLite's
/// documentation describes for such changes (ALTER TABLE, "Making Other Kinds Of Table Schema Changes"): the columns other
/// migrations added are kept, and no row of a large log is copied.
/// </summary>
internal static class SqliteStatuses
{
    private const string OldCheck = "CHECK (outcome IN ('accepted', 'duplicate', 'unattributed', 'rejected'))";

    /// <summary>Lets <c>postback_log.outcome</c> hold <c>changed</c>, in the migration's transaction.</summary>
    /// <param name="connection">The connection.</param>
    /// <param name="transaction">The migration's transaction.</param>
    /// <exception cref="InvalidOperationException">The log's definition does not hold the CHECK this migration widens.</exception>
    public static void AllowChangedOutcome(SqliteConnection connection, SqliteTransaction transaction)
    {
        var newCheck = $"CHECK (outcome IN ('accepted', 'duplicate', 'unattributed', 'rejected', '{StoredWords.Of(PostbackOutcome.Changed)}'))";
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "PRAGMA schema_version";
        var version = Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        command.CommandText = "PRAGMA writable_schema = ON";
        command.ExecuteNonQuery();
        try
        {
            command.CommandText = "UPDATE sqlite_schema SET sql = replace(sql, $old, $new) WHERE type = 'table' AND name = 'postback_log' AND instr(sql, $old) > 0";
            command.Parameters.AddWithValue("$old", OldCheck);
            command.Parameters.AddWithValue("$new", newCheck);
            if (command.ExecuteNonQuery() != 1)
            {
                throw new InvalidOperationException("The postback_log table does not have the outcome CHECK the statuses migration widens.");
            }

            command.Parameters.Clear();

            // A new schema version makes every connection read the edited definition.
            command.CommandText = $"PRAGMA schema_version = {version + 1}";
            command.ExecuteNonQuery();
        }
        finally
        {
            command.Parameters.Clear();
            command.CommandText = "PRAGMA writable_schema = OFF";
            command.ExecuteNonQuery();
        }
    }
}
