using System.Text.Json;

namespace Chatterfy.Postbacks.Forwarding;

/// <summary>
/// A forwarding rule: conversions of one postback set, or of one campaign, are forwarded to a destination with the rule's
/// settings. Exactly one of <see cref="SetId"/> and <see cref="CampaignId"/> is set.
/// </summary>
/// <remarks>
/// A credited conversion matches the rules of its set and the rules of its campaign (the click's). When both levels have
/// rules for the same destination, the set's rules win and the campaign's rules for that destination are skipped. Which
/// events a rule forwards is decided by its destination profile (<c>DestinationProfile.Forwards</c>) and by its
/// <see cref="Filter"/>: both must let a conversion through.
/// </remarks>
public sealed record ForwardingRule
{
    /// <summary>Gets the rule's opaque id.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the name shown to marketers, or <see langword="null"/>.</summary>
    public string? Name { get; init; }

    /// <summary>Gets the id of the postback set whose conversions the rule forwards, or <see langword="null"/> for a campaign rule.</summary>
    public string? SetId { get; init; }

    /// <summary>Gets the campaign whose conversions the rule forwards, or <see langword="null"/> for a set rule.</summary>
    public string? CampaignId { get; init; }

    /// <summary>Gets the destination's id, e.g. <c>facebook-capi</c>.</summary>
    public required string DestinationId { get; init; }

    /// <summary>
    /// Gets the destination's settings as a JSON object, secrets included (stores keep them as given; the tracker API never
    /// returns them, see <c>ForwardingDestination.MaskSecrets</c>).
    /// </summary>
    public required JsonElement Settings { get; init; }

    /// <summary>Gets when the rule was created (UTC).</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>
    /// Gets which conversions the rule forwards on top of what its destination forwards (<see cref="ForwardingRuleFilter"/>);
    /// <see cref="ForwardingRuleFilter.None"/> by default.
    /// </summary>
    public ForwardingRuleFilter Filter { get; init; } = ForwardingRuleFilter.None;
}
