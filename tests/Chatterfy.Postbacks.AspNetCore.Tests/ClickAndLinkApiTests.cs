using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Chatterfy.Postbacks.AspNetCore.Tests.Infrastructure;
using Chatterfy.Postbacks.Templates;
using static Chatterfy.Postbacks.AspNetCore.Tests.PostbackSetApiTests;

namespace Chatterfy.Postbacks.AspNetCore.Tests;

/// <summary>The tracker API's click and link routes.</summary>
public sealed class ClickAndLinkApiTests
{
    [Fact]
    public async Task CreatesAClickWithEveryFieldAndLocation()
    {
        await using var app = await TestApp.StartAsync();

        var response = await app.PostJsonAsync("/api/tracker/clicks", """
            {"campaignId":"spring","subjectId":"tg:5512","fbclid":"IwAR2xYz","fbc":"fb.1.1700000000.IwAR2xYz","fbp":"fb.1.1700000000.42",
             "ip":"203.0.113.7","userAgent":"Mozilla/5.0","eventSourceUrl":"https://t.me/funnel_bot","fields":{"ad_name":"spring-1","utm_source":"fb"}}
            """);

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        var click = await response.Content.ReadFromJsonAsync<JsonElement>();
        var clickId = click.GetProperty("clickId").GetString()!;
        clickId.Should().MatchRegex("^[A-Za-z0-9]{12}$");
        response.Headers.Location!.OriginalString.Should().Be($"/api/tracker/clicks/{clickId}");
        click.GetProperty("campaignId").GetString().Should().Be("spring");
        click.GetProperty("subjectId").GetString().Should().Be("tg:5512");
        click.GetProperty("fbclid").GetString().Should().Be("IwAR2xYz");
        click.GetProperty("fbc").GetString().Should().Be("fb.1.1700000000.IwAR2xYz");
        click.GetProperty("fbp").GetString().Should().Be("fb.1.1700000000.42");
        click.GetProperty("ip").GetString().Should().Be("203.0.113.7");
        click.GetProperty("userAgent").GetString().Should().Be("Mozilla/5.0");
        click.GetProperty("eventSourceUrl").GetString().Should().Be("https://t.me/funnel_bot");
        click.GetProperty("fields").GetProperty("ad_name").GetString().Should().Be("spring-1");
        click.GetProperty("createdAt").GetString().Should().Be("2026-11-27T12:00:00Z");
        click.TryGetProperty("conversions", out _).Should().BeFalse();
    }

    [Theory]
    [InlineData("300.1.1.1")]
    [InlineData("1")]
    [InlineData("localhost")]
    [InlineData("")]
    public async Task RefusesAnInvalidIpNamingIt(string ip)
    {
        await using var app = await TestApp.StartAsync();

        var response = await app.PostJsonAsync("/api/tracker/clicks", $$"""{"ip":"{{ip}}"}""");

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Should().Equal("ip");
    }

    [Fact]
    public async Task AcceptsAnIpv6Address()
    {
        await using var app = await TestApp.StartAsync();

        var response = await app.PostJsonAsync("/api/tracker/clicks", """{"ip":"2001:db8::7"}""");

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ip").GetString().Should().Be("2001:db8::7");
    }

