using System.Net;
using Chatterfy.Postbacks.Networks;
using Chatterfy.Postbacks.Testing.Tests.Infrastructure;
using Xunit;

namespace Chatterfy.Postbacks.Testing.Tests;

/// <summary>Binomo appends its own query to the URL from its panel: on the event URL, or on the bare URL with a flag.</summary>
public sealed class BinomoSimulationTests
{
    [Fact]
    public async Task A_first_deposit_on_the_event_url_is_accepted_and_credited_to_the_click()
    {
        await using var host = await ReceiverHost.StartAsync();
        var set = await host.Simulator.CreateSetAsync(NetworkIds.Binomo);
        var clickId = await host.Simulator.CreateClickAsync();

        var results = await host.Simulator.SendAsync(
            set.Urls,
            new BinomoPostback(SimulatedEvent.FirstDeposit, clickId) { Amount = 50.00m, TransactionId = "88123", UserId = "991" });

        var result = results.Single();
        result.StatusCode.Should().Be(HttpStatusCode.OK);
        result.Status.Should().Be("accepted", result.ToString());
        result.Url.Should().Be($"{host.Client.BaseAddress!.GetLeftPart(UriPartial.Authority)}{new Uri(set.Urls.FirstDeposit).AbsolutePath}?click_id={clickId}&amount=50.00&transaction_id=88123&user_id=991");
        var conversion = (await host.GetConversionsAsync(clickId)).Single();
        conversion.GetProperty("id").GetString().Should().Be(result.ConversionId);
        conversion.GetProperty("event").GetString().Should().Be("first-deposit");
        conversion.GetProperty("amount").GetDecimal().Should().Be(50.00m);
        conversion.GetProperty("currency").GetString().Should().Be("USD");
    }

    [Fact]
    public async Task A_first_deposit_on_the_bare_url_carries_the_ftd_flag_and_is_accepted()
    {
        await using var host = await ReceiverHost.StartAsync();
        var set = await host.Simulator.CreateSetAsync(NetworkIds.Binomo);
        var clickId = await host.Simulator.CreateClickAsync();

        var results = await host.Simulator.SendAsync(
            set.Urls,
            new BinomoPostback(SimulatedEvent.FirstDeposit, clickId) { Amount = 50.00m, TransactionId = "88123", Target = PostbackTarget.BareUrl });

        var result = results.Single();
        result.Status.Should().Be("accepted", result.ToString());
        new Uri(result.Url).AbsolutePath.Should().Be(new Uri(set.Urls.Base).AbsolutePath);
        new Uri(result.Url).Query.Should().Be($"?click_id={clickId}&ftd=true&amount=50.00&transaction_id=88123");
        (await host.GetConversionsAsync(clickId)).Single().GetProperty("event").GetString().Should().Be("first-deposit");
    }

    [Theory]
    [InlineData("registration", "reg")]
    [InlineData("deposit", "dep")]
    public async Task Each_event_on_the_bare_url_is_named_by_its_default_flag(string eventName, string flag)
    {
        await using var host = await ReceiverHost.StartAsync();
        var set = await host.Simulator.CreateSetAsync(NetworkIds.Binomo);
        var clickId = await host.Simulator.CreateClickAsync();
        var simulatedEvent = eventName == "registration" ? SimulatedEvent.Registration : SimulatedEvent.Deposit;

        var result = (await host.Simulator.SendAsync(
            set.Urls,
            new BinomoPostback(simulatedEvent, clickId) { Amount = 5m, TransactionId = "T-1", Target = PostbackTarget.BareUrl })).Single();

        result.Status.Should().Be("accepted", result.ToString());
        result.Url.Should().Contain($"&{flag}=true&");
        (await host.GetConversionsAsync(clickId)).Single().GetProperty("event").GetString().Should().Be(eventName);
    }

