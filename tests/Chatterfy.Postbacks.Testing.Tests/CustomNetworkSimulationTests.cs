using Chatterfy.Postbacks.Networks;
using Chatterfy.Postbacks.Testing.Tests.Infrastructure;
using Xunit;

namespace Chatterfy.Postbacks.Testing.Tests;

/// <summary>A custom network replaces the macros the marketer configured on the set, textually.</summary>
public sealed class CustomNetworkSimulationTests
{
    private const string Settings =
        """{"clickIdMacro":"{subid}","amountMacro":"{payout}","currencyMacro":"{currency}","transactionIdMacro":"{txid}","fields":{"country":"{geo}","offer":"[offer_id]"}}""";

    [Fact]
    public async Task A_first_deposit_with_every_macro_substituted_is_accepted_with_its_values()
    {
        await using var host = await ReceiverHost.StartAsync();
        var set = await host.Simulator.CreateSetAsync(NetworkIds.Custom, settingsJson: Settings);
        var clickId = await host.Simulator.CreateClickAsync();

        var result = (await host.Simulator.SendAsync(
            set.Urls,
            new CustomPostback(SimulatedEvent.FirstDeposit)
            {
                Amount = 25.00m,
                AmountMacro = "{payout}",
                Macros = { ["{subid}"] = clickId, ["{currency}"] = "eur", ["{txid}"] = "T-1", ["{geo}"] = "DE", ["[offer_id]"] = "77" },
            })).Single();

        new Uri(result.Url).Query.Should().Be($"?clickid={clickId}&amount=25.00&currency=eur&tid=T-1&fields.country=DE&fields.offer=77");
        result.Status.Should().Be("accepted", result.ToString());
        result.Warnings.Should().BeEmpty();
        var conversion = (await host.GetConversionsAsync(clickId)).Single();
        conversion.GetProperty("amount").GetDecimal().Should().Be(25.00m);
        conversion.GetProperty("currency").GetString().Should().Be("EUR");
        conversion.GetProperty("tid").GetString().Should().Be("T-1");
    }

    [Fact]
    public async Task A_macro_the_network_does_not_know_stays_as_written_and_an_optional_one_is_ignored_with_a_warning()
    {
        await using var host = await ReceiverHost.StartAsync();
        var set = await host.Simulator.CreateSetAsync(NetworkIds.Custom, settingsJson: Settings);
        var clickId = await host.Simulator.CreateClickAsync();

        var result = (await host.Simulator.SendAsync(
            set.Urls,
            new CustomPostback(SimulatedEvent.Registration) { Macros = { ["{subid}"] = clickId } })).Single();

        result.Url.Should().Contain("fields.country=%7Bgeo%7D&fields.offer=[offer_id]");
        result.Status.Should().Be("accepted", result.ToString());
        result.Warnings.Should().Contain("macro_ignored");
    }

    [Fact]
    public async Task A_custom_event_goes_to_its_own_path_after_the_token_with_a_negative_amount()
    {
        await using var host = await ReceiverHost.StartAsync();
        var set = await host.Simulator.CreateSetAsync(NetworkIds.Custom, settingsJson: """{"clickIdMacro":"{subid}","amountMacro":"{payout}"}""");
        var clickId = await host.Simulator.CreateClickAsync();

        var result = (await host.Simulator.SendAsync(
            set.Urls,
            new CustomPostback(SimulatedEvent.Custom("withdrawal")) { Amount = -30.00m, AmountMacro = "{payout}", Macros = { ["{subid}"] = clickId } })).Single();

        new Uri(result.Url).AbsolutePath.Should().Be(new Uri(set.Urls.Base).AbsolutePath + "/withdrawal");
        result.Status.Should().Be("accepted", result.ToString());
        var conversion = (await host.GetConversionsAsync(clickId)).Single();
        conversion.GetProperty("event").GetString().Should().Be("withdrawal");
        conversion.GetProperty("amount").GetDecimal().Should().Be(-30.00m);
    }

    [Fact]
    public async Task One_url_for_all_events_names_the_event_through_the_status_macro()
    {
        await using var host = await ReceiverHost.StartAsync();
        var set = await host.Simulator.CreateSetAsync(
            NetworkIds.Custom,
            settingsJson: """{"clickIdMacro":"{subid}","amountMacro":"{payout}","eventMacro":"{status}"}""");
        var clickId = await host.Simulator.CreateClickAsync();

        var result = (await host.Simulator.SendAsync(
            set.Urls,
            new CustomPostback(SimulatedEvent.FirstDeposit)
            {
                Target = PostbackTarget.BareUrl,
                Amount = 9.99m,
                AmountMacro = "{payout}",
                Macros = { ["{subid}"] = clickId, ["{status}"] = "sale" },
            })).Single();

        result.Status.Should().Be("accepted", result.ToString());
        (await host.GetConversionsAsync(clickId)).Single().GetProperty("event").GetString().Should().Be("first-deposit");
    }
}
