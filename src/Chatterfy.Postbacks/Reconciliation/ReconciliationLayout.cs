namespace Chatterfy.Postbacks.Reconciliation;

/// <summary>
/// The columns of a network's conversion report, by header name (compared ignoring case). The default is the generic
/// layout <c>click_id,event,amount,currency,transaction_id,time</c> (docs/reconciliation.md).
/// </summary>
public sealed record ReconciliationLayout
{
    /// <summary>The longest column name: 64 characters.</summary>
    public const int MaxColumnNameLength = 64;

    /// <summary>Gets the generic layout: <c>click_id,event,amount,currency,transaction_id,time</c>.</summary>
    public static ReconciliationLayout Generic { get; } = new();

    /// <summary>Gets the click id column (required).</summary>
    /// <value>Defaults to <c>click_id</c>.</value>
    public string ClickId { get; init; } = "click_id";

    /// <summary>Gets the event column (required): any name <see cref="Ingestion.PostbackEvent.TryParse"/> reads, e.g. <c>registration</c>, <c>ftd</c>, <c>deposit</c>.</summary>
    /// <value>Defaults to <c>event</c>.</value>
    public string Event { get; init; } = "event";

    /// <summary>Gets the amount column (optional in the file): a decimal number with a dot.</summary>
    /// <value>Defaults to <c>amount</c>.</value>
    public string Amount { get; init; } = "amount";

    /// <summary>Gets the currency column (optional in the file): an ISO 4217 code.</summary>
    /// <value>Defaults to <c>currency</c>.</value>
    public string Currency { get; init; } = "currency";

    /// <summary>Gets the transaction id column (optional in the file).</summary>
    /// <value>Defaults to <c>transaction_id</c>.</value>
    public string TransactionId { get; init; } = "transaction_id";

    /// <summary>Gets the time column (required): an ISO 8601 time, UTC when it has no offset.</summary>
    /// <value>Defaults to <c>time</c>.</value>
    public string Time { get; init; } = "time";

    /// <summary>
    /// The layout's mistakes, by member (camelCase, as the HTTP body names them): every column name is 1 to
    /// <see cref="MaxColumnNameLength"/> characters, not blank, without control characters, quotes or commas, and no two
    /// members name the same column (ignoring case).
    /// </summary>
    internal Dictionary<string, string[]> Check()
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (member, name) in (ReadOnlySpan<(string, string?)>)[("clickId", ClickId), ("event", Event), ("amount", Amount), ("currency", Currency), ("transactionId", TransactionId), ("time", Time)])
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                errors[member] = [$"{member} must name a column."];
            }
            else if (name.Length > MaxColumnNameLength || name.AsSpan().ContainsAny("\"\r\n,") || name.Any(char.IsControl) || name.Trim().Length != name.Length)
            {
                errors[member] = [$"{member} must be at most {MaxColumnNameLength} characters, without surrounding spaces, control characters, quotes or commas."];
            }
            else if (!seen.TryAdd(name, member))
            {
                errors[member] = [$"{member} names the column '{name}', which {seen[name]} already names."];
            }
        }

        return errors;
    }
}
