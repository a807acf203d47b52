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
    /// Gets the deposit's number among its click's deposits (across sets), or <see langword="null"/>: 1 for the first
    /// deposit, 2, 3, … for repeat deposits in the order they were credited (see <see cref="DepositNumbering"/>). The store
    /// assigns it when a first deposit or deposit is first credited, and it never changes; registrations, custom events and
    /// unattributed conversions have none. Stores ignore the value given to <see cref="IngestStore.AppendAsync"/>.
    /// </summary>
    public int? DepositNumber { get; init; }
}
