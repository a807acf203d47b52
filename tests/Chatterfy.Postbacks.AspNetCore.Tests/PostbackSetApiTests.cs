using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Chatterfy.Postbacks.AspNetCore.Tests.Infrastructure;

namespace Chatterfy.Postbacks.AspNetCore.Tests;

/// <summary>The tracker API's postback-set routes.</summary>
public sealed class PostbackSetApiTests
{
    [Fact]
    public async Task CreatesASetAndReturnsItsUrlsWithLocation()
    {
        await using var app = await TestApp.StartAsync();

        var response = await app.PostJsonAsync("/api/tracker/postback-sets", """{"name":"Binomo main","network":"binomo","campaignId":null,"settings":{"eventFlags":{"reg":"registration","ftd":"first-deposit","dep":"deposit"}}}""");

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        var set = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = set.GetProperty("id").GetString();
        response.Headers.Location!.OriginalString.Should().Be($"/api/tracker/postback-sets/{id}");
        set.GetProperty("name").GetString().Should().Be("Binomo main");
        set.GetProperty("network").GetString().Should().Be("binomo");
        set.GetProperty("campaignId").ValueKind.Should().Be(JsonValueKind.Null);
        set.GetProperty("enabled").GetBoolean().Should().BeTrue();
        set.GetProperty("createdAt").GetString().Should().Be("2026-11-27T12:00:00Z");
        set.GetProperty("settings").GetProperty("eventFlags").GetProperty("ftd").GetString().Should().Be("first-deposit");
        var urls = set.GetProperty("urls");
        var bare = urls.GetProperty("base").GetString()!;
        bare.Should().MatchRegex(@"^https://pb\.example\.com/api/postbacks/[A-Za-z0-9_-]{22}$");
        urls.GetProperty("registration").GetString().Should().Be(bare + "/registration");
        urls.GetProperty("firstDeposit").GetString().Should().Be(bare + "/first-deposit");
        urls.GetProperty("deposit").GetString().Should().Be(bare + "/deposit");
    }

    [Fact]
    public async Task TakesTheUrlsBaseFromTheRequestWhenNoPublicBaseUrlIsConfigured()
    {
        await using var app = await TestApp.StartAsync(publicBaseUrl: false);

        var response = await app.PostJsonAsync("/api/tracker/postback-sets", """{"name":"1Win","network":"1win"}""");

        var set = await response.Content.ReadFromJsonAsync<JsonElement>();
        set.GetProperty("urls").GetProperty("registration").GetString().Should().MatchRegex(@"^http://localhost/api/postbacks/[A-Za-z0-9_-]{22}/registration\?clickid=\{sub1\}");
    }

    [Fact]
    public async Task RefusesAnUnknownNetworkNamingTheField()
    {
        await using var app = await TestApp.StartAsync();

        var response = await app.PostJsonAsync("/api/tracker/postback-sets", """{"name":"X","network":"pocketoption"}""");

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        problem.GetProperty("errors").GetProperty("network")[0].GetString().Should().Contain("pocketoption");
    }

    [Fact]
    public async Task RefusesInvalidSettingsNamingTheField()
    {
        await using var app = await TestApp.StartAsync();

        var response = await app.PostJsonAsync("/api/tracker/postback-sets", """{"name":"1Win","network":"1win","settings":{"clickIdSub":"sub9"}}""");

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Should().Equal("settings.clickIdSub");
    }

    [Fact]
    public async Task RefusesAMissingNameAndNetwork()
    {
        await using var app = await TestApp.StartAsync();

        var response = await app.PostJsonAsync("/api/tracker/postback-sets", "{}");

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo("name", "network");
    }

    [Theory]
    [InlineData("""{"name":"X","network":"binomo","campain":"typo"}""", "campain")]
    [InlineData("""{"name":"X","network":"binomo","campaignId":42}""", "campaignId")]
    [InlineData("""{"name":"X","network":""", "body")]
    [InlineData("""[1,2]""", "body")]
    [InlineData("""null""", "body")]
    public async Task RefusesMalformedBodiesNamingTheMember(string json, string field)
    {
        await using var app = await TestApp.StartAsync();

        var response = await app.PostJsonAsync("/api/tracker/postback-sets", json);

        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed");
        problem.GetProperty("errors").TryGetProperty(field, out _).Should().BeTrue(problem.ToString());
        problem.ToString().Should().NotContain("System.");
    }