    [Fact]
    public async Task RefusesFieldKeysThatNoMacroCanName()
    {
        await using var app = await TestApp.StartAsync();

        var response = await app.PostJsonAsync("/api/tracker/clicks", """{"fields":{"ad name":"x"}}""");

        (await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors").TryGetProperty("fields", out _).Should().BeTrue();
    }

    [Fact]
    public async Task GetsAClickWithTheConversionsReportedForIt()
    {
        await using var app = await TestApp.StartAsync();
        var set = await app.CreateSetAsync("1win");
        var clickId = await app.CreateClickAsync("spring");
        var bare = TestApp.PathOf(set, "base").Split('?')[0];
        await app.Client.GetAsync($"{bare}/registration?clickid={clickId}");
        app.Time.Advance(TimeSpan.FromMinutes(5));
        await app.Client.GetAsync($"{bare}/first-deposit?clickid={clickId}&amount=25.5&currency=EUR&tid=T9");

        var click = await app.Client.GetFromJsonAsync<JsonElement>($"/api/tracker/clicks/{clickId}");

        click.GetProperty("clickId").GetString().Should().Be(clickId);
        var conversions = click.GetProperty("conversions").EnumerateArray().ToList();
        conversions.Select(c => c.GetProperty("event").GetString()).Should().Equal("registration", "first-deposit");
        var ftd = conversions[1];
        ftd.GetProperty("id").GetString().Should().NotBeNullOrEmpty();
        ftd.GetProperty("amount").GetRawText().Should().Be("25.5");
        ftd.GetProperty("currency").GetString().Should().Be("EUR");
        ftd.GetProperty("tid").GetString().Should().Be("T9");
        ftd.GetProperty("receivedAt").GetString().Should().Be("2026-11-27T12:05:00Z");
        ftd.GetProperty("setId").GetString().Should().Be(set.GetProperty("id").GetString());
        ftd.GetProperty("attribution").GetString().Should().Be("credited");
        conversions[0].GetProperty("amount").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public async Task AnswersNotFoundForAnUnknownClick()
    {
        await using var app = await TestApp.StartAsync();

        await AssertProblemAsync(await app.Client.GetAsync("/api/tracker/clicks/nope"), HttpStatusCode.NotFound, "not_found");
        await AssertProblemAsync(await app.Client.DeleteAsync("/api/tracker/clicks/nope/personal-data"), HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task ForgetsAClicksPersonalData()
    {
        await using var app = await TestApp.StartAsync();
        var created = await (await app.PostJsonAsync("/api/tracker/clicks", """{"campaignId":"c","ip":"203.0.113.7","userAgent":"Mozilla/5.0","fbclid":"IwAR"}""")).Content.ReadFromJsonAsync<JsonElement>();
        var clickId = created.GetProperty("clickId").GetString();

        var response = await app.Client.DeleteAsync($"/api/tracker/clicks/{clickId}/personal-data");

        response.StatusCode.Should().Be(HttpStatusCode.NoContent);
        var click = await app.Client.GetFromJsonAsync<JsonElement>($"/api/tracker/clicks/{clickId}");
        click.GetProperty("ip").ValueKind.Should().Be(JsonValueKind.Null);
        click.GetProperty("userAgent").ValueKind.Should().Be(JsonValueKind.Null);
        click.GetProperty("fbclid").GetString().Should().Be("IwAR");
        click.GetProperty("campaignId").GetString().Should().Be("c");
    }

    [Fact]
    public async Task RendersALinkWithTheClickAndTheVariables()
    {
        await using var app = await TestApp.StartAsync();
        var created = await (await app.PostJsonAsync("/api/tracker/clicks", """{"fields":{"ad":"spring 1"}}""")).Content.ReadFromJsonAsync<JsonElement>();
        var clickId = created.GetProperty("clickId").GetString();

        var response = await app.PostJsonAsync("/api/tracker/links", $$$"""
            {"template":"https://binomo.com/en/promo/a21?open=register&click_id={{tracker.clickid}}&ad={{tracker.ad}}&chat={{chatId}}&u={{username}}&geo={{fields.country}}&x={{offer}}",
             "clickId":"{{{clickId}}}","variables":{"chatid":"5512","username":"ana maria","fields.country":"BR","offer":"a&b"}}
            """);

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        (await response.Content.ReadAsStringAsync()).Should().Contain("a21?open=register&click_id=", "JSON bodies escape only what JSON requires");
        var link = await response.Content.ReadFromJsonAsync<JsonElement>();
        link.GetProperty("url").GetString().Should().Be($"https://binomo.com/en/promo/a21?open=register&click_id={clickId}&ad=spring%201&chat=5512&u=ana%20maria&geo=BR&x=a%26b");
        link.GetProperty("warnings").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task ReportsUnknownMacrosAsWarnings()
    {
        await using var app = await TestApp.StartAsync();
        var clickId = await app.CreateClickAsync();

        var response = await app.PostJsonAsync("/api/tracker/links", $$$"""{"template":"https://x.example/?c={{tracker.clickid}}&g={{fields.country}}","clickId":"{{{clickId}}}"}""");

        var link = await response.Content.ReadFromJsonAsync<JsonElement>();
        link.GetProperty("url").GetString().Should().Be($"https://x.example/?c={clickId}&g={{{{fields.country}}}}");
        var warning = link.GetProperty("warnings").EnumerateArray().Single();
        warning.GetProperty("code").GetString().Should().Be("unknown_macro");
        warning.GetProperty("message").GetString().Should().Contain("{{fields.country}}");
    }

    [Fact]
    public async Task RefusesAnUnknownMacroWhenTheOptionsSayThrow()
    {
        await using var app = await TestApp.StartAsync(o => o.UnknownMacros = UnknownMacroBehavior.Throw);
        var clickId = await app.CreateClickAsync();

        var response = await app.PostJsonAsync("/api/tracker/links", $$$"""{"template":"https://x.example/?g={{fields.country}}","clickId":"{{{clickId}}}"}""");

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "unknown_macro");
        problem.GetProperty("detail").GetString().Should().Contain("{{fields.country}}");
    }

    [Fact]
    public async Task ChecksTheLinkAgainstTheSetsNetwork()
    {
        await using var app = await TestApp.StartAsync();
        var set = await app.CreateSetAsync("binomo");
        var clickId = await app.CreateClickAsync();

        var response = await app.PostJsonAsync(
            "/api/tracker/links",
            $$$"""{"template":"https://binomo.com/en/promo/a21?open=register&amp;sub={{tracker.clickid}}","clickId":"{{{clickId}}}","setId":"{{{set.GetProperty("id").GetString()}}}"}""");

        var link = await response.Content.ReadFromJsonAsync<JsonElement>();
        link.GetProperty("warnings").EnumerateArray().Select(w => w.GetProperty("code").GetString())
            .Should().Equal(LinkCheckCodes.ClickIdMacroMissing, LinkCheckCodes.HtmlEscaped);
        link.GetProperty("warnings")[0].TryGetProperty("field", out _).Should().BeFalse();
    }

    [Fact]
    public async Task AnswersNotFoundForAnUnknownClickOrSetAndRefusesAMissingTemplate()
    {
        await using var app = await TestApp.StartAsync();
        var clickId = await app.CreateClickAsync();

        var unknownClick = await app.PostJsonAsync("/api/tracker/links", """{"template":"https://x.example/","clickId":"nope"}""");
        var unknownSet = await app.PostJsonAsync("/api/tracker/links", $$$"""{"template":"https://x.example/","clickId":"{{{clickId}}}","setId":"nope"}""");
        var noTemplate = await app.PostJsonAsync("/api/tracker/links", $$$"""{"clickId":"{{{clickId}}}"}""");
        var clickIdVariable = await app.PostJsonAsync("/api/tracker/links", $$$"""{"template":"x","clickId":"{{{clickId}}}","variables":{"tracker.clickid":"forged"}}""");

        (await AssertProblemAsync(unknownClick, HttpStatusCode.NotFound, "not_found")).GetProperty("detail").GetString().Should().Contain("click");
        (await AssertProblemAsync(unknownSet, HttpStatusCode.NotFound, "not_found")).GetProperty("detail").GetString().Should().Contain("set");
        (await AssertProblemAsync(noTemplate, HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors").TryGetProperty("template", out _).Should().BeTrue();
        (await AssertProblemAsync(clickIdVariable, HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors").TryGetProperty("variables.tracker.clickid", out _).Should().BeTrue();
    }
}
