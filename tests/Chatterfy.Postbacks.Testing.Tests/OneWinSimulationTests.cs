using System.Net;
using Chatterfy.Postbacks.Networks;
using Chatterfy.Postbacks.Testing.Tests.Infrastructure;
using Xunit;

namespace Chatterfy.Postbacks.Testing.Tests;

/// <summary>1Win calls the URL of the event's postback field and replaces its macros textually.</summary>
public sealed class OneWinSimulationTests
{
    [Fact]
    public async Task A_first_deposit_with_the_click_id_in_sub4_is_accepted_with_its_values()
    {
        await using var host = await ReceiverHost.StartAsync();
        var set = await host.Simulator.CreateSetAsync(NetworkIds.OneWin, settingsJson: """{"clickIdSub":"sub4"}""");
        var clickId = await host.Simulator.CreateClickAsync();

        var result = (await host.Simulator.SendAsync(
            set.Urls,
            new OneWinPostback(SimulatedEvent.FirstDeposit, clickId)
            {
                ClickIdSub = "sub4",
                UserId = "991",
                Country = "BR",
                Amount = 50.00m,
                TransactionId = "88123",
            })).Single();

        result.Status.Should().Be("accepted", result.ToString());
        new Uri(result.Url).Query.Should().Be($"?clickid={clickId}&fields.user_id=991&fields.country=BR&amount=50.00&tid=88123");
        var conversion = (await host.GetConversionsAsync(clickId)).Single();
        conversion.GetProperty("amount").GetDecimal().Should().Be(50.00m);
        conversion.GetProperty("tid").GetString().Should().Be("88123");
    }

    [Fact]
    public async Task Macros_1Win_has_no_value_for_are_replaced_with_nothing()
    {
        await using var host = await ReceiverHost.StartAsync();
        var set = await host.Simulator.CreateSetAsync(NetworkIds.OneWin);
        var clickId = await host.Simulator.CreateClickAsync();

        var result = (await host.Simulator.SendAsync(set.Urls, new OneWinPostback(SimulatedEvent.Registration, clickId))).Single();

        new Uri(result.Url).Query.Should().Be($"?clickid={clickId}&fields.user_id=&fields.country=");
        result.Status.Should().Be("accepted", result.ToString());
    }

    [Theory]
    [InlineData(UnsubstitutedMacroStyle.AsWritten, "clickid=%7Bsub1%7D")]
    [InlineData(UnsubstitutedMacroStyle.PercentEncoded, "clickid=%257Bsub1%257D")]
    public async Task A_click_id_macro_left_unsubstituted_is_rejected_as_macro_not_substituted(UnsubstitutedMacroStyle style, string sent)
    {
        await using var host = await ReceiverHost.StartAsync();
        var set = await host.Simulator.CreateSetAsync(NetworkIds.OneWin);
        var clickId = await host.Simulator.CreateClickAsync();

        var result = (await host.Simulator.SendAsync(
            set.Urls,
            new OneWinPostback(SimulatedEvent.FirstDeposit, clickId) { Amount = 10m, TransactionId = "T-1" },
            new PostbackSimulationOptions { LeaveUnsubstituted = ["{sub1}"], UnsubstitutedMacroStyle = style })).Single();

        result.Url.Should().Contain(sent);
        result.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        result.Code.Should().Be("macro_not_substituted", result.ToString());
        (await host.GetConversionsAsync(clickId)).Should().BeEmpty();
    }

    [Fact]
    public async Task A_comma_decimal_amount_is_accepted_as_the_exact_decimal()
    {
        await using var host = await ReceiverHost.StartAsync();
        var set = await host.Simulator.CreateSetAsync(NetworkIds.OneWin);
        var clickId = await host.Simulator.CreateClickAsync();

        var result = (await host.Simulator.SendAsync(
            set.Urls,
            new OneWinPostback(SimulatedEvent.Deposit, clickId) { Amount = 12.50m, TransactionId = "D-1" },
            new PostbackSimulationOptions { CommaDecimals = true })).Single();

        result.Url.Should().Contain("&amount=12,50&");
        result.Status.Should().Be("accepted", result.ToString());
        var conversion = (await host.GetConversionsAsync(clickId)).Single();
        conversion.GetProperty("event").GetString().Should().Be("deposit");
        conversion.GetProperty("amount").GetDecimal().Should().Be(12.50m);
        conversion.GetProperty("amount").GetRawText().Should().Be("12.50");
    }

    [Fact]
    public async Task A_comma_amount_that_could_be_a_thousands_separator_is_rejected_as_ambiguous()
    {
        await using var host = await ReceiverHost.StartAsync();
        var set = await host.Simulator.CreateSetAsync(NetworkIds.OneWin);
        var clickId = await host.Simulator.CreateClickAsync();

        var result = (await host.Simulator.SendAsync(
            set.Urls,
            new OneWinPostback(SimulatedEvent.Deposit, clickId) { Amount = 1.234m, TransactionId = "D-2" },
            new PostbackSimulationOptions { CommaDecimals = true })).Single();

        result.Url.Should().Contain("&amount=1,234&");
        result.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        result.Code.Should().Be("amount_ambiguous");
        result.Detail.Should().Contain("1,234");
        (await host.GetStatsAsync()).GetProperty("rejected").GetInt64().Should().Be(1);
    }

    [Fact]
    public async Task Macros_renamed_in_the_settings_are_given_by_their_text()
    {
        await using var host = await ReceiverHost.StartAsync();
        var set = await host.Simulator.CreateSetAsync(
            NetworkIds.OneWin,
            settingsJson: """{"clickIdSub":"sub2","macros":{"amount":"{deposit_sum}","transactionId":"{event_id}"}}""");
        var clickId = await host.Simulator.CreateClickAsync();

        var result = (await host.Simulator.SendAsync(
            set.Urls,
            new OneWinPostback(SimulatedEvent.FirstDeposit, clickId)
            {
                ClickIdSub = "sub2",
                Macros = { ["{deposit_sum}"] = "75.25", ["{event_id}"] = "E-9" },
            })).Single();

        result.Status.Should().Be("accepted", result.ToString());
        var conversion = (await host.GetConversionsAsync(clickId)).Single();
        conversion.GetProperty("amount").GetDecimal().Should().Be(75.25m);
        conversion.GetProperty("tid").GetString().Should().Be("E-9");
    }
}
