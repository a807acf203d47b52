using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Chatterfy.Postbacks.PostgreSql.Tests;

/// <summary>Two receiver hosts over one PostgreSQL schema, as two instances behind a load balancer.</summary>
public sealed class TwoReceiverInstancesTests
{
    [PostgresFact]
    public async Task SamePostbackSentFiftyTimesAtOnceToTwoInstances_IsCountedOnce()
    {
        await using var database = new PostgresTestDatabase();
        var schema = database.NewSchema();
        await using var first = await StartHostAsync(schema);
        await using var second = await StartHostAsync(schema);
        var set = await CreateSetAsync(first.GetTestClient());
        var click = await CreateClickAsync(second.GetTestClient());
        var url = $"/api/postbacks/{set.Token}/first-deposit?clickid={click}&amount=25.50&tid=T-1";
        var clients = new[] { first.GetTestClient(), second.GetTestClient() };
        using var go = new ManualResetEventSlim();

        var sends = Enumerable.Range(0, 50).Select(i => Task.Run(async () =>
        {
            go.Wait();
            using var response = await clients[i % 2].GetAsync(url);
            response.StatusCode.Should().Be(HttpStatusCode.OK);
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        })).ToArray();
        go.Set();
        var answers = await Task.WhenAll(sends);

        answers.Count(a => a.GetProperty("status").GetString() == "accepted").Should().Be(1);
        answers.Count(a => a.GetProperty("status").GetString() == "duplicate").Should().Be(49);
        answers.Select(a => a.GetProperty("conversionId").GetString()).Distinct().Should().ContainSingle();
        var stats = await first.GetTestClient().GetFromJsonAsync<JsonElement>("/api/tracker/stats");
        stats.GetProperty("firstDeposits").GetInt64().Should().Be(1);
        stats.GetProperty("amounts")[0].GetProperty("firstDeposits").GetDecimal().Should().Be(25.50m);
    }

    [PostgresFact]
    public async Task SamePostbackAfterTheCampaignsWindowSentFiftyTimesAtOnceToTwoInstances_IsOneUnattributedConversionDecidedAlikeByAll()
    {
        await using var database = new PostgresTestDatabase();
        var schema = database.NewSchema();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
        await using var first = await StartHostAsync(schema, time);
        await using var second = await StartHostAsync(schema, time);
        var clients = new[] { first.GetTestClient(), second.GetTestClient() };
        using (var campaign = await clients[0].PostAsJsonAsync("/api/tracker/campaigns", new { id = "camp-1", destination = "https://t.me/mybot?start={{tracker.clickid}}", attributionWindowSeconds = 3600 }))
        {
            campaign.StatusCode.Should().Be(HttpStatusCode.Created);
        }

        var set = await CreateSetAsync(clients[0]);
        var late = await CreateClickAsync(clients[1]);
        time.Advance(TimeSpan.FromSeconds(3601));
        var inTime = await CreateClickAsync(clients[1]);

        var lateAnswers = await SendAtOnceAsync(clients, $"/api/postbacks/{set.Token}/first-deposit?clickid={late}&amount=25.50&tid=T-1");
        var inTimeAnswers = await SendAtOnceAsync(clients, $"/api/postbacks/{set.Token}/first-deposit?clickid={inTime}&amount=10&tid=T-2");

        lateAnswers.Count(a => a.GetProperty("status").GetString() == "unattributed").Should().Be(1);
        lateAnswers.Count(a => a.GetProperty("status").GetString() == "duplicate").Should().Be(49);
        lateAnswers.Select(a => a.GetProperty("conversionId").GetString()).Distinct().Should().ContainSingle();
        lateAnswers.Should().OnlyContain(a => a.GetProperty("warnings").EnumerateArray().Single().GetProperty("code").GetString() == "attribution_window_passed",
            "every instance decides the window alike for the same receive time");
        inTimeAnswers.Count(a => a.GetProperty("status").GetString() == "accepted").Should().Be(1);
        inTimeAnswers.Count(a => a.GetProperty("status").GetString() == "duplicate").Should().Be(49);
        inTimeAnswers.Should().OnlyContain(a => a.GetProperty("warnings").GetArrayLength() == 0);
        var click = await clients[1].GetFromJsonAsync<JsonElement>($"/api/tracker/clicks/{late}");
        click.GetProperty("conversions").EnumerateArray().Should().ContainSingle().Which.GetProperty("attribution").GetString().Should().Be("unattributed");
        var stats = await clients[0].GetFromJsonAsync<JsonElement>("/api/tracker/stats");
        stats.GetProperty("firstDeposits").GetInt64().Should().Be(1);
        stats.GetProperty("unattributed").GetInt64().Should().Be(1);
        stats.GetProperty("amounts")[0].GetProperty("firstDeposits").GetDecimal().Should().Be(10m, "the conversion after the window is not credited");
    }

    private static async Task<JsonElement[]> SendAtOnceAsync(HttpClient[] clients, string url)
    {
        using var go = new ManualResetEventSlim();
        var sends = Enumerable.Range(0, 50).Select(i => Task.Run(async () =>
        {
            go.Wait();
            using var response = await clients[i % 2].GetAsync(url);
            response.StatusCode.Should().Be(HttpStatusCode.OK);
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        })).ToArray();
        go.Set();
        return await Task.WhenAll(sends).WaitAsync(TimeSpan.FromMinutes(2));
    }

    private static async Task<WebApplication> StartHostAsync(string schema, TimeProvider? time = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.Logging.ClearProviders();
        builder.WebHost.UseTestServer();
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        builder.Services.AddChatterfyPostbacks(o => o.PublicBaseUrl = "https://pb.example.com")
            .UsePostgreSql(o =>
            {
                o.ConnectionString = PostgresTestDatabase.RequiredConnectionString;
                o.Schema = schema;
            });
        var app = builder.Build();
        app.MapChatterfyPostbacks();
        app.MapChatterfyTrackerApi();
        await app.StartAsync();
        return app;
    }

    private static async Task<(string Id, string Token)> CreateSetAsync(HttpClient client)
    {
        using var response = await client.PostAsJsonAsync("/api/tracker/postback-sets", new { name = "1Win", network = "1win" });
        response.StatusCode.Should().Be(HttpStatusCode.Created);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var baseUrl = body.GetProperty("urls").GetProperty("base").GetString()!;
        return (body.GetProperty("id").GetString()!, baseUrl[(baseUrl.LastIndexOf('/') + 1)..].Split('?')[0]);
    }

    private static async Task<string> CreateClickAsync(HttpClient client)
    {
        using var response = await client.PostAsJsonAsync("/api/tracker/clicks", new { campaignId = "camp-1" });
        response.StatusCode.Should().Be(HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("clickId").GetString()!;
    }
}
