using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Chatterfy.Postbacks.AspNetCore.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Chatterfy.Postbacks.AspNetCore.Tests.PostbackSetApiTests;

namespace Chatterfy.Postbacks.AspNetCore.Tests;

/// <summary>The tracker API's forwarding rules: CRUD, validation by field, and secrets that never leave the store.</summary>
public sealed class ForwardingRuleApiTests
{
    private const string Rules = "/api/tracker/forwarding-rules";
    private const string AccessToken = "EAABsecretTOKENvalue1234567890";
    private const string MaskedToken = "****7890";

    [Fact]
    public async Task CreatesListsGetsAndDeletesARuleWithoutEverReturningTheAccessToken()
    {
        await using var app = await StartAsync();
        var set = await app.CreateSetAsync();
        var setId = set.GetProperty("id").GetString()!;
        var bodies = new List<string>();

        var created = await app.PostJsonAsync(Rules, $$$"""
            {"name":" Meta main ","setId":"{{{setId}}}","destination":"facebook-capi","settings":{"pixelId":"123456789012345","accessToken":"{{{AccessToken}}}"}}
            """);
        var createdText = await created.Content.ReadAsStringAsync();
        bodies.Add(createdText);

        created.StatusCode.Should().Be(HttpStatusCode.Created, createdText);
        var rule = JsonDocument.Parse(createdText).RootElement;
        var id = rule.GetProperty("id").GetString()!;
        created.Headers.Location!.OriginalString.Should().Be($"{Rules}/{id}");
        rule.GetProperty("name").GetString().Should().Be("Meta main");
        rule.GetProperty("setId").GetString().Should().Be(setId);
        rule.GetProperty("campaignId").ValueKind.Should().Be(JsonValueKind.Null);
        rule.GetProperty("destination").GetString().Should().Be("facebook-capi");
        rule.GetProperty("settings").GetProperty("pixelId").GetString().Should().Be("123456789012345");
        rule.GetProperty("settings").GetProperty("accessToken").GetString().Should().Be(MaskedToken);
        rule.GetProperty("createdAt").GetString().Should().Be("2026-11-27T12:00:00Z");

        var list = await app.Client.GetAsync(Rules);
        bodies.Add(await list.Content.ReadAsStringAsync());
        var items = JsonDocument.Parse(bodies[^1]).RootElement.GetProperty("items");
        items.GetArrayLength().Should().Be(1);
        items[0].GetProperty("settings").GetProperty("accessToken").GetString().Should().Be(MaskedToken);

        var get = await app.Client.GetAsync($"{Rules}/{id}");
        bodies.Add(await get.Content.ReadAsStringAsync());
        get.StatusCode.Should().Be(HttpStatusCode.OK);
        JsonDocument.Parse(bodies[^1]).RootElement.GetProperty("settings").GetProperty("accessToken").GetString().Should().Be(MaskedToken);

        bodies.Should().AllSatisfy(body => body.Should().NotContain(AccessToken).And.NotContain("secretTOKEN"));

        // The stored rule keeps the token: the dispatcher needs it.
        (await app.Get<Chatterfy.Postbacks.Forwarding.ForwardingRuleService>().GetAsync(id))!.Settings.GetProperty("accessToken").GetString().Should().Be(AccessToken);

        (await app.Client.DeleteAsync($"{Rules}/{id}")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        await AssertProblemAsync(await app.Client.GetAsync($"{Rules}/{id}"), HttpStatusCode.NotFound, "not_found");
        await AssertProblemAsync(await app.Client.DeleteAsync($"{Rules}/{id}"), HttpStatusCode.NotFound, "not_found");
        (await app.Client.GetFromJsonAsync<JsonElement>(Rules)).GetProperty("items").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task CreatesACampaignRuleForAnHttpPostback()
    {
        await using var app = await StartAsync();

        var response = await app.PostJsonAsync(Rules, """
            {"campaignId":"spring","destination":"HTTP-Postback","settings":{"urlTemplate":"https://tracker.example/pb?cid={{click.id}}&payout={{conversion.amount}}","events":["first-deposit"]}}
            """);

        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var rule = await response.Content.ReadFromJsonAsync<JsonElement>();
        rule.GetProperty("campaignId").GetString().Should().Be("spring");
        rule.GetProperty("setId").ValueKind.Should().Be(JsonValueKind.Null);
        rule.GetProperty("name").ValueKind.Should().Be(JsonValueKind.Null);
        rule.GetProperty("destination").GetString().Should().Be("http-postback");
        rule.GetProperty("settings").GetProperty("urlTemplate").GetString().Should().Be("https://tracker.example/pb?cid={{click.id}}&payout={{conversion.amount}}");
    }

    [Theory]
    [InlineData("""{"campaignId":"spring","destination":"tiktok","settings":{}}""", "destination")]
    [InlineData("""{"campaignId":"spring","destination":"facebook-capi","settings":{"pixelId":"12ab","accessToken":"EAABsecretTOKENvalue1234567890"}}""", "settings.pixelId")]
    [InlineData("""{"campaignId":"spring","destination":"http-postback","settings":{"urlTemplate":"http://tracker.example/pb?cid={{click.id}}"}}""", "settings.urlTemplate")]
    [InlineData("""{"campaignId":"spring","destination":"http-postback","settings":{"urlTemplate":"https://tracker.example/pb?cid={{click.id}}&x={{payout}}"}}""", "settings.urlTemplate")]
    [InlineData("""{"setId":"s","campaignId":"spring","destination":"http-postback","settings":{"urlTemplate":"https://tracker.example/pb"}}""", "setId")]
    [InlineData("""{"destination":"http-postback","settings":{"urlTemplate":"https://tracker.example/pb"}}""", "setId")]
    [InlineData("""{"setId":"no-such-set","destination":"http-postback","settings":{"urlTemplate":"https://tracker.example/pb"}}""", "setId")]
    [InlineData("""{"campaignId":"bad id","destination":"http-postback","settings":{"urlTemplate":"https://tracker.example/pb"}}""", "campaignId")]
    public async Task RefusesAnInvalidRuleNamingTheField(string json, string field)
    {
        await using var app = await StartAsync();

        var response = await app.PostJsonAsync(Rules, json);

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "forwarding_rule_invalid");
        problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Should().Equal(field);
        (await app.Client.GetFromJsonAsync<JsonElement>(Rules)).GetProperty("items").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task NeverEchoesTheTokenOfARefusedRule()
    {
        await using var app = await StartAsync();

        var response = await app.PostJsonAsync(Rules, $$$"""{"campaignId":"spring","destination":"facebook-capi","settings":{"pixelId":"x","accessToken":"{{{AccessToken}}}"}}""");

        (await response.Content.ReadAsStringAsync()).Should().NotContain(AccessToken);
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("""{"destination":"http-postback","setting":{}}""", "setting")]
    [InlineData("""{"destination":42}""", "destination")]
    public async Task RefusesAMalformedBodyAsForEveryRoute(string json, string field)
    {
        await using var app = await StartAsync();

        var problem = await AssertProblemAsync(await app.PostJsonAsync(Rules, json), HttpStatusCode.BadRequest, "validation_failed");

        problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Should().Equal(field);
    }

    [Fact]
    public async Task IsNotMappedWithoutForwarding()
    {
        await using var app = await TestApp.StartAsync();

        (await app.Client.GetAsync(Rules)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await app.PostJsonAsync(Rules, "{}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    // No DNS in tests: private networks allowed skips the lookup; http stays refused.
    private static Task<TestApp> StartAsync() =>
        TestApp.StartAsync(postbacks: b => b.AddForwarding(o => o.AllowPrivateNetworks = true));
}
