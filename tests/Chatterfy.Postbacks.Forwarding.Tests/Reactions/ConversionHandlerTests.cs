using System.Collections.Concurrent;
using System.Text.Json;
using Chatterfy.Postbacks.Forwarding.Reactions;
using Chatterfy.Postbacks.Forwarding.Tests.Infrastructure;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Chatterfy.Postbacks.Forwarding.Tests.Reactions;

/// <summary>The in-process reaction destination: a host's <see cref="IConversionHandler"/> through the outbox.</summary>
public sealed class ConversionHandlerTests
{
    [Fact]
    public async Task EachMatchingConversionIsHandedToTheHandlerOnce_WithItsClickSubjectEventNumberAndDeliveryId()
    {
        await using var scenario = OutboxScenario.Create(services: Register);
        var set = await scenario.CreateSetAsync();
        await HandlerRuleAsync(scenario);
        var click = await scenario.CreateClickAsync();
        var registration = await scenario.RegistrationAsync(set, click);
        var firstDeposit = await scenario.FirstDepositAsync(set, click, amount: "50.00");
        var deposit = await scenario.DepositAsync(set, click, amount: "20", transactionId: "90001");

        (await scenario.Dispatcher.DispatchOnceAsync()).Should().Be(3);
        (await scenario.Dispatcher.DispatchOnceAsync()).Should().Be(0);

        var seen = scenario.Host.Provider.GetRequiredService<Recorder>().Contexts;
        seen.Should().HaveCount(3);
        seen.Select(c => (c.Conversion.Id, c.Event, c.DepositNumber)).Should().BeEquivalentTo(
            [(registration.ConversionId!, PostbackEvent.Registration, (int?)null), (firstDeposit.ConversionId!, PostbackEvent.FirstDeposit, 1), (deposit.ConversionId!, PostbackEvent.Deposit, 2)]);
        foreach (var context in seen)
        {
            var message = await scenario.MessageAsync(context.Conversion.Id);
            context.DeliveryId.Should().Be(message.Id);
            message.Status.Should().Be(OutboxMessageStatus.Delivered);
            message.DestinationId.Should().Be(ConversionHandlerDestination.DestinationId);
            context.Click!.Id.Should().Be(click.Id);
            context.SubjectId.Should().Be("777000111");
            context.OccurredAt.Should().Be(ForwardingHost.Now);
            context.Attempt.Should().Be(1);
        }
    }

    [Fact]
    public async Task ARuleWithStatuses_HandsEachChangeToTheHandler_WithTheChangeAndTheStatusItWasFor()
    {
        await using var scenario = OutboxScenario.Create(services: Register);
        var set = await scenario.CreateSetAsync();
        await scenario.Rules.CreateAsync(new NewForwardingRule
        {
            CampaignId = OutboxScenario.Campaign,
            DestinationId = ConversionHandlerDestination.DestinationId,
            Settings = JsonSerializer.SerializeToElement(new { }),
            Filter = new ForwardingRuleFilter { Statuses = ["approved", "chargeback"] },
        });
        var click = await scenario.CreateClickAsync();
        var registration = await scenario.RegistrationAsync(set, click);
        var deposit = await scenario.IngestAsync(set, $"?click_id={click.Id}&ftd=true&amount=30&transaction_id=77&status=Hold");
        scenario.Host.Time.Advance(TimeSpan.FromHours(1));
        await scenario.IngestAsync(set, $"?click_id={click.Id}&ftd=true&amount=30&transaction_id=77&status=paid");
        scenario.Host.Time.Advance(TimeSpan.FromHours(1));
        await scenario.IngestAsync(set, $"?click_id={click.Id}&ftd=true&amount=30&transaction_id=77&status=refund");

        (await scenario.Dispatcher.DispatchOnceAsync()).Should().Be(3);

        var seen = scenario.Host.Provider.GetRequiredService<Recorder>().Contexts;
        var stored = seen.Single(c => c.Conversion.Id == registration.ConversionId);
        (stored.Status, stored.Change, stored.StatusAt).Should().Be((ConversionStatus.Approved, (ConversionStatusChange?)null, ForwardingHost.Now));
        seen.Where(c => c.Conversion.Id == deposit.ConversionId)
            .Select(c => (c.Status, c.Change!.From, c.Change.Word, c.StatusAt, c.Conversion.Status))
            .Should().BeEquivalentTo(
                [
                    (ConversionStatus.Approved, ConversionStatus.Pending, "paid", ForwardingHost.Now.AddHours(1), ConversionStatus.Chargeback),
                    (ConversionStatus.Chargeback, ConversionStatus.Approved, "refund", ForwardingHost.Now.AddHours(2), ConversionStatus.Chargeback),
                ],
                "each delivery is for its change; the conversion is as it is when delivered");
    }

