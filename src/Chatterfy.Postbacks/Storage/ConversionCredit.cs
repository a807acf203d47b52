namespace Chatterfy.Postbacks.Storage;

/// <summary>
/// Which stored conversions a new click credits, in the click's own transaction (late attribution): the core decides it
/// (<see cref="Clicks.ClickService"/>), the store applies it.
/// </summary>
/// <remarks>
/// Every stored conversion whose click id is the new click's id, whose attribution is
/// <see cref="ConversionAttribution.Unattributed"/>, that did not arrive after its attribution window
/// (<see cref="ConversionRecord.AttributionWindowPassed"/> is <see langword="false"/>), and whose <see cref="ConversionRecord.CampaignId"/> is one of
/// <see cref="CampaignIds"/> (a <see langword="null"/> item matches conversions without a campaign) becomes
/// <see cref="ConversionAttribution.Credited"/> with <see cref="ConversionRecord.CampaignId"/> = <see cref="NewCampaignId"/>.
/// Their log entries keep the outcome they were answered with.
/// </remarks>
public sealed record ConversionCredit
{
    /// <summary>Gets the campaigns whose unattributed conversions of the click become credited; a <see langword="null"/> item stands for "no campaign".</summary>
    public required IReadOnlyList<string?> CampaignIds { get; init; }

    /// <summary>Gets the campaign the credited conversions count toward from now on (the click's).</summary>
    public string? NewCampaignId { get; init; }
}
