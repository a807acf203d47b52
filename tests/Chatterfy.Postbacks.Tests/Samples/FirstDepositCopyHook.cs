using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Storage;

namespace Chatterfy.Postbacks.Tests.Samples;

/// <summary>Queues every stored first deposit, of any set, for one more forwarding rule, and counts them.</summary>
public sealed class FirstDepositCopyHook(TimeProvider timeProvider) : IngestionHook
{
    public const string RuleId = "first-deposit-copy";

    private long _stored;

    public long Stored => Interlocked.Read(ref _stored);

    public override ValueTask<IReadOnlyList<OutboxMessage>> CreateOutboxMessagesAsync(
        PostbackSet postbackSet, ConversionRecord conversion, CancellationToken cancellationToken)
    {
        if (conversion.Conversion.Event.Kind != PostbackEventKind.FirstDeposit)
        {
            return new([]);
        }

        var now = timeProvider.GetUtcNow();
        OutboxMessage[] messages =
        [
            new()
            {
                Id = Guid.CreateVersion7(now).ToString("N"),
                ConversionId = conversion.Id,
                RuleId = RuleId,
                DestinationId = "http-postback",
                CreatedAt = now,
                NextAttemptAt = now,
                RetryFrom = now,
            },
        ];
        return new(messages);
    }

    // After the commit, and never for a duplicate: a count of stored first deposits.
    public override void OnStored(ConversionRecord conversion, IReadOnlyList<OutboxMessage> outboxMessages) =>
        Interlocked.Add(ref _stored, outboxMessages.Count);
}
