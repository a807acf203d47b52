using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Chatterfy.Postbacks.AspNetCore.Tests.Infrastructure;
using static Chatterfy.Postbacks.AspNetCore.Tests.PostbackSetApiTests;

namespace Chatterfy.Postbacks.AspNetCore.Tests;

/// <summary>The tracker API's campaigns: CRUD, destination validation and the taken-id conflict.</summary>
public sealed class CampaignApiTests
{
    private const string Campaigns = "/api/tracker/campaigns";
    private const string Destination = "https://t.me/mybot?start={{tracker.clickid}}";

    [Fact]
    public async Task CreatesListsGetsReplacesAndDeletesACampaign()
    {
        await using var app = await TestApp.StartAsync();

        var created = await app.PostJsonAsync(Campaigns, $$"""{"id":"spring","name":" Spring ","destination":"{{Destination}}"}""");

        created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        created.Headers.Location!.OriginalString.Should().Be($"{Campaigns}/spring");
        (await created.Content.ReadAsStringAsync()).Should().Be(
            """{"id":"spring","name":"Spring","destination":"https://t.me/mybot?start={{tracker.clickid}}","createdAt":"2026-11-27T12:00:00Z","attributionWindowSeconds":null}""");

        await app.PostJsonAsync(Campaigns, """{"id":"autumn","destination":"tg://resolve?domain=mybot&start={{tracker.clickid}}"}""");
        var list = await app.Client.GetFromJsonAsync<JsonElement>(Campaigns);
        list.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetString()).Should().Equal("autumn", "spring");

        (await app.Client.GetFromJsonAsync<JsonElement>($"{Campaigns}/spring")).GetProperty("name").GetString().Should().Be("Spring");

        app.Time.Advance(TimeSpan.FromHours(1));
        var replaced = await PutJsonAsync(app, $"{Campaigns}/spring", """{"destination":"https://t.me/otherbot?start={{tracker.clickid}}&ad={{tracker.ad_name}}"}""");
        replaced.StatusCode.Should().Be(HttpStatusCode.OK, await replaced.Content.ReadAsStringAsync());
        var campaign = await replaced.Content.ReadFromJsonAsync<JsonElement>();
        campaign.GetProperty("name").ValueKind.Should().Be(JsonValueKind.Null);
        campaign.GetProperty("destination").GetString().Should().Be("https://t.me/otherbot?start={{tracker.clickid}}&ad={{tracker.ad_name}}");
        campaign.GetProperty("createdAt").GetString().Should().Be("2026-11-27T12:00:00Z");

