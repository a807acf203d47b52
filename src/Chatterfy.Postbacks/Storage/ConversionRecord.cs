using Chatterfy.Postbacks.Currencies;
using Chatterfy.Postbacks.Ingestion;

namespace Chatterfy.Postbacks.Storage;

/// <summary>A conversion as the store keeps it.</summary>
public sealed record ConversionRecord
{
    /// <summary>Gets the conversion's opaque id, assigned before it is appended.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the normalized conversion.</summary>
    public required Conversion Conversion { get; init; }

    /// <summary>Gets whether the conversion is credited to its click.</summary>
    public required ConversionAttribution Attribution { get; init; }

    /// <summary>
    /// Gets the campaign the conversion counts toward: the click's campaign when credited, the set's campaign scope
    /// (or <see langword="null"/>) when unattributed.
    /// </summary>
    public string? CampaignId { get; init; }

    /// <summary>
    /// Gets a value indicating whether the conversion arrived after its click's attribution window: it is then
    /// <see cref="ConversionAttribution.Unattributed"/> for good, late attribution never credits it
    /// (<see cref="ConversionCredit"/>).
    /// </summary>
    public bool AttributionWindowPassed { get; init; }

    /// <summary>
    /// Gets the amount converted into the reporting currency when the conversion was stored (or later recomputed), with
    /// the rate and the rate day used; <see langword="null"/> without an amount, without a reporting currency, or when no
    /// rate was found. Once set it never changes.
    /// </summary>
    public ReportingAmount? ReportingAmount { get; init; }

    /// <summary>
    /// Gets the deposit's number among its click's deposits (across sets), or <see langword="null"/>: 1 for the first
    /// deposit, 2, 3, … for repeat deposits in the order they were credited (see <see cref="DepositNumbering"/>). The store
    /// assigns it when a first deposit or deposit is first credited, and it never changes; registrations, custom events and
    /// unattributed conversions have none. Stores ignore the value given to <see cref="IngestStore.AppendAsync"/>.
    /// </summary>
    public int? DepositNumber { get; init; }

    /// <summary>
    /// Gets where the conversion stands with the network. A conversion stored from a postback without a status is
    /// <see cref="ConversionStatus.Approved"/>; a later status postback may change it (<see cref="IngestStore.ChangeStatusAsync"/>,
    /// <see cref="ConversionStatusTransitions"/>).
    /// </summary>
    /// <value>Defaults to <see cref="ConversionStatus.Approved"/>.</value>
    public ConversionStatus Status { get; init; } = ConversionStatus.Approved;

    /// <summary>
    /// Gets the status word as the network sent it for the current <see cref="Status"/> (e.g. <c>Hold</c>), or
    /// <see langword="null"/> when the status came without a word (a postback without a status).
    /// </summary>
    public string? StatusWord { get; init; }

    /// <summary>Gets a value indicating whether <see cref="StatusWord"/> was not in the set's status map when it came (warning <c>status_unknown</c>).</summary>
    public bool StatusWordUnknown { get; init; }

    /// <summary>
    /// Gets the conversion's status changes, oldest first (by time, then id). Stores fill it when they read a conversion;
    /// <see cref="IngestStore.AppendAsync"/> ignores it (a new conversion has none).
    /// </summary>
    /// <value>Empty by default.</value>
    public IReadOnlyList<ConversionStatusChange> History { get; init; } = [];
}
