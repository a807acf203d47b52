using Chatterfy.Postbacks.Reconciliation;
using Chatterfy.Postbacks.Storage;

namespace Chatterfy.Postbacks.Sqlite;

/// <summary>Layouts in <c>reconciliation_layouts</c>, kept reports in <c>reconciliations</c>, as the role's JSON text.</summary>
/// <param name="database">The store whose connection and writer it uses.</param>
internal sealed class SqliteReconciliationStore(SqlitePostbackStore database) : ReconciliationStore
{
    /// <inheritdoc />
    protected override ValueTask<ReconciliationLayout?> GetLayoutCoreAsync(string setId, CancellationToken cancellationToken) =>
        database.ReadAsync(
            (connection, _) =>
            {
                using var command = SqlitePostbackStore.Command(connection, "SELECT layout FROM reconciliation_layouts WHERE set_id = $set_id");
                command.Parameters.AddValue("$set_id", setId);
                return command.ExecuteScalar() is string json ? LayoutFromJson(json) : null;
            },
            cancellationToken);

    /// <inheritdoc />
    protected override async ValueTask SetLayoutCoreAsync(string setId, ReconciliationLayout layout, CancellationToken cancellationToken)
    {
        var json = LayoutToJson(layout);
        await database.WriteAsync(
            session =>
            {
                var command = session.Command("""
                    INSERT INTO reconciliation_layouts (set_id, layout) VALUES ($set_id, $layout)
                    ON CONFLICT (set_id) DO UPDATE SET layout = excluded.layout
                    """);
                command.Parameters.AddValue("$set_id", setId);
                command.Parameters.AddValue("$layout", json);
                command.ExecuteNonQuery();
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override async ValueTask AddCoreAsync(ReconciliationReport report, ReconciliationSummary summary, CancellationToken cancellationToken)
    {
        var id = report.Id;
        var setId = report.SetId;
        var createdAt = SqliteValues.ToDb(report.CreatedAt);
        var summaryJson = SummaryToJson(summary);
        var reportJson = ReportToJson(report);
        await database.WriteAsync(
            session =>
            {
                if (SqliteSetStore.Exists(session, "SELECT 1 FROM reconciliations WHERE id = $value", id))
                {
                    throw new InvalidOperationException($"A reconciliation with id '{id}' exists.");
                }

                var insert = session.Command("""
                    INSERT INTO reconciliations (id, set_id, created_at, summary, report)
                    VALUES ($id, $set_id, $created_at, $summary, $report)
                    """);
                insert.Parameters.AddValue("$id", id);
                insert.Parameters.AddValue("$set_id", setId);
                insert.Parameters.AddValue("$created_at", createdAt);
                insert.Parameters.AddValue("$summary", summaryJson);
                insert.Parameters.AddValue("$report", reportJson);
                insert.ExecuteNonQuery();
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override ValueTask<ReconciliationReport?> GetCoreAsync(string setId, string reconciliationId, CancellationToken cancellationToken) =>
        database.ReadAsync(
            (connection, _) =>
            {
                using var command = SqlitePostbackStore.Command(connection, "SELECT report FROM reconciliations WHERE id = $id AND set_id = $set_id");
                command.Parameters.AddValue("$id", reconciliationId);
                command.Parameters.AddValue("$set_id", setId);
                return command.ExecuteScalar() is string json ? ReportFromJson(json) : null;
            },
            cancellationToken);

    /// <inheritdoc />
    protected override ValueTask<IReadOnlyList<ReconciliationSummary>> ListCoreAsync(string setId, int limit, string? beforeId, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<ReconciliationSummary>>(
            (connection, cancellationToken) =>
            {
                using var command = SqlitePostbackStore.Command(connection, """
                    SELECT summary FROM reconciliations
                    WHERE set_id = $set_id AND ($before_id IS NULL OR id < $before_id)
                    ORDER BY id DESC
                    LIMIT $limit
                    """);
                command.Parameters.AddValue("$set_id", setId);
                command.Parameters.AddValue("$before_id", beforeId);
                command.Parameters.AddValue("$limit", limit);
                using var reader = command.ExecuteReader();
                var page = new List<ReconciliationSummary>();
                while (reader.Read())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    page.Add(SummaryFromJson(reader.GetString(0)));
                }

                return page.AsReadOnly();
            },
            cancellationToken);
}
