using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

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

    private static async Task<WebApplication> StartHostAsync(string schema)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.Logging.ClearProviders();
        builder.WebHost.UseTestServer();
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
