using System.Text.Json;

namespace Chatterfy.Postbacks.Forwarding;

/// <summary>What <see cref="ForwardingRuleService.CreateAsync"/> needs to create a forwarding rule.</summary>
public sealed record NewForwardingRule
{
    /// <summary>Gets the name shown to marketers (at most 200 characters), or <see langword="null"/>.</summary>
    public string? Name { get; init; }

    /// <summary>Gets the postback set whose conversions to forward; set exactly one of this and <see cref="CampaignId"/>.</summary>
    public string? SetId { get; init; }

    /// <summary>Gets the campaign whose conversions to forward; set exactly one of this and <see cref="SetId"/>.</summary>
    public string? CampaignId { get; init; }

    /// <summary>Gets the destination's id, e.g. <c>facebook-capi</c> or <c>http-postback</c>.</summary>
    public required string DestinationId { get; init; }

    /// <summary>Gets the destination's settings as a JSON object (see <c>docs/forwarding.md</c>).</summary>
    public JsonElement Settings { get; init; }

    /// <summary>
    /// Gets which conversions the rule forwards on top of what its destination forwards; <see cref="ForwardingRuleFilter.None"/>
    /// by default. Event names may be aliases (stored as canonical names); a deposit-number range needs a min, a max or
    /// both, min at least 1 and max at least min.
    /// </summary>
    public ForwardingRuleFilter Filter { get; init; } = ForwardingRuleFilter.None;
}