    [Fact]
    public async Task A_retried_first_deposit_is_a_duplicate_of_the_same_conversion()
    {
        await using var host = await ReceiverHost.StartAsync();
        var set = await host.Simulator.CreateSetAsync(NetworkIds.Binomo);
        var clickId = await host.Simulator.CreateClickAsync();

        var results = await host.Simulator.SendAsync(
            set.Urls,
            new BinomoPostback(SimulatedEvent.FirstDeposit, clickId) { Amount = 50.00m, TransactionId = "88123" },
            new PostbackSimulationOptions { Retries = 2 });

        results.Select(r => r.Status).Should().Equal("accepted", "duplicate", "duplicate");
        results.Select(r => r.Attempt).Should().Equal(1, 2, 3);
        results.Select(r => r.ConversionId).Distinct().Should().ContainSingle().Which.Should().NotBeNullOrEmpty();
        results.Should().OnlyContain(r => r.Acknowledged);
        (await host.GetStatsAsync()).GetProperty("firstDeposits").GetInt64().Should().Be(1);
    }

    [Fact]
    public async Task Ten_concurrent_copies_of_a_first_deposit_store_one_conversion_and_answer_nine_duplicates()
    {
        await using var host = await ReceiverHost.StartAsync();
        var set = await host.Simulator.CreateSetAsync(NetworkIds.Binomo);
        var clickId = await host.Simulator.CreateClickAsync();

        var results = await host.Simulator.SendAsync(
            set.Urls,
            new BinomoPostback(SimulatedEvent.FirstDeposit, clickId) { Amount = 50.00m, TransactionId = "88123" },
            new PostbackSimulationOptions { ConcurrentCopies = 10 });

        results.Should().HaveCount(10);
        results.Count(r => r.Status == "accepted").Should().Be(1);
        results.Count(r => r.Status == "duplicate").Should().Be(9);
        results.Select(r => r.ConversionId).Distinct().Should().ContainSingle();
        results.Select(r => r.Copy).Should().Equal(Enumerable.Range(1, 10));
        (await host.GetConversionsAsync(clickId)).Should().ContainSingle();
        var stats = await host.GetStatsAsync();
        stats.GetProperty("firstDeposits").GetInt64().Should().Be(1);
        stats.GetProperty("amounts")[0].GetProperty("firstDeposits").GetDecimal().Should().Be(50.00m);
    }

    [Fact]
    public async Task A_flag_renamed_in_the_panel_and_in_the_settings_names_the_event()
    {
        await using var host = await ReceiverHost.StartAsync();
        var set = await host.Simulator.CreateSetAsync(NetworkIds.Binomo, settingsJson: """{"eventFlags":{"first_dep":"first-deposit"}}""");
        var clickId = await host.Simulator.CreateClickAsync();

        var result = (await host.Simulator.SendAsync(
            set.Urls,
            new BinomoPostback(SimulatedEvent.FirstDeposit, clickId) { Amount = 20m, TransactionId = "1", Target = PostbackTarget.BareUrl, EventFlag = "first_dep" })).Single();

        result.Status.Should().Be("accepted", result.ToString());
        result.Url.Should().Contain("&first_dep=true&");
    }

    [Fact]
    public async Task Binomo_appends_its_question_mark_even_to_a_url_with_a_query_and_the_receiver_repairs_it()
    {
        await using var host = await ReceiverHost.StartAsync();
        var set = await host.Simulator.CreateSetAsync(NetworkIds.Binomo);
        var clickId = await host.Simulator.CreateClickAsync();
        var pastedWithQuery = set.Urls with { Registration = set.Urls.Registration + "?source=panel" };

        var result = (await host.Simulator.SendAsync(pastedWithQuery, new BinomoPostback(SimulatedEvent.Registration, clickId))).Single();

        result.Url.Should().EndWith($"/registration?source=panel?click_id={clickId}");
        result.Status.Should().Be("accepted", result.ToString());
        result.Warnings.Should().Contain("query_repaired");
    }

    [Fact]
    public async Task A_click_id_left_as_binomos_literal_variable_is_rejected_as_macro_not_substituted()
    {
        await using var host = await ReceiverHost.StartAsync();
        var set = await host.Simulator.CreateSetAsync(NetworkIds.Binomo);

        var result = (await host.Simulator.SendAsync(
            set.Urls,
            new BinomoPostback(SimulatedEvent.Registration, clickId: null),
            new PostbackSimulationOptions { LeaveUnsubstituted = ["{click_id}"] })).Single();

        result.Url.Should().EndWith("/registration?click_id=%7Bclick_id%7D");
        result.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        result.Code.Should().Be("macro_not_substituted");
        result.Status.Should().BeNull();
    }
}
