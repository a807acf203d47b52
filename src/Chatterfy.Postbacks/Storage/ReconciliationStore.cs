using System.Text.Json;
using Chatterfy.Postbacks.Reconciliation;

namespace Chatterfy.Postbacks.Storage;

/// <summary>
/// The store role of reconciliations (docs/reconciliation.md): each postback set's report layout, and the kept reports.
/// A store keeps a layout and a report as the JSON text <see cref="LayoutToJson"/> and <see cref="ReportToJson"/> write,
/// and a report's summary (<see cref="SummaryToJson"/>) beside it so that listing never reads the row lists.
/// </summary>
/// <remarks>See <see cref="StoreRole"/> for what every role promises. Reports are never changed once added.</remarks>
public abstract class ReconciliationStore : StoreRole
{
    /// <summary>The most reports one call to <see cref="ListAsync"/> returns: 100.</summary>
    public const int MaxListLimit = 100;

    /// <summary>Gets a set's layout.</summary>
    /// <param name="setId">The set's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The layout last set, or <see langword="null"/> when none was.</returns>
    public ValueTask<ReconciliationLayout?> GetLayoutAsync(string setId, CancellationToken cancellationToken)
    {
        ThrowIfInvalidId(setId);
        return GetLayoutCoreAsync(setId, cancellationToken);
    }

    /// <summary>Sets (adds or replaces) a set's layout.</summary>
    /// <param name="setId">The set's id.</param>
    /// <param name="layout">The layout, validated by the caller.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the layout is stored.</returns>
    public ValueTask SetLayoutAsync(string setId, ReconciliationLayout layout, CancellationToken cancellationToken)
    {
        ThrowIfInvalidId(setId);
        ArgumentNullException.ThrowIfNull(layout);
        return SetLayoutCoreAsync(setId, layout, cancellationToken);
    }

    /// <summary>Keeps a report.</summary>
    /// <param name="report">The report; its <see cref="ReconciliationReport.Id"/> must be unused.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the report is stored.</returns>
    /// <exception cref="InvalidOperationException">A report with the same id exists.</exception>
    public ValueTask AddAsync(ReconciliationReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        ThrowIfInvalidId(report.Id, "report.Id");
        ThrowIfInvalidId(report.SetId, "report.SetId");
        return AddCoreAsync(report, ReconciliationSummary.Of(report), cancellationToken);
    }

    /// <summary>Gets a kept report of a set.</summary>
    /// <param name="setId">The set's id.</param>
    /// <param name="reconciliationId">The report's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The report as added, or <see langword="null"/> when the set has none with that id.</returns>
    public ValueTask<ReconciliationReport?> GetAsync(string setId, string reconciliationId, CancellationToken cancellationToken)
    {
        ThrowIfInvalidId(setId);
        ThrowIfInvalidId(reconciliationId);
        return GetCoreAsync(setId, reconciliationId, cancellationToken);
    }

    /// <summary>Lists a set's kept reports, newest first (by id, which the SDK mints in time order).</summary>
    /// <param name="setId">The set's id.</param>
    /// <param name="limit">The page size, from 1 to <see cref="MaxListLimit"/>.</param>
    /// <param name="beforeId">Only reports whose id sorts (ordinally) before this one; <see langword="null"/> for the newest.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The summaries.</returns>
    public ValueTask<IReadOnlyList<ReconciliationSummary>> ListAsync(string setId, int limit, string? beforeId, CancellationToken cancellationToken)
    {
        ThrowIfInvalidId(setId);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxListLimit);
        return ListCoreAsync(setId, limit, beforeId, cancellationToken);
    }

    /// <summary>Writes a layout as the JSON text stores keep.</summary>
    /// <param name="layout">The layout.</param>
    /// <returns>The JSON text.</returns>
    protected static string LayoutToJson(ReconciliationLayout layout) => JsonSerializer.Serialize(layout, ReconciliationJson.Default.ReconciliationLayout);

    /// <summary>Reads a layout from the JSON text <see cref="LayoutToJson"/> wrote.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The layout.</returns>
    protected static ReconciliationLayout LayoutFromJson(string json) =>
        JsonSerializer.Deserialize(json, ReconciliationJson.Default.ReconciliationLayout) ?? throw new InvalidDataException("A stored layout is null.");

    /// <summary>Writes a report as the JSON text stores keep.</summary>
    /// <param name="report">The report.</param>
    /// <returns>The JSON text.</returns>
    protected static string ReportToJson(ReconciliationReport report) => JsonSerializer.Serialize(report, ReconciliationJson.Default.ReconciliationReport);

    /// <summary>Reads a report from the JSON text <see cref="ReportToJson"/> wrote.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The report.</returns>
    protected static ReconciliationReport ReportFromJson(string json) =>
        JsonSerializer.Deserialize(json, ReconciliationJson.Default.ReconciliationReport) ?? throw new InvalidDataException("A stored report is null.");

    /// <summary>Writes a summary as the JSON text stores keep.</summary>
    /// <param name="summary">The summary.</param>
    /// <returns>The JSON text.</returns>
    protected static string SummaryToJson(ReconciliationSummary summary) => JsonSerializer.Serialize(summary, ReconciliationJson.Default.ReconciliationSummary);

    /// <summary>Reads a summary from the JSON text <see cref="SummaryToJson"/> wrote.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The summary.</returns>
    protected static ReconciliationSummary SummaryFromJson(string json) =>
        JsonSerializer.Deserialize(json, ReconciliationJson.Default.ReconciliationSummary) ?? throw new InvalidDataException("A stored summary is null.");

    /// <summary>Reads a layout (see <see cref="GetLayoutAsync"/>).</summary>
    /// <param name="setId">The set's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The layout, or <see langword="null"/>.</returns>
    protected abstract ValueTask<ReconciliationLayout?> GetLayoutCoreAsync(string setId, CancellationToken cancellationToken);

    /// <summary>Stores a layout (see <see cref="SetLayoutAsync"/>).</summary>
    /// <param name="setId">The set's id.</param>
    /// <param name="layout">The layout.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the layout is stored.</returns>
    protected abstract ValueTask SetLayoutCoreAsync(string setId, ReconciliationLayout layout, CancellationToken cancellationToken);

    /// <summary>Stores a report and its summary (see <see cref="AddAsync"/>).</summary>
    /// <param name="report">The report.</param>
    /// <param name="summary">Its summary.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the report is stored.</returns>
    protected abstract ValueTask AddCoreAsync(ReconciliationReport report, ReconciliationSummary summary, CancellationToken cancellationToken);

    /// <summary>Reads a report (see <see cref="GetAsync"/>).</summary>
    /// <param name="setId">The set's id.</param>
    /// <param name="reconciliationId">The report's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The report, or <see langword="null"/>.</returns>
    protected abstract ValueTask<ReconciliationReport?> GetCoreAsync(string setId, string reconciliationId, CancellationToken cancellationToken);

    /// <summary>Lists summaries (see <see cref="ListAsync"/>).</summary>
    /// <param name="setId">The set's id.</param>
    /// <param name="limit">The page size.</param>
    /// <param name="beforeId">The cursor, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The summaries, newest first.</returns>
    protected abstract ValueTask<IReadOnlyList<ReconciliationSummary>> ListCoreAsync(string setId, int limit, string? beforeId, CancellationToken cancellationToken);
}
