using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Chatterfy.Postbacks.AspNetCore.Tests;

/// <summary>The sample host as the README runs it, on a SQLite file of its own, through WebApplicationFactory.</summary>
public sealed class SampleHostTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("chatterfy-sample-").FullName;
    private readonly WebApplicationFactory<Program> _factory;

    public SampleHostTests()
    {
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Postbacks:Sqlite:DataSource", Path.Combine(_directory, "postbacks.db"));
            builder.UseSetting("Tracker:ApiKey", "test-key");
        });
    }

    [Fact]
    public async Task CountsAFirstDepositFromSetToStatsOnSqlite()
    {
        var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", "test-key");
        using var created = await client.PostAsJsonAsync("/api/tracker/postback-sets", new { name = "Binomo", network = "binomo" });
        var set = await created.Content.ReadFromJsonAsync<JsonElement>();
        using var clickResponse = await client.PostAsJsonAsync("/api/tracker/clicks", new { campaignId = "spring" });
        var clickId = (await clickResponse.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("clickId").GetString();
        var firstDeposit = new Uri(set.GetProperty("urls").GetProperty("firstDeposit").GetString()!).PathAndQuery;

        using var accepted = await client.GetAsync($"{firstDeposit}?click_id={clickId}&amount=50.00&transaction_id=1");
        using var retried = await client.GetAsync($"{firstDeposit}?click_id={clickId}&amount=50.00&transaction_id=1");
        var stats = await client.GetFromJsonAsync<JsonElement>("/api/tracker/stats");

        created.StatusCode.Should().Be(HttpStatusCode.Created);
        (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString().Should().Be("accepted");
        (await retried.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString().Should().Be("duplicate");
        stats.GetProperty("firstDeposits").GetInt64().Should().Be(1);
        stats.GetProperty("amounts")[0].GetProperty("firstDeposits").GetDecimal().Should().Be(50.00m);
        File.Exists(Path.Combine(_directory, "postbacks.db")).Should().BeTrue();
    }

    [Fact]
    public async Task RefusesTheTrackerApiWithoutTheKeyButNotTheReceiver()
    {
        var client = _factory.CreateClient();

        using var tracker = await client.GetAsync("/api/tracker/stats");
        using var receiver = await client.GetAsync("/api/postbacks/AAAAAAAAAAAAAAAAAAAAAA/registration?clickid=abc");
        using var health = await client.GetAsync("/health");

        tracker.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        receiver.StatusCode.Should().Be(HttpStatusCode.NotFound, "the receiver is anonymous: an unknown token is the only answer");
        health.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task RunsOnTheInMemoryStoreWhenConfigured()
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Postbacks:Store", "InMemory");
            builder.UseSetting("Tracker:ApiKey", "test-key");
        });
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", "test-key");
        using var created = await client.PostAsJsonAsync("/api/tracker/postback-sets", new { name = "1Win", network = "1win" });
        var set = await created.Content.ReadFromJsonAsync<JsonElement>();
        using var clickResponse = await client.PostAsJsonAsync("/api/tracker/clicks", new { campaignId = "spring" });
        var clickId = (await clickResponse.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("clickId").GetString();
        var deposit = new Uri(set.GetProperty("urls").GetProperty("deposit").GetString()!).AbsolutePath;

        using var accepted = await client.GetAsync($"{deposit}?clickid={clickId}&amount=10&tid=t-1");
        var stats = await client.GetFromJsonAsync<JsonElement>("/api/tracker/stats");

        (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString().Should().Be("accepted");
        stats.GetProperty("deposits").GetInt64().Should().Be(1);
        File.Exists(Path.Combine(_directory, "postbacks.db")).Should().BeFalse("the in-memory store writes no file");
        Directory.GetFiles(AppContext.BaseDirectory, "postbacks.db").Should().BeEmpty();
    }

    [Fact]
    public void RefusesAnUnknownStore()
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder => builder.UseSetting("Postbacks:Store", "Redis"));

        var act = () => factory.CreateClient();

        act.Should().Throw<InvalidOperationException>().WithMessage("*Postbacks:Store is 'Redis'*");
    }

    public void Dispose()
    {
        _factory.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
