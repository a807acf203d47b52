using System.Net;
using Chatterfy.Postbacks.Networks;
using Chatterfy.Postbacks.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Xunit;

namespace YourApp.IntegrationTests;

public sealed class ReceiverTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("postbacks-test-").FullName;
    private readonly WebApplicationFactory<Program> _factory;

    public ReceiverTests()
    {
        // Your own host, on a SQLite file of its own.
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("Postbacks:Sqlite:DataSource", Path.Combine(_directory, "postbacks.db"));
            web.UseSetting("Tracker:ApiKey", "test-key");
        });
    }

    [Fact]
    public async Task A_1Win_postback_whose_click_id_macro_was_not_substituted_is_rejected()
    {
        var simulator = new PostbackSimulator(_factory.CreateClient());
        var apiKey = new KeyValuePair<string, string>("X-Api-Key", "test-key");
        var set = await simulator.CreateSetAsync(NetworkIds.OneWin, apiKeyHeader: apiKey);
        var clickId = await simulator.CreateClickAsync(apiKeyHeader: apiKey);

        var results = await simulator.SendAsync(
            set.Urls,
            new OneWinPostback(SimulatedEvent.FirstDeposit, clickId) { Amount = 20.00m, TransactionId = "T-1" },
            new PostbackSimulationOptions { LeaveUnsubstituted = ["{sub1}"] });

        var result = results.Single();
        Assert.Equal(HttpStatusCode.BadRequest, result.StatusCode);
        Assert.Equal("macro_not_substituted", result.Code);
    }

    public void Dispose()
    {
        _factory.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
