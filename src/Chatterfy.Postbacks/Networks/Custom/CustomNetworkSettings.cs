using System.ComponentModel.DataAnnotations;

namespace Chatterfy.Postbacks.Networks.Custom;

/// <summary>
/// Per-set settings of a custom network: the network's own macro for each canonical field
/// (JSON: <c>{"clickIdMacro":"{subid}","amountMacro":"{payout}","currency":"EUR","fields":{"country":"{geo}"}}</c>).
/// </summary>
public sealed class CustomNetworkSettings
{
    /// <summary>Gets or sets the network's click id macro, e.g. <c>{subid}</c>. Required.</summary>
    [Required(ErrorMessage = "The network's click id macro is required, e.g. \"{subid}\".")]
    [Display(Name = "Click id macro", Description = "The network's macro that sends back the click id, e.g. {subid}.")]
    public string? ClickIdMacro { get; set; }

    /// <summary>Gets or sets the network's amount (payout) macro, or <see langword="null"/> when it sends none.</summary>
    [Display(Name = "Amount macro", Description = "The network's macro for the payout amount, e.g. {payout}; empty when it sends none.")]
    public string? AmountMacro { get; set; }

    /// <summary>Gets or sets the network's currency macro; exclusive with <see cref="Currency"/>.</summary>
    [Display(Name = "Currency macro", Description = "The network's macro for the amount's currency; use either this or a fixed currency.")]
    public string? CurrencyMacro { get; set; }

    /// <summary>Gets or sets the fixed ISO 4217 currency of the network's amounts; exclusive with <see cref="CurrencyMacro"/>.</summary>
    /// <value>Defaults to <see langword="null"/>: amounts without a currency are taken as USD.</value>
    [Display(Name = "Currency", Description = "The fixed three-letter currency of the network's amounts, e.g. EUR; use either this or a currency macro.")]
    public string? Currency { get; set; }

    /// <summary>Gets or sets the network's transaction id macro, or <see langword="null"/>.</summary>
    [Display(Name = "Transaction id macro", Description = "The network's macro for its transaction id, which tells deposits apart.")]
    public string? TransactionIdMacro { get; set; }

    /// <summary>
    /// Gets or sets the network's event (status) macro, written as <c>event={macro}</c> into the set's bare URL only, for
    /// networks with a single postback URL whose status names the event (e.g. <c>{status}</c> sending <c>lead</c> or <c>sale</c>).
    /// </summary>
    [Display(Name = "Event macro", Description = "For a network with a single postback URL: its macro naming the event, e.g. {status}.")]
    public string? EventMacro { get; set; }

    /// <summary>Gets or sets extra values to store on the conversion: field key (sent as <c>fields.&lt;key&gt;</c>) to network macro.</summary>
    [Display(Name = "Extra fields", Description = "Extra values to store on each conversion: field key = the network's macro, e.g. country = {geo}.")]
    public IDictionary<string, string>? Fields { get; set; }
}
