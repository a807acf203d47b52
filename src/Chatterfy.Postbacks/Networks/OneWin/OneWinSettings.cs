using System.ComponentModel.DataAnnotations;

namespace Chatterfy.Postbacks.Networks.OneWin;

/// <summary>Per-set settings of the 1Win network (JSON: <c>{"clickIdSub":"sub4","macros":{"amount":"{amount}"}}</c>).</summary>
public sealed class OneWinSettings
{
    /// <summary>Gets or sets which sub parameter of the affiliate link carries the click id.</summary>
    /// <value>Defaults to <c>sub1</c>; one of <c>sub1</c> to <c>sub4</c> (Chatterfy's ready integration uses <c>sub4</c>).</value>
    [Display(Name = "Click id sub", Description = "The sub parameter of the affiliate link that carries the click id, sub1 to sub4.")]
    public string? ClickIdSub { get; set; }

    /// <summary>Gets or sets overrides of the 1Win macros written into the postback URLs.</summary>
    /// <value>Defaults to none: the macros seen in public 1Win integrations.</value>
    [Display(Name = "Macros", Description = "Overrides of the 1Win macros in the postback URLs; leave empty for the usual ones.")]
    public OneWinMacros? Macros { get; set; }
}

/// <summary>The 1Win macros written into the postback URLs; each <see langword="null"/> keeps its default.</summary>
public sealed class OneWinMacros
{
    /// <summary>Gets or sets the click id macro.</summary>
    /// <value>Defaults to <c>{subN}</c> for the configured <see cref="OneWinSettings.ClickIdSub"/>.</value>
    [Display(Name = "Click id macro", Description = "The macro that sends back the click id; by default the one of the click id sub.")]
    public string? ClickId { get; set; }

    /// <summary>Gets or sets the 1Win user id macro, stored as <c>fields.user_id</c>.</summary>
    /// <value>Defaults to <c>{user_id}</c>.</value>
    [Display(Name = "User id macro", Description = "The 1Win user id, stored as fields.user_id.")]
    public string? UserId { get; set; }

    /// <summary>Gets or sets the country macro, stored as <c>fields.country</c>.</summary>
    /// <value>Defaults to <c>{country}</c>.</value>
    [Display(Name = "Country macro", Description = "The player's country, stored as fields.country.")]
    public string? Country { get; set; }

    /// <summary>Gets or sets the deposit amount macro.</summary>
    /// <value>Defaults to <c>{amount}</c>.</value>
    [Display(Name = "Amount macro", Description = "The deposit amount.")]
    public string? Amount { get; set; }

    /// <summary>Gets or sets the transaction id macro.</summary>
    /// <value>Defaults to <c>{transaction_id}</c>.</value>
    [Display(Name = "Transaction id macro", Description = "The deposit's transaction id.")]
    public string? TransactionId { get; set; }
}
