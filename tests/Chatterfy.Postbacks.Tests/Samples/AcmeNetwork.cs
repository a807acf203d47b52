// The compiled example behind docs/extending-networks.md: keep the two in step.
using System.ComponentModel.DataAnnotations;
using System.Diagnostics.CodeAnalysis;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Networks;
using Chatterfy.Postbacks.PostbackSets;

namespace Chatterfy.Postbacks.Tests.Samples;

/// <summary>Settings of the Acme network; bound from the set's JSON settings (camelCase).</summary>
public sealed class AcmeSettings
{
    /// <summary>Gets or sets the currency Acme pays in.</summary>
    [Display(Name = "Currency", Description = "The currency Acme pays this set's amounts in: EUR or USD.")]
    public string Currency { get; set; } = "EUR";
}

/// <summary>
/// "Acme Partners", an imaginary network: one URL for every event, the click id in <c>cid</c>, the event in
/// <c>status=lead|sale|rebill</c>, the amount in <c>payout</c>.
/// </summary>
public sealed class AcmeNetwork : AffiliateNetwork<AcmeSettings>
{
    public override string Id => "acme";

    public override string DisplayName => "Acme Partners";

    protected override void Validate(AcmeSettings settings, ICollection<NetworkSettingsError> errors)
    {
        if (settings.Currency is not ("EUR" or "USD"))
        {
            errors.Add(new NetworkSettingsError("settings.currency", "Acme pays in EUR or USD."));
        }
    }

    protected override NetworkProfile CreateProfile(AcmeSettings settings) => new AcmeProfile(settings.Currency);

    private sealed class AcmeProfile(string currency) : NetworkProfile
    {
        public override string DefaultCurrency => currency;

        public override string? ClickIdLinkParameter => "subid";

        // Acme substitutes {subid}, {status}, {payout} and {txn} textually; keep them literal.
        public override string GetPostbackQuery(PostbackUrlKind kind) => "?cid={subid}&status={status}&payout={payout}&txn={txn}";

        public override bool TryMapParameter(string name, [NotNullWhen(true)] out string? canonicalName)
        {
            canonicalName = name switch
            {
                "cid" => "clickid",
                "txn" => "tid",
                _ => null,
            };
            return canonicalName is not null;
        }

        public override PostbackEvent? DetectEventFromFlags(PostbackParameters parameters) =>
            parameters.TryGetValue("status", out var status) && PostbackEvent.TryParse(status == "rebill" ? "deposit" : status, out var e)
                ? e
                : null;
    }
}
