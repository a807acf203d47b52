using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Chatterfy.Postbacks.AspNetCore.Tests.Infrastructure;
using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Telegram;
using static Chatterfy.Postbacks.AspNetCore.Tests.PostbackSetApiTests;

namespace Chatterfy.Postbacks.AspNetCore.Tests;

/// <summary>A chat user's click: <c>PUT /subjects/{subjectId}/clicks/{campaignId}</c>, links rendered for a subject, and the Telegram funnel.</summary>
public sealed class SubjectClickApiTests
{
    [Fact]
    public async Task CreatesTheSubjectsClickOnceWith201ThenAnswersTheSameClickUnchangedWith200()
    {
        await using var app = await TestApp.StartAsync();

        var created = await app.Client.PutAsync("/api/tracker/subjects/tg:123456789/clicks/spring", JsonContent("""{"fbclid":"IwAR-first","fields":{"ad_name":"spring-1"}}"""));
        var again = await app.Client.PutAsync("/api/tracker/subjects/tg:123456789/clicks/spring", JsonContent("""{"fbclid":"IwAR-second"}"""));
        var bare = await app.Client.PutAsync("/api/tracker/subjects/tg:123456789/clicks/spring", null);

        created.StatusCode.Should().Be(HttpStatusCode.Created);
        var click = await created.Content.ReadFromJsonAsync<JsonElement>();
        var clickId = click.GetProperty("clickId").GetString()!;
        created.Headers.Location!.OriginalString.Should().Be($"/api/tracker/clicks/{clickId}");
        click.GetProperty("subjectId").GetString().Should().Be("tg:123456789");
        click.GetProperty("campaignId").GetString().Should().Be("spring");
        click.GetProperty("fbclid").GetString().Should().Be("IwAR-first");
        again.StatusCode.Should().Be(HttpStatusCode.OK);
        (await again.Content.ReadAsStringAsync()).Should().Be(await created.Content.ReadAsStringAsync(), "the existing click is answered unchanged");
        bare.StatusCode.Should().Be(HttpStatusCode.OK);
        (await bare.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("clickId").GetString().Should().Be(clickId);
    }

    [Fact]
    public async Task GivesTheSameSubjectAnotherClickInAnotherCampaign()
    {
        await using var app = await TestApp.StartAsync();

        var spring = await app.Client.PutAsync("/api/tracker/subjects/tg:1/clicks/spring", null);
        var autumn = await app.Client.PutAsync("/api/tracker/subjects/tg:1/clicks/autumn", null);

        autumn.StatusCode.Should().Be(HttpStatusCode.Created);
        (await autumn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("clickId").GetString()
            .Should().NotBe((await spring.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("clickId").GetString());
    }

    [Theory]
    [InlineData("/api/tracker/subjects/tg%20123/clicks/spring", "subjectId")]
    [InlineData("/api/tracker/subjects/tg:1/clicks/spring%2Bx", "campaignId")]
    public async Task RefusesASubjectOrCampaignIdOutsideItsRuleAndCreatesNothing(string path, string field)
    {
        await using var app = await TestApp.StartAsync();

        var response = await app.Client.PutAsync(path, null);

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Should().Equal(field);
    }

    [Fact]
    public async Task RefusesASubjectIdLongerThan128Characters()
    {
        await using var app = await TestApp.StartAsync();

        var response = await app.Client.PutAsync($"/api/tracker/subjects/{new string('a', SubjectIds.MaxLength + 1)}/clicks/spring", null);

        (await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors").GetProperty("subjectId")[0].GetString()
            .Should().Be(SubjectIds.Rule);
    }

    [Fact]
    public async Task RefusesABodyWhoseSubjectIsAnotherOne()
    {
        await using var app = await TestApp.StartAsync();

        var response = await app.Client.PutAsync("/api/tracker/subjects/tg:1/clicks/spring", JsonContent("""{"subjectId":"tg:2"}"""));

        (await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors").TryGetProperty("subjectId", out _).Should().BeTrue();
    }

    [Fact]
    public async Task RendersChatTrackerClickIdAsTheSubjectsBoundClick()
    {
        await using var app = await TestApp.StartAsync();
        var put = await app.Client.PutAsync("/api/tracker/subjects/tg:77/clicks/spring", null);
        var clickId = (await put.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("clickId").GetString();

        var response = await app.PostJsonAsync("/api/tracker/links", """
            {"template":"https://binomo.com/en/promo/a21?open=register&click_id={{chat.tracker.clickid}}","subjectId":"tg:77","campaignId":"spring"}
            """);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()
            .Should().Be($"https://binomo.com/en/promo/a21?open=register&click_id={clickId}");
    }

    [Theory]
    [InlineData("""{"template":"https://x.example/?c={{tracker.clickid}}","clickId":"abc","subjectId":"tg:1","campaignId":"spring"}""")]
    [InlineData("""{"template":"https://x.example/?c={{tracker.clickid}}","subjectId":"tg:1"}""")]
    [InlineData("""{"template":"https://x.example/?c={{tracker.clickid}}"}""")]
    public async Task RefusesALinkRequestWithoutExactlyOneClickOrSubject(string body)
    {
        await using var app = await TestApp.StartAsync();

        var response = await app.PostJsonAsync("/api/tracker/links", body);

        (await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors").TryGetProperty("clickId", out _).Should().BeTrue();
    }

    [Fact]
    public async Task SendsTheVisitorToTheBotAndTheStartPayloadBindsTheChatUserToTheClickWithItsFbclid()
    {
        await using var app = await TestApp.StartAsync();
        (await app.PostJsonAsync("/api/tracker/campaigns", """{"id":"spring","destination":"https://t.me/spring_funnel_bot?start={{tracker.clickid}}__spring"}"""))
            .StatusCode.Should().Be(HttpStatusCode.Created);
        var visit = new HttpRequestMessage(HttpMethod.Get, "/api/go/spring?fbclid=IwAR-ad-42");
        visit.Headers.Add("User-Agent", "Mozilla/5.0 (iPhone)");

        var redirect = await app.Client.SendAsync(visit);

        redirect.StatusCode.Should().Be(HttpStatusCode.Found);
        var location = redirect.Headers.Location!.OriginalString;
        location.Should().StartWith("https://t.me/spring_funnel_bot?start=");

        // The bot: Telegram delivers "/start <payload>" when the user presses Start.
        var start = TelegramDeepLinks.ParseStart("/start " + location[(location.IndexOf("start=", StringComparison.Ordinal) + "start=".Length)..]);
        start.CampaignTag.Should().Be("spring");
        var clicks = app.Get<ClickService>();
        var binding = await clicks.BindClickAsync("tg:5512", start.ClickId);
        var link = await app.PostJsonAsync("/api/tracker/links", """
            {"template":"https://binomo.com/en/promo/a21?click_id={{chat.tracker.clickid}}","subjectId":"tg:5512","campaignId":"spring"}
            """);

        binding!.IsNew.Should().BeTrue();
        binding.Click.Fbclid.Should().Be("IwAR-ad-42");
        binding.Click.UserAgent.Should().Be("Mozilla/5.0 (iPhone)");
        binding.Click.SubjectId.Should().Be("tg:5512");
        (await link.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString().Should().Be($"https://binomo.com/en/promo/a21?click_id={start.ClickId}");
        var stored = await app.Client.GetFromJsonAsync<JsonElement>($"/api/tracker/clicks/{start.ClickId}");
        stored.GetProperty("subjectId").GetString().Should().Be("tg:5512");
        stored.GetProperty("fbclid").GetString().Should().Be("IwAR-ad-42");
    }

    [Fact]
    public async Task BindsTheClickOfAStartPayloadWith200AndKeepsTheFirstBinding()
    {
        await using var app = await TestApp.StartAsync();
        var redirected = await app.PostJsonAsync("/api/tracker/clicks", """{"campaignId":"spring","fbclid":"IwAR-ad"}""");
        var redirectedId = (await redirected.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("clickId").GetString();
        var other = await app.CreateClickAsync("spring");

        var bound = await app.Client.PutAsync($"/api/tracker/subjects/tg:9/clicks/spring?clickId={redirectedId}", null);
        var later = await app.Client.PutAsync($"/api/tracker/subjects/tg:9/clicks/spring?clickId={other}", null);
        var unknown = await app.Client.PutAsync("/api/tracker/subjects/tg:10/clicks/spring?clickId=nope", null);
        var wrongCampaign = await app.Client.PutAsync($"/api/tracker/subjects/tg:11/clicks/autumn?clickId={redirectedId}", null);

        bound.StatusCode.Should().Be(HttpStatusCode.OK);
        var click = await bound.Content.ReadFromJsonAsync<JsonElement>();
        click.GetProperty("clickId").GetString().Should().Be(redirectedId);
        click.GetProperty("subjectId").GetString().Should().Be("tg:9");
        click.GetProperty("fbclid").GetString().Should().Be("IwAR-ad");
        (await later.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("clickId").GetString().Should().Be(redirectedId, "the first binding wins");
        unknown.StatusCode.Should().Be(HttpStatusCode.Created, "an unknown click binds nothing: the subject gets a click of its own");
        (await AssertProblemAsync(wrongCampaign, HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors").TryGetProperty("clickId", out _).Should().BeTrue();
    }

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
