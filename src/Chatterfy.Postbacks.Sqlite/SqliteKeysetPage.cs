using System.Text;
using Microsoft.Data.Sqlite;

namespace Chatterfy.Postbacks.Sqlite;

/// <summary>
/// The newest-first keyset paging of the postback log and the outbox listing: a page holds the rows strictly after a
/// cursor row in the order (time DESC, id DESC), whether or not the cursor row matches the page's filters.
/// </summary>
internal static class SqliteKeysetPage
{
    /// <summary>
    /// Adds to <paramref name="sql"/> (and its parameters to <paramref name="command"/>) the condition "after the row
    /// <paramref name="beforeId"/> of <paramref name="table"/>", reading that row's time in the command's transaction so
    /// that the cursor and the page come from one snapshot.
    /// </summary>
    /// <returns><see langword="false"/> when no row has that id: the page is empty.</returns>
    public static bool TryAppendCursor(SqliteCommand command, StringBuilder sql, string table, string timeColumn, string beforeId)
    {
        using var cursor = SqlitePostbackStore.Command(command.Connection!, $"SELECT {timeColumn} FROM {table} WHERE id = $id");
        cursor.Transaction = command.Transaction;
        cursor.Parameters.AddValue("$id", beforeId);
        if (cursor.ExecuteScalar() is not long cursorTime)
        {
            return false;
        }

        sql.Append(" AND (").Append(timeColumn).Append(", id) < ($cursor_time, $cursor_id)");
        command.Parameters.AddValue("$cursor_time", cursorTime);
        command.Parameters.AddValue("$cursor_id", beforeId);
        return true;
    }
}
