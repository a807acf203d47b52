using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Chatterfy.Postbacks.AspNetCore.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Chatterfy.Postbacks.AspNetCore.Tests.CampaignApiTests;
using static Chatterfy.Postbacks.AspNetCore.Tests.PostbackSetApiTests;

namespace Chatterfy.Postbacks.AspNetCore.Tests;

/// <summary>
/// Attribution windows through the HTTP API: the member on sets and campaigns, its range, and a postback that comes after
/// its click's window answered, logged, counted and (not) forwarded as unattributed.
/// </summary>
public sealed class AttributionWindowApiTests
{
    private const string Sets = "/api/tracker/postback-sets";
    private const string Campaigns = "/api/tracker/campaigns";
    private const string Destination = "https://t.me/mybot?start={{tracker.clickid}}";
    private const string RangeMessage = "An attribution window is 60 to 31536000 seconds (1 minute to 365 days), or null for none.";

    [Fact]
    public async Task ASetKeepsItsAttributionWindowUntilAPatchReplacesOrRemovesIt()
    {
        await using var app = await TestApp.StartAsync();

        var created = await app.PostJsonAsync(Sets, """{"name":"1Win","network":"1win","attributionWindowSeconds":2592000}""");

        created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var set = await created.Content.ReadFromJsonAsync<JsonElement>();
        set.GetProperty("attributionWindowSeconds").GetInt64().Should().Be(2592000);
        var path = $"{Sets}/{set.GetProperty("id").GetString()}";
        (await WindowAfterAsync(app.PatchJsonAsync(path, """{"name":"1Win main"}"""))).Should().Be(2592000, "a PATCH without the member leaves it");
        (await WindowAfterAsync(app.PatchJsonAsync(path, """{"attributionWindowSeconds":3600}"""))).Should().Be(3600);
        (await app.Client.GetFromJsonAsync<JsonElement>(path)).GetProperty("attributionWindowSeconds").GetInt64().Should().Be(3600);
        (await WindowAfterAsync(app.PatchJsonAsync(path, """{"attributionWindowSeconds":null}"""))).Should().BeNull("null removes the window");
        (await app.Client.GetFromJsonAsync<JsonElement>(path)).GetProperty("attributionWindowSeconds").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public async Task ASetWithoutAWindowAnswersNull()
    {
        await using var app = await TestApp.StartAsync();

        var set = await app.CreateSetAsync();

        set.GetProperty("attributionWindowSeconds").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public async Task ACampaignKeepsItsAttributionWindowAndAPutReplacesIt()
    {
        await using var app = await TestApp.StartAsync();

        var created = await app.PostJsonAsync(Campaigns, $$"""{"id":"spring","destination":"{{Destination}}","attributionWindowSeconds":604800}""");

        created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        (await created.Content.ReadAsStringAsync()).Should().Be(
            """{"id":"spring","name":null,"destination":"https://t.me/mybot?start={{tracker.clickid}}","createdAt":"2026-11-27T12:00:00Z","attributionWindowSeconds":604800}""");
        (await WindowAfterAsync(PutJsonAsync(app, $"{Campaigns}/spring", $$"""{"destination":"{{Destination}}","attributionWindowSeconds":86400}"""))).Should().Be(86400);
        (await WindowAfterAsync(PutJsonAsync(app, $"{Campaigns}/spring", $$"""{"destination":"{{Destination}}"}"""))).Should().BeNull("PUT replaces the campaign: no member, no window");
        (await app.Client.GetFromJsonAsync<JsonElement>(Campaigns)).GetProperty("items")[0].GetProperty("attributionWindowSeconds").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Theory]
    [InlineData("59")]
    [InlineData("0")]
    [InlineData("-3600")]
    [InlineData("31536001")]
    [InlineData("9223372036854775807")]
    public async Task RefusesAnAttributionWindowOutsideOneMinuteTo365DaysAndChangesNothing(string seconds)
    {
        await using var app = await TestApp.StartAsync();
        var set = await app.CreateSetAsync();
        var setPath = $"{Sets}/{set.GetProperty("id").GetString()}";
        await app.PostJsonAsync(Campaigns, $$"""{"id":"spring","destination":"{{Destination}}","attributionWindowSeconds":3600}""");

        var answers = new[]
        {
            await app.PostJsonAsync(Sets, $$"""{"name":"1Win","network":"1win","attributionWindowSeconds":{{seconds}}}"""),
            await app.PatchJsonAsync(setPath, $$"""{"attributionWindowSeconds":{{seconds}}}"""),
            await app.PostJsonAsync(Campaigns, $$"""{"id":"autumn","destination":"{{Destination}}","attributionWindowSeconds":{{seconds}}}"""),
            await PutJsonAsync(app, $"{Campaigns}/spring", $$"""{"destination":"{{Destination}}","attributionWindowSeconds":{{seconds}}}"""),
        };

        foreach (var answer in answers)
        {
            answer.StatusCode.Should().Be(HttpStatusCode.BadRequest, await answer.Content.ReadAsStringAsync());
            var problem = await answer.Content.ReadFromJsonAsync<JsonElement>();
            problem.GetProperty("errors").GetProperty("attributionWindowSeconds")[0].GetString().Should().Be(RangeMessage);
        }

        (await app.Client.GetFromJsonAsync<JsonElement>(Sets)).GetProperty("items").GetArrayLength().Should().Be(1);
        (await app.Client.GetFromJsonAsync<JsonElement>(setPath)).GetProperty("attributionWindowSeconds").ValueKind.Should().Be(JsonValueKind.Null);
        await AssertProblemAsync(await app.Client.GetAsync($"{Campaigns}/autumn"), HttpStatusCode.NotFound, "not_found");
        (await app.Client.GetFromJsonAsync<JsonElement>($"{Campaigns}/spring")).GetProperty("attributionWindowSeconds").GetInt64().Should().Be(3600);
    }

    [Fact]
    public async Task RefusesAnAttributionWindowThatIsNotANumber()
    {
        await using var app = await TestApp.StartAsync();

        var answer = await app.PostJsonAsync(Sets, """{"name":"1Win","network":"1win","attributionWindowSeconds":"30d"}""");

        answer.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await app.Client.GetFromJsonAsync<JsonElement>(Sets)).GetProperty("items").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task AnswersLogsAndCountsAPostbackAfterTheCampaignsWindowAsUnattributedAndForwardsNothing()
    {
        await using var app = await TestApp.StartAsync(postbacks: b => b.AddForwarding(o =>
        {
            o.Dispatcher.Enabled = false;
            o.AllowPrivateNetworks = true;
        }));
        await app.PostJsonAsync(Campaigns, $$"""{"id":"spring","destination":"{{Destination}}","attributionWindowSeconds":3600}""");
        var set = await app.CreateSetAsync(network: "1win");
        var rule = await app.PostJsonAsync("/api/tracker/forwarding-rules", $$$"""
            {"setId":"{{{set.GetProperty("id").GetString()}}}","destination":"http-postback","settings":{"urlTemplate":"https://tracker.example/pb?cid={{click.id}}"}}
            """);
        rule.StatusCode.Should().Be(HttpStatusCode.Created, await rule.Content.ReadAsStringAsync());
        var late = await app.CreateClickAsync("spring");
        app.Time.Advance(TimeSpan.FromHours(2));
        var inTime = await app.CreateClickAsync("spring");
        var firstDeposit = TestApp.PathOf(set, "firstDeposit").Split('?')[0];

        using var lateAnswer = await app.Client.GetAsync($"{firstDeposit}?clickid={late}&amount=50&tid=T-1");
        using var inTimeAnswer = await app.Client.GetAsync($"{firstDeposit}?clickid={inTime}&amount=20&tid=T-2");

        lateAnswer.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await lateAnswer.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("status").GetString().Should().Be("unattributed");
        var warning = body.GetProperty("warnings").EnumerateArray().Should().ContainSingle().Subject;
        warning.GetProperty("code").GetString().Should().Be("attribution_window_passed");
        warning.GetProperty("message").GetString().Should().Be(
            "The conversion came more than 3600 seconds (the attribution window) after its click; it is stored as unattributed and not forwarded.");
        warning.GetProperty("field").GetString().Should().Be("clickid");
        var accepted = await inTimeAnswer.Content.ReadFromJsonAsync<JsonElement>();
        accepted.GetProperty("status").GetString().Should().Be("accepted");

        var log = await app.Client.GetFromJsonAsync<JsonElement>("/api/tracker/postback-log?outcome=unattributed");
        var entry = log.GetProperty("items").EnumerateArray().Should().ContainSingle().Subject;
        entry.GetProperty("conversionId").GetString().Should().Be(body.GetProperty("conversionId").GetString());
        entry.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()).Should().Equal("attribution_window_passed");

        var stats = await app.Client.GetFromJsonAsync<JsonElement>("/api/tracker/stats");
        stats.GetProperty("firstDeposits").GetInt64().Should().Be(1);
        stats.GetProperty("unattributed").GetInt64().Should().Be(1);
        var outbox = await app.Client.GetFromJsonAsync<JsonElement>("/api/tracker/outbox");
        outbox.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("conversionId").GetString()).Should().Equal(
            [accepted.GetProperty("conversionId").GetString()],
            "only the conversion inside the window is forwarded");
    }

    private static async Task<long?> WindowAfterAsync(Task<HttpResponseMessage> sending)
    {
        using var response = await sending;
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var window = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("attributionWindowSeconds");
        return window.ValueKind == JsonValueKind.Null ? null : window.GetInt64();
    }
}
