using Chatterfy.Postbacks.Ingestion;

namespace Chatterfy.Postbacks.Forwarding;

/// <summary>
/// Stands in for the profile of a rule whose protected secret cannot be unprotected (<see cref="RuleSecretProtector"/>):
/// conversions still get outbox messages for the events the rule forwards, so they can be replayed once the key ring is
/// back, but every send answers a <see cref="DeliveryErrorCodes.SecretUnreadable"/> dead letter without calling the
/// destination. Whatever drives the profile, the secret is never sent.
/// </summary>
/// <param name="ruleId">The rule's id.</param>
/// <param name="matching">
/// The destination's profile made from the settings as stored, used only to tell which events the rule forwards; or
/// <see langword="null"/> when the destination refuses them as they are, and then no event is matched.
/// </param>
internal sealed class UnreadableSecretProfile(string ruleId, DestinationProfile? matching) : DestinationProfile
{
    public override string BatchKey { get; } = "secret-unreadable:" + ruleId;

    public override bool Forwards(PostbackEvent conversionEvent) => matching?.Forwards(conversionEvent) == true;

    public override ValueTask<IReadOnlyList<DeliveryOutcome>> SendAsync(
        IReadOnlyList<ForwardedConversion> batch, HttpClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var outcome = DeliveryOutcome.DeadLetter(
            DeliveryErrorCodes.SecretUnreadable,
            $"A secret of rule '{ruleId}' is stored protected (Postbacks:Forwarding:ProtectSecrets) and this host's Data Protection key ring " +
            "cannot unprotect it (its keys are lost, or they are another application's), so nothing was sent. Restore the key ring " +
            "(the same keys and application name) or re-create the rule, then replay the message.");
        return new([.. Enumerable.Repeat(outcome, batch.Count)]);
    }
}
