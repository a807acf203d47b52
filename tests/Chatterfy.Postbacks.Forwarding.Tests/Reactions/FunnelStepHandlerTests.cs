using System.Text.Json;
using Chatterfy.Postbacks.Forwarding.Reactions;
using Chatterfy.Postbacks.Forwarding.Tests.Infrastructure;
using Chatterfy.Postbacks.Tests.Repository;
using Microsoft.Extensions.DependencyInjection;

namespace Chatterfy.Postbacks.Forwarding.Tests.Reactions;

/// <summary>docs/telegram.md's handler, as compiled here, does what the page says.</summary>
public sealed class FunnelStepHandlerTests
{
    [Fact]
    public async Task HandleAsync_RegistrationFirstDepositAndResale2_MoveTheChatUserOnceEach_EvenWhenRedelivered()
    {
        await using var scenario = OutboxScenario.Create(services: s =>
        {
            s.AddSingleton<FunnelSteps>();
            s.AddChatterfyPostbacks().AddConversionHandler<FunnelStepHandler>();
        });
        var set = await scenario.CreateSetAsync();
        await scenario.Rules.CreateAsync(new NewForwardingRule
        {
            CampaignId = OutboxScenario.Campaign,
            DestinationId = ConversionHandlerDestination.DestinationId,
            Settings = JsonSerializer.SerializeToElement(new { }),
        });
        var click = await scenario.CreateClickAsync();
        await scenario.RegistrationAsync(set, click);
        await scenario.FirstDepositAsync(set, click);
        await scenario.DepositAsync(set, click, "20", "t-2");
        var resale2 = await scenario.DepositAsync(set, click, "30", "t-3");

        await scenario.Dispatcher.DispatchOnceAsync();
        var redelivery = await scenario.MessageAsync(resale2.ConversionId!);
        await new FunnelStepHandler(scenario.Host.Provider.GetRequiredService<FunnelSteps>()).HandleAsync(
            new ConversionContext
            {
                DeliveryId = redelivery.Id,
                Conversion = (await scenario.Store.Ingest.GetConversionAsync(resale2.ConversionId!, default))!,
                Click = click,
                Attempt = 2,
            },
            CancellationToken.None);

        scenario.Host.Provider.GetRequiredService<FunnelSteps>().Moves.Should().BeEquivalentTo(
            [("777000111", "REG"), ("777000111", "FD"), ("777000111", "RD2")]);
    }

    [Fact]
    public void TelegramPage_ShowsTheCompiledHandlerVerbatim()
    {
        var sample = Checkout.ReadText("tests/Chatterfy.Postbacks.Forwarding.Tests/Reactions/FunnelStepHandler.cs");

        Checkout.ReadText("docs/telegram.md").Should().Contain("```csharp\n" + sample + "```\n", "docs/telegram.md shows the handler as it is compiled here");
    }
}