        (await app.Client.DeleteAsync($"{Campaigns}/spring")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        await AssertProblemAsync(await app.Client.GetAsync($"{Campaigns}/spring"), HttpStatusCode.NotFound, "not_found");
        await AssertProblemAsync(await app.Client.DeleteAsync($"{Campaigns}/spring"), HttpStatusCode.NotFound, "not_found");
        await AssertProblemAsync(await PutJsonAsync(app, $"{Campaigns}/spring", $$"""{"destination":"{{Destination}}"}"""), HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task AnswersConflictForATakenId()
    {
        await using var app = await TestApp.StartAsync();
        await app.PostJsonAsync(Campaigns, $$"""{"id":"spring","destination":"{{Destination}}"}""");

        var again = await app.PostJsonAsync(Campaigns, """{"id":"spring","destination":"https://t.me/otherbot"}""");

        (await AssertProblemAsync(again, HttpStatusCode.Conflict, "campaign_exists")).GetProperty("detail").GetString().Should().Contain("spring");
        (await app.Client.GetFromJsonAsync<JsonElement>($"{Campaigns}/spring")).GetProperty("destination").GetString().Should().Be(Destination);
    }

    [Theory]
    [InlineData("http://t.me/mybot?start={{tracker.clickid}}", "destination")]
    [InlineData("javascript:alert(document.cookie)//{{tracker.clickid}}", "destination")]
    [InlineData("https://{{tracker.host}}/go?c={{tracker.clickid}}", "destination")]
    [InlineData("https://t.me/mybot?start={{tracker.clickid}}&chat={{chatId}}", "destination")]
    [InlineData("https://t.me/mybot?start={{tracker.clickid}}\r\nSet-Cookie: x=1", "destination")]
    [InlineData("", "destination")]
    [InlineData("/relative?start={{tracker.clickid}}", "destination")]
    [InlineData("tg://{{tracker.x}}", "destination")]
    [InlineData("tg://{{tracker.clickid}}?start={{tracker.clickid}}", "destination")]
    [InlineData("tg://resolve{{tracker.x}}?domain=mybot&start={{tracker.clickid}}", "destination")]
    [InlineData("tg:{{tracker.x}}?start={{tracker.clickid}}", "destination")]
    [InlineData("tg://user@resolve?domain=mybot&start={{tracker.clickid}}", "destination")]
    [InlineData("https://t.me:{{tracker.port}}/mybot?start={{tracker.clickid}}", "destination")]
    [InlineData("https://{{tracker.sub}}.t.me/mybot?start={{tracker.clickid}}", "destination")]
    [InlineData("https://t.me/mybot?start=%{{tracker.clickid}}", "destination")]
    [InlineData("https://t.me/mybot?start={{tracker.clickid}}&pct=100%", "destination")]
    public async Task RefusesAnInvalidDestination(string destination, string field)
    {
        await using var app = await TestApp.StartAsync();

        var response = await app.PostJsonAsync(Campaigns, $$"""{"id":"spring","destination":{{JsonSerializer.Serialize(destination)}}}""");

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "campaign_invalid");
        problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Should().Equal(field);
        await AssertProblemAsync(await app.Client.GetAsync($"{Campaigns}/spring"), HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task RefusesAMacroInATelegramHostAndTheRedirectAnswersNotFound()
    {
        await using var app = await TestApp.StartAsync();

        var response = await app.PostJsonAsync(Campaigns, """{"id":"tghost","destination":"tg://{{tracker.x}}"}""");

        // The message docs/http-api.md shows.
        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "campaign_invalid");
        problem.GetProperty("errors").GetProperty("destination")[0].GetString().Should().Be(
            "A destination's host is fixed: no macro before the path, e.g. tg://resolve?domain=mybot&start={{tracker.clickid}}, not tg://{{tracker.bot}}.");
        (await app.Client.GetAsync("/api/go/tghost?x=a%20b")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task RefusesADestinationWhoseFixedTextAndClickIdWouldExceed8KiBInTheLocation()
    {
        await using var app = await TestApp.StartAsync();

        // 1,400 Cyrillic letters are 8,400 characters once percent-encoded for the Location header.
        var response = await app.PostJsonAsync(Campaigns, $$$"""{"id":"long","destination":"https://t.me/{{{new string('б', 1_400)}}}?start={{tracker.clickid}}"}""");

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "campaign_invalid");
        problem.GetProperty("errors").GetProperty("destination")[0].GetString().Should().Contain("8192");
        await AssertProblemAsync(await app.Client.GetAsync($"{Campaigns}/long"), HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task AcceptsADestinationWhoseFixedTextAndLongestClickIdFitIn8KiB()
    {
        await using var app = await TestApp.StartAsync();

        // 20 + 1,300 × 6 + 7 + a 64-character click id = 7,891 characters. (Not on t.me: no bot has such a username.)
        var response = await app.PostJsonAsync(Campaigns, $$$"""{"id":"long","destination":"https://landing.example/{{{new string('б', 1_300)}}}?start={{tracker.clickid}}"}""");

        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("bad id")]
    [InlineData("")]
    [InlineData("ünicode")]
    public async Task RefusesAnInvalidId(string id)
    {
        await using var app = await TestApp.StartAsync();

        var response = await app.PostJsonAsync(Campaigns, $$"""{"id":{{JsonSerializer.Serialize(id)}},"destination":"{{Destination}}"}""");

        (await AssertProblemAsync(response, HttpStatusCode.BadRequest, "campaign_invalid")).GetProperty("errors").EnumerateObject().Select(p => p.Name).Should().Equal("id");
    }

    [Fact]
    public async Task RefusesAnInvalidReplacementAndKeepsTheCampaign()
    {
        await using var app = await TestApp.StartAsync();
        await app.PostJsonAsync(Campaigns, $$"""{"id":"spring","destination":"{{Destination}}"}""");

        var response = await PutJsonAsync(app, $"{Campaigns}/spring", """{"destination":"https://t.me/mybot?start={{tracker.clickid}}&u={{username}}"}""");

        (await AssertProblemAsync(response, HttpStatusCode.BadRequest, "campaign_invalid")).GetProperty("errors").EnumerateObject().Select(p => p.Name).Should().Equal("destination");
        (await app.Client.GetFromJsonAsync<JsonElement>($"{Campaigns}/spring")).GetProperty("destination").GetString().Should().Be(Destination);
    }

    [Fact]
    public async Task RefusesAnIdInTheReplacementBody()
    {
        await using var app = await TestApp.StartAsync();
        await app.PostJsonAsync(Campaigns, $$"""{"id":"spring","destination":"{{Destination}}"}""");

        var response = await PutJsonAsync(app, $"{Campaigns}/spring", $$"""{"id":"autumn","destination":"{{Destination}}"}""");

        (await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors").EnumerateObject().Select(p => p.Name).Should().Equal("id");
    }

    internal static Task<HttpResponseMessage> PutJsonAsync(TestApp app, string path, string json) =>
        app.Client.PutAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
}
