namespace Chatterfy.Postbacks.Networks.Custom;

/// <summary>
/// Per-set settings of a custom network: the network's own macro for each canonical field
/// (JSON: <c>{"clickIdMacro":"{subid}","amountMacro":"{payout}","currency":"EUR","fields":{"country":"{geo}"}}</c>).
/// </summary>
public sealed class CustomNetworkSettings
{
    /// <summary>Gets or sets the network's click id macro, e.g. <c>{subid}</c>. Required.</summary>
    public string? ClickIdMacro { get; set; }

    /// <summary>Gets or sets the network's amount (payout) macro, or <see langword="null"/> when it sends none.</summary>
    public string? AmountMacro { get; set; }

    /// <summary>Gets or sets the network's currency macro; exclusive with <see cref="Currency"/>.</summary>
    public string? CurrencyMacro { get; set; }

    /// <summary>Gets or sets the fixed ISO 4217 currency of the network's amounts; exclusive with <see cref="CurrencyMacro"/>.</summary>
    /// <value>Defaults to <see langword="null"/>: amounts without a currency are taken as USD.</value>
    public string? Currency { get; set; }

    /// <summary>Gets or sets the network's transaction id macro, or <see langword="null"/>.</summary>
    public string? TransactionIdMacro { get; set; }

    /// <summary>
    /// Gets or sets the network's event (status) macro, written as <c>event={macro}</c> into the set's bare URL only, for
    /// networks with a single postback URL whose status names the event (e.g. <c>{status}</c> sending <c>lead</c> or <c>sale</c>).
    /// </summary>
    public string? EventMacro { get; set; }

    /// <summary>Gets or sets extra values to store on the conversion: field key (sent as <c>fields.&lt;key&gt;</c>) to network macro.</summary>
    public IDictionary<string, string>? Fields { get; set; }
}
