using System.Net.Http.Json;
using System.Text.Json;
using Chatterfy.Postbacks.Networks;
using Chatterfy.Postbacks.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace YourApp.IntegrationTests;

public sealed class PostbackFunnelTests
{
    [Fact]
    public async Task Binomo_and_1Win_conversions_are_counted_once_each()
    {
        // A receiver for this test: TestServer, the in-memory store, a fake clock.
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero)));
        builder.Services.AddChatterfyPostbacks().UseInMemoryStore();
        await using var app = builder.Build();
        app.MapChatterfyPostbacks();
        app.MapChatterfyTrackerApi();
        await app.StartAsync();
        using var client = app.GetTestClient();

        // What the marketer and the bot do: two postback sets and a click.
        var simulator = new PostbackSimulator(client);
        var binomo = await simulator.CreateSetAsync(NetworkIds.Binomo);
        var oneWin = await simulator.CreateSetAsync(NetworkIds.OneWin, settingsJson: """{"clickIdSub":"sub4"}""");
        var clickId = await simulator.CreateClickAsync(campaignId: "spring");

        // 1Win reports the registration; the click id travels in sub4.
        var registration = await simulator.SendAsync(
            oneWin.Urls,
            new OneWinPostback(SimulatedEvent.Registration, clickId) { ClickIdSub = "sub4", UserId = "991", Country = "BR" });

        // Binomo reports the first deposit on its bare URL (ftd=true), then retries it.
        var firstDeposit = await simulator.SendAsync(
            binomo.Urls,
            new BinomoPostback(SimulatedEvent.FirstDeposit, clickId)
            {
                Target = PostbackTarget.BareUrl,
                Amount = 50.00m,
                TransactionId = "88123",
            },
            new PostbackSimulationOptions { Retries = 1 });

        // A repeat deposit with a decimal comma, sent twice at the same moment.
        var deposit = await simulator.SendAsync(
            binomo.Urls,
            new BinomoPostback(SimulatedEvent.Deposit, clickId) { Amount = 12.50m, TransactionId = "88124" },
            new PostbackSimulationOptions { CommaDecimals = true, ConcurrentCopies = 2 });

        Assert.Equal("accepted", registration.Single().Status);
        Assert.Equal(["accepted", "duplicate"], firstDeposit.Select(r => r.Status));
        Assert.Equal(firstDeposit[0].ConversionId, firstDeposit[1].ConversionId);
        Assert.Equal(1, deposit.Count(r => r.Status == "accepted"));

        var stats = await client.GetFromJsonAsync<JsonElement>("/api/tracker/stats");
        Assert.Equal(1, stats.GetProperty("registrations").GetInt64());
        Assert.Equal(1, stats.GetProperty("firstDeposits").GetInt64());
        Assert.Equal(1, stats.GetProperty("deposits").GetInt64());
        Assert.Equal(50.00m, stats.GetProperty("amounts")[0].GetProperty("firstDeposits").GetDecimal());
        Assert.Equal(12.50m, stats.GetProperty("amounts")[0].GetProperty("deposits").GetDecimal());
    }
}
