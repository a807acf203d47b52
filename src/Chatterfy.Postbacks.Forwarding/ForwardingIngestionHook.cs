using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Storage;

namespace Chatterfy.Postbacks.Forwarding;

/// <summary>
/// Forwarding's part in ingestion: a credited conversion is matched to the forwarding rules of its set and of its click's
/// campaign, and gets one outbox message per matched rule, written in its transaction; once it is stored, the dispatcher
/// is woken. Unattributed conversions (unknown click, or a click of another campaign on a campaign-scoped set) are never
/// forwarded: without a click there is no campaign to match and nothing a destination could attribute them to.
/// </summary>
internal sealed class ForwardingIngestionHook(ForwardingRuleCache rules, OutboxSignal signal, TimeProvider timeProvider) : IngestionHook
{
    public override ValueTask<IReadOnlyList<OutboxMessage>> CreateOutboxMessagesAsync(PostbackSet postbackSet, ConversionRecord conversion, CancellationToken cancellationToken)
    {
        if (conversion.Attribution != ConversionAttribution.Credited)
        {
            return new(Array.Empty<OutboxMessage>());
        }

        var snapshot = rules.GetAsync();
        return snapshot.IsCompletedSuccessfully
            ? new(Create(snapshot.Result, postbackSet.Id, conversion))
            : CreateAsync(snapshot, postbackSet.Id, conversion);
    }

    public override void OnStored(ConversionRecord conversion, IReadOnlyList<OutboxMessage> outboxMessages)
    {
        if (outboxMessages.Count > 0)
        {
            signal.Notify();
        }
    }

    private async ValueTask<IReadOnlyList<OutboxMessage>> CreateAsync(ValueTask<ForwardingRuleCache.Snapshot> loading, string setId, ConversionRecord conversion) =>
        Create(await loading.ConfigureAwait(false), setId, conversion);

    private OutboxMessage[] Create(ForwardingRuleCache.Snapshot snapshot, string setId, ConversionRecord conversion)
    {
        var matched = ForwardingRuleCache.Match(snapshot, setId, conversion);
        if (matched.Count == 0)
        {
            // Most sets and campaigns have no rules: nothing is allocated then.
            return [];
        }

        // Now, not the receive time: a replayed postback's messages are new, and their retry horizon starts today.
        var now = timeProvider.GetUtcNow();
        var messages = new OutboxMessage[matched.Count];
        for (var i = 0; i < messages.Length; i++)
        {
            var rule = matched[i].Rule;
            messages[i] = new OutboxMessage
            {
                Id = StoreIds.New(timeProvider),
                ConversionId = conversion.Id,
                RuleId = rule.Id,
                DestinationId = rule.DestinationId,
                CreatedAt = now,
                NextAttemptAt = now,
                RetryFrom = now,

                // The store numbers the conversion in its transaction, and writes the message only if the number is in range.
                DepositNumberCondition = rule.Filter.DepositNumber,
            };
        }

        return messages;
    }
}