    [Fact]
    public async Task RefusesANonJsonBodyWithUnsupportedMediaType()
    {
        await using var app = await TestApp.StartAsync();

        var response = await app.Client.PostAsync("/api/tracker/postback-sets", new StringContent("name=X&network=binomo", Encoding.UTF8, "application/x-www-form-urlencoded"));

        // Routing refuses it from the endpoint's Accepts metadata, before the handler runs.
        response.StatusCode.Should().Be(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task ListsSetsOldestFirst()
    {
        await using var app = await TestApp.StartAsync();
        await app.CreateSetAsync("binomo", name: "First");
        app.Time.Advance(TimeSpan.FromMinutes(1));
        await app.CreateSetAsync("1win", name: "Second");

        var list = await app.Client.GetFromJsonAsync<JsonElement>("/api/tracker/postback-sets");

        list.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("name").GetString()).Should().Equal("First", "Second");
        list.GetProperty("items")[1].GetProperty("urls").GetProperty("base").GetString().Should().StartWith(TestApp.PublicBaseUrl);
    }

    [Fact]
    public async Task GetsASetAndAnswersNotFoundForAnUnknownId()
    {
        await using var app = await TestApp.StartAsync();
        var created = await app.CreateSetAsync("binomo");

        var found = await app.Client.GetFromJsonAsync<JsonElement>($"/api/tracker/postback-sets/{created.GetProperty("id").GetString()}");
        var missing = await app.Client.GetAsync("/api/tracker/postback-sets/nope");

        found.ToString().Should().Be(created.ToString());
        await AssertProblemAsync(missing, HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task PatchesNameSettingsAndEnabledKeepingTheUrls()
    {
        await using var app = await TestApp.StartAsync();
        var created = await app.CreateSetAsync("1win");
        var path = $"/api/tracker/postback-sets/{created.GetProperty("id").GetString()}";

        var response = await app.PatchJsonAsync(path, """{"name":"1Win sub4","settings":{"clickIdSub":"sub4"},"enabled":false}""");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var set = await response.Content.ReadFromJsonAsync<JsonElement>();
        set.GetProperty("name").GetString().Should().Be("1Win sub4");
        set.GetProperty("enabled").GetBoolean().Should().BeFalse();
        set.GetProperty("urls").GetProperty("registration").GetString().Should().Contain("clickid={sub4}");
        TestApp.PathOf(set, "base").Split('?')[0].Should().Be(TestApp.PathOf(created, "base").Split('?')[0]);
    }

    [Fact]
    public async Task LeavesMembersAbsentFromAPatchUnchanged()
    {
        await using var app = await TestApp.StartAsync();
        var created = await app.CreateSetAsync("1win", settingsJson: """{"clickIdSub":"sub2"}""");

        var response = await app.PatchJsonAsync($"/api/tracker/postback-sets/{created.GetProperty("id").GetString()}", """{"name":"Renamed"}""");

        var set = await response.Content.ReadFromJsonAsync<JsonElement>();
        set.GetProperty("name").GetString().Should().Be("Renamed");
        set.GetProperty("enabled").GetBoolean().Should().BeTrue();
        set.GetProperty("settings").GetProperty("clickIdSub").GetString().Should().Be("sub2");
    }

    [Fact]
    public async Task RefusesInvalidPatchesAndAnswersNotFoundForAnUnknownSet()
    {
        await using var app = await TestApp.StartAsync();
        var created = await app.CreateSetAsync("1win");
        var path = $"/api/tracker/postback-sets/{created.GetProperty("id").GetString()}";

        var badSettings = await app.PatchJsonAsync(path, """{"settings":{"clickIdSub":"sub9"}}""");
        var campaign = await app.PatchJsonAsync(path, """{"campaignId":"spring"}""");
        var blankName = await app.PatchJsonAsync(path, """{"name":"  "}""");
        var unknown = await app.PatchJsonAsync("/api/tracker/postback-sets/nope", """{"name":"X"}""");

        (await AssertProblemAsync(badSettings, HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors").TryGetProperty("settings.clickIdSub", out _).Should().BeTrue();
        (await AssertProblemAsync(campaign, HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors").TryGetProperty("campaignId", out _).Should().BeTrue();
        (await AssertProblemAsync(blankName, HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors").TryGetProperty("name", out _).Should().BeTrue();
        await AssertProblemAsync(unknown, HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task DeletesASetSoThatItAndItsUrlsAnswerNotFound()
    {
        await using var app = await TestApp.StartAsync();
        var created = await app.CreateSetAsync("1win");
        var path = $"/api/tracker/postback-sets/{created.GetProperty("id").GetString()}";

        var deleted = await app.Client.DeleteAsync(path);

        deleted.StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await deleted.Content.ReadAsByteArrayAsync()).Should().BeEmpty();
        await AssertProblemAsync(await app.Client.GetAsync(path), HttpStatusCode.NotFound, "not_found");
        await AssertProblemAsync(await app.Client.DeleteAsync(path), HttpStatusCode.NotFound, "not_found");
        (await app.Client.GetAsync(TestApp.PathOf(created, "registration").Replace("{sub1}", "abcdefgh", StringComparison.Ordinal))).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await app.Client.GetFromJsonAsync<JsonElement>("/api/tracker/postback-sets")).GetProperty("items").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task RotatesTheTokenSoTheOldUrlsAnswerNotFoundAtOnce()
    {
        await using var app = await TestApp.StartAsync();
        var created = await app.CreateSetAsync("1win");
        var clickId = await app.CreateClickAsync();
        var oldPath = Bare(created);
        (await app.Client.GetAsync($"{oldPath}/registration?clickid={clickId}")).StatusCode.Should().Be(HttpStatusCode.OK);

        var response = await app.Client.PostAsync($"/api/tracker/postback-sets/{created.GetProperty("id").GetString()}/rotate-token", content: null);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var rotated = await response.Content.ReadFromJsonAsync<JsonElement>();
        rotated.GetProperty("id").GetString().Should().Be(created.GetProperty("id").GetString());
        var newPath = Bare(rotated);
        newPath.Should().NotBe(oldPath);
        (await app.Client.GetAsync($"{oldPath}/first-deposit?clickid={clickId}&amount=5&tid=1")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await app.Client.GetAsync($"{newPath}/first-deposit?clickid={clickId}&amount=5&tid=1")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task KeepsTheOldUrlsWorkingUntilTheGracePeriodEnds()
    {
        // Without the token cache: a cached lookup of the old token outlives the grace period by up to SetCacheDuration.
        await using var app = await TestApp.StartAsync(o => o.SetCacheDuration = TimeSpan.Zero);
        var created = await app.CreateSetAsync("1win");
        var clickId = await app.CreateClickAsync();
        var oldPath = Bare(created);

        var response = await app.PostJsonAsync($"/api/tracker/postback-sets/{created.GetProperty("id").GetString()}/rotate-token", """{"gracePeriodSeconds":600}""");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        app.Time.Advance(TimeSpan.FromSeconds(599));
        (await app.Client.GetAsync($"{oldPath}/registration?clickid={clickId}")).StatusCode.Should().Be(HttpStatusCode.OK);
        app.Time.Advance(TimeSpan.FromSeconds(1));
        (await app.Client.GetAsync($"{oldPath}/first-deposit?clickid={clickId}&amount=5&tid=1")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        var newPath = Bare(await response.Content.ReadFromJsonAsync<JsonElement>());
        (await app.Client.GetAsync($"{newPath}/first-deposit?clickid={clickId}&amount=5&tid=1")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task RefusesANegativeGracePeriodAndAnswersNotFoundForAnUnknownSet()
    {
        await using var app = await TestApp.StartAsync();
        var created = await app.CreateSetAsync("1win");

        var negative = await app.PostJsonAsync($"/api/tracker/postback-sets/{created.GetProperty("id").GetString()}/rotate-token", """{"gracePeriodSeconds":-1}""");
        var unknown = await app.PostJsonAsync("/api/tracker/postback-sets/nope/rotate-token", "{}");

        (await AssertProblemAsync(negative, HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors").TryGetProperty("gracePeriodSeconds", out _).Should().BeTrue();
        await AssertProblemAsync(unknown, HttpStatusCode.NotFound, "not_found");
    }

    internal static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(status, text);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var problem = JsonDocument.Parse(text).RootElement;
        problem.GetProperty("status").GetInt32().Should().Be((int)status);
        problem.GetProperty("title").GetString().Should().NotBeNullOrEmpty();
        problem.GetProperty("code").GetString().Should().Be(code);
        return problem;
    }

    private static string Bare(JsonElement set) => TestApp.PathOf(set, "base").Split('?')[0];
}
