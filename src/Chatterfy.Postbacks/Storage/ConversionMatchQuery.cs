namespace Chatterfy.Postbacks.Storage;

/// <summary>
/// What <see cref="IngestStore.ListConversionsToMatchAsync"/> looks up: a set's conversions by transaction id or by click
/// id, the candidates a batch of a network's report rows is matched against (docs/reconciliation.md).
/// </summary>
public sealed record ConversionMatchQuery
{
    /// <summary>The most transaction ids, and the most click ids, one query names: 1,000.</summary>
    public const int MaxKeys = 1000;

    /// <summary>Gets the set whose conversions to list.</summary>
    public required string SetId { get; init; }

    /// <summary>Gets the transaction ids to look up (ordinal, case-sensitive).</summary>
    /// <value>Empty by default; at most <see cref="MaxKeys"/>, none null or empty.</value>
    public IReadOnlyCollection<string> TransactionIds { get; init; } = [];

    /// <summary>Gets the click ids to look up (ordinal, case-sensitive).</summary>
    /// <value>Empty by default; at most <see cref="MaxKeys"/>, none null or empty.</value>
    public IReadOnlyCollection<string> ClickIds { get; init; } = [];
}
