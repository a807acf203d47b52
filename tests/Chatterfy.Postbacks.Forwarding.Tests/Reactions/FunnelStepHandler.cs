using System.Collections.Concurrent;
using Chatterfy.Postbacks.Forwarding.Reactions;

namespace Chatterfy.Postbacks.Forwarding.Tests.Reactions;

// The bot's auto actions: registration → step REG, first deposit → FD, Chatterfy's resale#2 (the second repeat deposit,
// deposit number 3) → RD2. Delivery is at least once, so the effect is keyed by the delivery id.
public sealed class FunnelStepHandler(FunnelSteps steps) : IConversionHandler
{
    public ValueTask HandleAsync(ConversionContext context, CancellationToken cancellationToken)
    {
        var step = (context.Event.Name, context.DepositNumber) switch
        {
            ("registration", _) => "REG",
            ("first-deposit", _) => "FD",
            ("deposit", 3) => "RD2",
            _ => null,
        };
        if (step is not null && context.SubjectId is { } chat)
        {
            steps.MoveOnce(context.DeliveryId, chat, step);
        }

        return ValueTask.CompletedTask;
    }
}

// Stands for the bot's database: a unique key on the delivery id makes a redelivery change nothing.
public sealed class FunnelSteps
{
    private readonly ConcurrentDictionary<string, (string Chat, string Step)> _moves = new();

    public IReadOnlyCollection<(string Chat, string Step)> Moves => [.. _moves.Values];

    public void MoveOnce(string deliveryId, string chat, string step) => _moves.TryAdd(deliveryId, (chat, step));
}
