using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace Chatterfy.Postbacks.Testing.Tests;

public sealed class FakeConversionsApiTests
{
    private const string Pixel = "123456789012345";

    [Fact]
    public async Task Post_NewEvents_AcceptsEachOnceAndAnswersLikeTheGraphApi()
    {
        await using var fake = await FakeConversionsApi.StartAsync();
        using var client = new HttpClient();

        var response = await client.PostAsJsonAsync($"{fake.BaseUrl}/v21.0/{Pixel}/events", Body(("Purchase", "e1", 50.00m), ("CompleteRegistration", "e2", null)));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        ((int)answer["events_received"]!).Should().Be(2);
        fake.Events.Select(e => (e.PixelId, e.ApiVersion, e.EventName, e.EventId, e.Value, e.Currency)).Should().Equal(
            (Pixel, "v21.0", "Purchase", "e1", 50.00m, "USD"),
            (Pixel, "v21.0", "CompleteRegistration", "e2", (decimal?)null, (string?)null));
        fake.Events[0].EventTime.Should().Be(1_773_489_600);
        fake.Events[0].ActionSource.Should().Be("system_generated");
    }

    [Fact]
    public async Task Post_SameEventIdAgain_IsDeduplicatedButCounted()
    {
        await using var fake = await FakeConversionsApi.StartAsync();
        using var client = new HttpClient();

        await client.PostAsJsonAsync($"{fake.BaseUrl}/v21.0/{Pixel}/events", Body(("Purchase", "e1", 50m)));
        await client.PostAsJsonAsync($"{fake.BaseUrl}/v21.0/{Pixel}/events", Body(("Purchase", "e1", 50m), ("Purchase", "e3", 7m)));

        fake.Events.Select(e => e.EventId).Should().Equal("e1", "e3");
        fake.EventsSent.Should().Be(3);
        fake.RequestCount.Should().Be(2);
    }

    [Fact]
    public async Task FailWith_ThenRecover_RefusesWithAGraphErrorThenAccepts()
    {
        await using var fake = await FakeConversionsApi.StartAsync();
        using var client = new HttpClient();
        fake.FailWith(503);

        var failed = await client.PostAsJsonAsync($"{fake.BaseUrl}/v21.0/{Pixel}/events", Body(("Purchase", "e1", 50m)));
        fake.Recover();
        var accepted = await client.PostAsJsonAsync($"{fake.BaseUrl}/v21.0/{Pixel}/events", Body(("Purchase", "e1", 50m)));

        failed.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        var error = JsonNode.Parse(await failed.Content.ReadAsStringAsync())!["error"]!;
        ((bool)error["is_transient"]!).Should().BeTrue();
        accepted.StatusCode.Should().Be(HttpStatusCode.OK);
        fake.Events.Should().ContainSingle().Which.EventId.Should().Be("e1");
        fake.RequestCount.Should().Be(2);
    }

    [Fact]
    public async Task WaitForEvents_ReturnsTrueOnceEnoughArrive_AndFalseAfterTheTimeout()
    {
        await using var fake = await FakeConversionsApi.StartAsync();
        using var client = new HttpClient();
        var waiting = fake.WaitForEventsAsync(2, TimeSpan.FromSeconds(30));

        await client.PostAsJsonAsync($"{fake.BaseUrl}/v21.0/{Pixel}/events", Body(("Purchase", "e1", 1m), ("Purchase", "e2", 2m)));

        (await waiting).Should().BeTrue();
        (await fake.WaitForEventsAsync(3, TimeSpan.FromMilliseconds(50))).Should().BeFalse();
    }

    [Fact]
    public async Task Post_WithoutData_Answers400()
    {
        await using var fake = await FakeConversionsApi.StartAsync();
        using var client = new HttpClient();

        var response = await client.PostAsJsonAsync($"{fake.BaseUrl}/v21.0/{Pixel}/events", new { access_token = "x" });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        fake.Events.Should().BeEmpty();
    }

    private static JsonObject Body(params (string Name, string Id, decimal? Value)[] events)
    {
        var data = new JsonArray();
        foreach (var (name, id, value) in events)
        {
            var item = new JsonObject
            {
                ["event_name"] = name,
                ["event_id"] = id,
                ["event_time"] = 1_773_489_600,
                ["action_source"] = "system_generated",
            };
            if (value is not null)
            {
                item["custom_data"] = new JsonObject { ["value"] = value, ["currency"] = "USD" };
            }

            data.Add(item);
        }

        return new JsonObject { ["data"] = data, ["access_token"] = "token" };
    }
}
