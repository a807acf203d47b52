namespace Chatterfy.Postbacks.Reconciliation;

/// <summary>A conversion as the network's report lists it.</summary>
public sealed record ReconciliationRow
{
    /// <summary>Gets the row's line in the file (the header is line 1).</summary>
    public required long Line { get; init; }

    /// <summary>Gets the click id.</summary>
    public required string ClickId { get; init; }

    /// <summary>Gets the event's name as the SDK writes it, e.g. <c>first-deposit</c>.</summary>
    public required string Event { get; init; }

    /// <summary>Gets the amount, or <see langword="null"/>.</summary>
    public decimal? Amount { get; init; }

    /// <summary>Gets the currency code, upper-case, or <see langword="null"/>.</summary>
    public string? Currency { get; init; }

    /// <summary>Gets the network's transaction id, or <see langword="null"/>.</summary>
    public string? TransactionId { get; init; }

    /// <summary>Gets when the network says the conversion occurred.</summary>
    public required DateTimeOffset Time { get; init; }
}
