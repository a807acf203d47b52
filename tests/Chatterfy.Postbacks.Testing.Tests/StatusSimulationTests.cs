using Chatterfy.Postbacks.Networks;
using Chatterfy.Postbacks.Testing.Tests.Infrastructure;
using Xunit;

namespace Chatterfy.Postbacks.Testing.Tests;

/// <summary>Each network's postback can carry a status in the network's own word, under the parameter it uses.</summary>
public sealed class StatusSimulationTests
{
    [Fact]
    public async Task A_Binom_style_hold_is_appended_to_Binomos_query_as_cnv_status()
    {
        await using var host = await ReceiverHost.StartAsync();
        var set = await host.Simulator.CreateSetAsync(NetworkIds.Binomo);
        var clickId = await host.Simulator.CreateClickAsync();

        var result = (await host.Simulator.SendAsync(
            set.Urls,
            new BinomoPostback(SimulatedEvent.FirstDeposit, clickId) { Amount = 50.00m, TransactionId = "88123", Status = "Hold", StatusParameter = "cnv_status" })).Single();

        new Uri(result.Url).Query.Should().Be($"?click_id={clickId}&amount=50.00&transaction_id=88123&cnv_status=Hold");
        result.Acknowledged.Should().BeTrue(result.ToString());
        result.Warnings.Should().BeEmpty("hold is a word of the default map");
    }

    [Fact]
    public async Task A_1Win_status_word_the_map_does_not_list_is_sent_verbatim_and_warned()
    {
        await using var host = await ReceiverHost.StartAsync();
        var set = await host.Simulator.CreateSetAsync(NetworkIds.OneWin);
        var clickId = await host.Simulator.CreateClickAsync();

        var result = (await host.Simulator.SendAsync(
            set.Urls,
            new OneWinPostback(SimulatedEvent.Deposit, clickId) { Amount = 20m, TransactionId = "T-2", Status = "Lead Won" })).Single();

        result.Url.Should().EndWith("&status=Lead%20Won");
        result.Warnings.Should().Contain("status_unknown");
    }

    [Fact]
    public async Task A_custom_networks_status_goes_under_its_own_parameter()
    {
        await using var host = await ReceiverHost.StartAsync();
        var set = await host.Simulator.CreateSetAsync(NetworkIds.Custom, settingsJson: """{"clickIdMacro":"{subid}"}""");
        var clickId = await host.Simulator.CreateClickAsync();

        var result = (await host.Simulator.SendAsync(
            set.Urls,
            new CustomPostback(SimulatedEvent.Registration) { Macros = { ["{subid}"] = clickId }, Status = "refund", StatusParameter = "goal_status" })).Single();

        result.Url.Should().EndWith("&goal_status=refund");
        result.Acknowledged.Should().BeTrue(result.ToString());
    }
}