    [Fact]
    public async Task AHandlerThatThrows_IsRetriedOnTheOutboxSchedule_WithTheSameDeliveryId()
    {
        await using var scenario = OutboxScenario.Create(services: Register);
        var recorder = scenario.Host.Provider.GetRequiredService<Recorder>();
        recorder.FailuresLeft = 1;
        var set = await scenario.CreateSetAsync();
        await HandlerRuleAsync(scenario);
        var result = await scenario.RegistrationAsync(set, await scenario.CreateClickAsync());

        await scenario.Dispatcher.DispatchOnceAsync();
        var pending = await scenario.MessageAsync(result.ConversionId!);
        pending.Status.Should().Be(OutboxMessageStatus.Pending);
        pending.LastErrorCode.Should().Be(DeliveryErrorCodes.DestinationException);
        pending.LastError.Should().Contain("RecordingHandler threw InvalidOperationException: the bot's database is down");
        scenario.Host.Time.Advance(pending.NextAttemptAt - ForwardingHost.Now);
        await scenario.Dispatcher.DispatchOnceAsync();

        (await scenario.ReloadAsync(pending)).Status.Should().Be(OutboxMessageStatus.Delivered);
        recorder.Contexts.Select(c => (c.DeliveryId, c.Attempt)).Should().Equal((pending.Id, 1), (pending.Id, 2));
    }

    [Fact]
    public async Task HandlerRules_TakeNoSettings()
    {
        await using var scenario = OutboxScenario.Create(services: Register);

        var act = () => scenario.Host.ProfileAsync(ConversionHandlerDestination.DestinationId, new { url = "https://bot.example" });

        (await act.Should().ThrowAsync<InvalidDestinationSettingsException>()).Which.Errors.Single().Field.Should().Be("settings");
        (await scenario.Host.ProfileAsync(ConversionHandlerDestination.DestinationId, new { })).Should().NotBeNull();
    }

    [Fact]
    public async Task WithoutAHandlerRegistered_TheDestinationIsUnknown()
    {
        await using var scenario = OutboxScenario.Create();

        var act = () => scenario.Host.ProfileAsync(ConversionHandlerDestination.DestinationId, new { });

        (await act.Should().ThrowAsync<InvalidDestinationSettingsException>()).Which.Errors.Single().Message.Should().Contain("'handler' is not a registered forwarding destination");
    }

    private static void Register(IServiceCollection services)
    {
        services.AddSingleton<Recorder>();
        services.AddChatterfyPostbacks().AddConversionHandler<RecordingHandler>();
    }

    private static async Task HandlerRuleAsync(OutboxScenario scenario) =>
        await scenario.Rules.CreateAsync(new NewForwardingRule
        {
            CampaignId = OutboxScenario.Campaign,
            DestinationId = ConversionHandlerDestination.DestinationId,
            Settings = JsonSerializer.SerializeToElement(new { }),
        });

    private sealed class Recorder
    {
        public ConcurrentQueue<ConversionContext> Queue { get; } = new();

        public IReadOnlyList<ConversionContext> Contexts => [.. Queue];

        public int FailuresLeft { get; set; }
    }

    private sealed class RecordingHandler(Recorder recorder) : IConversionHandler
    {
        public ValueTask HandleAsync(ConversionContext context, CancellationToken cancellationToken)
        {
            recorder.Queue.Enqueue(context);
            if (recorder.FailuresLeft > 0)
            {
                recorder.FailuresLeft--;
                throw new InvalidOperationException("the bot's database is down");
            }

            return ValueTask.CompletedTask;
        }
    }
}
