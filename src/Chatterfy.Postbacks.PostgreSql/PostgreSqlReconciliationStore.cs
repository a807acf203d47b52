using Chatterfy.Postbacks.Reconciliation;
using Chatterfy.Postbacks.Storage;
using NpgsqlTypes;
using static Chatterfy.Postbacks.PostgreSql.PostgreSqlValues;

namespace Chatterfy.Postbacks.PostgreSql;

/// <summary>Layouts in <c>reconciliation_layouts</c>, kept reports in <c>reconciliations</c>, as the role's JSON text.</summary>
internal sealed class PostgreSqlReconciliationStore(PostgreSqlPostbackStore db) : ReconciliationStore
{
    private readonly string _s = db.QuotedSchema;

    protected override async ValueTask<ReconciliationLayout?> GetLayoutCoreAsync(string setId, CancellationToken cancellationToken) =>
        await db.QuerySingleAsync(
            $"SELECT layout FROM {_s}.reconciliation_layouts WHERE set_id = $1",
            static reader => LayoutFromJson(reader.GetString(0)),
            [Text(setId)],
            cancellationToken).ConfigureAwait(false);

    protected override async ValueTask SetLayoutCoreAsync(string setId, ReconciliationLayout layout, CancellationToken cancellationToken) =>
        await db.NonQueryAsync(
            $"""
            INSERT INTO {_s}.reconciliation_layouts (set_id, layout) VALUES ($1, $2)
            ON CONFLICT (set_id) DO UPDATE SET layout = excluded.layout
            """,
            [Text(setId), Text(LayoutToJson(layout))],
            cancellationToken).ConfigureAwait(false);

    protected override async ValueTask AddCoreAsync(ReconciliationReport report, ReconciliationSummary summary, CancellationToken cancellationToken) =>
        await db.NonQueryAsync(
            $"INSERT INTO {_s}.reconciliations (id, set_id, created_at, summary, report) VALUES ($1, $2, $3, $4, $5)",
            [Text(report.Id), Text(report.SetId), Time(report.CreatedAt), Text(SummaryToJson(summary)), Text(ReportToJson(report))],
            cancellationToken).ConfigureAwait(false);

    protected override async ValueTask<ReconciliationReport?> GetCoreAsync(string setId, string reconciliationId, CancellationToken cancellationToken) =>
        await db.QuerySingleAsync(
            $"SELECT report FROM {_s}.reconciliations WHERE id = $1 AND set_id = $2",
            static reader => ReportFromJson(reader.GetString(0)),
            [Text(reconciliationId), Text(setId)],
            cancellationToken).ConfigureAwait(false);

    protected override async ValueTask<IReadOnlyList<ReconciliationSummary>> ListCoreAsync(string setId, int limit, string? beforeId, CancellationToken cancellationToken) =>
        await db.QueryListAsync(
            $"""
            SELECT summary FROM {_s}.reconciliations
            WHERE set_id = $1 AND ($2::text IS NULL OR id < $2)
            ORDER BY id DESC
            LIMIT $3
            """,
            static reader => SummaryFromJson(reader.GetString(0)),
            [Text(setId), Text(beforeId), Param(NpgsqlDbType.Integer, limit)],
            cancellationToken).ConfigureAwait(false);
}
