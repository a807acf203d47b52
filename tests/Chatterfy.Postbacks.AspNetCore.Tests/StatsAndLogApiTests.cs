using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Chatterfy.Postbacks.AspNetCore.Tests.Infrastructure;
using static Chatterfy.Postbacks.AspNetCore.Tests.PostbackSetApiTests;

namespace Chatterfy.Postbacks.AspNetCore.Tests;

/// <summary>The tracker API's stats and postback-log routes.</summary>
public sealed class StatsAndLogApiTests
{
    [Fact]
    public async Task CountsConversionsAndSumsAmountsPerCurrencyExactly()
    {
        await using var app = await TestApp.StartAsync();
        var set = await app.CreateSetAsync("1win");
        var bare = Bare(set);
        var first = await app.CreateClickAsync("spring");
        var second = await app.CreateClickAsync("spring");
        await Ok(app, $"{bare}/registration?clickid={first}");
        await Ok(app, $"{bare}/first-deposit?clickid={first}&amount=10.10&tid=1");
        await Ok(app, $"{bare}/first-deposit?clickid={second}&amount=0.20&tid=2");
        await Ok(app, $"{bare}/deposit?clickid={second}&amount=5&currency=EUR&tid=3");
        await Ok(app, $"{bare}/deposit?clickid={second}&amount=0.1&tid=4");
        await Ok(app, $"{bare}/registration?clickid=unknownClick1");
        (await app.Client.GetAsync($"{bare}/deposit?clickid={second}&amount=1,234&tid=5")).StatusCode.Should().Be(HttpStatusCode.BadRequest);

        var response = await app.Client.GetAsync("/api/tracker/stats");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var text = await response.Content.ReadAsStringAsync();
        text.Should().Be("""{"clicks":2,"registrations":1,"firstDeposits":2,"deposits":2,"unattributed":1,"rejected":1,"amounts":[{"currency":"EUR","firstDeposits":0,"deposits":5,"chargebacks":0},{"currency":"USD","firstDeposits":10.30,"deposits":0.1,"chargebacks":0}],"reporting":null,"repeatDeposits":{"2":1,"3":1,"4+":0},"statuses":{"pending":0,"rejected":0,"chargeback":0}}""");
    }

    [Fact]
    public async Task FiltersStatsByTimeRangeCampaignAndSet()
    {
        await using var app = await TestApp.StartAsync();
        var set = await app.CreateSetAsync("1win");
        var other = await app.CreateSetAsync("1win", name: "Other");
        var spring = await app.CreateClickAsync("spring");
        var autumn = await app.CreateClickAsync("autumn");
        await Ok(app, $"{Bare(set)}/registration?clickid={spring}");
        app.Time.Advance(TimeSpan.FromHours(2));
        await Ok(app, $"{Bare(other)}/registration?clickid={autumn}");

        var early = await app.Client.GetFromJsonAsync<JsonElement>("/api/tracker/stats?from=2026-11-27T00:00:00Z&to=2026-11-27T13:00:00Z");
        var late = await app.Client.GetFromJsonAsync<JsonElement>("/api/tracker/stats?from=2026-11-27T16:00:00%2B03:00");
        var unencodedPlus = await app.Client.GetFromJsonAsync<JsonElement>("/api/tracker/stats?from=2026-11-27T16:00:00+03:00");
        var bySet = await app.Client.GetFromJsonAsync<JsonElement>($"/api/tracker/stats?setId={set.GetProperty("id").GetString()}");
        var byCampaign = await app.Client.GetFromJsonAsync<JsonElement>("/api/tracker/stats?campaignId=autumn");

        early.GetProperty("registrations").GetInt64().Should().Be(1);
        early.GetProperty("clicks").GetInt64().Should().Be(2);
        late.GetProperty("registrations").GetInt64().Should().Be(1);
        late.GetProperty("clicks").GetInt64().Should().Be(0);
        unencodedPlus.ToString().Should().Be(late.ToString());
        bySet.GetProperty("registrations").GetInt64().Should().Be(1);
        byCampaign.GetProperty("registrations").GetInt64().Should().Be(1);
        byCampaign.GetProperty("clicks").GetInt64().Should().Be(1);
    }

    [Fact]
    public async Task AnswersNotFoundForTheStatsOfASetThatNeverExistedButKeepsADeletedSetsStats()
    {
        await using var app = await TestApp.StartAsync();
        var set = await app.CreateSetAsync("1win");
        var setId = set.GetProperty("id").GetString()!;
        var click = await app.CreateClickAsync();
        await Ok(app, $"{Bare(set)}/registration?clickid={click}");
        (await app.Client.DeleteAsync($"/api/tracker/postback-sets/{setId}")).StatusCode.Should().Be(HttpStatusCode.NoContent);

        var unknown = await app.Client.GetAsync("/api/tracker/stats?setId=01a21ce06e0070000000000000000000");
        var deleted = await app.Client.GetFromJsonAsync<JsonElement>($"/api/tracker/stats?setId={setId}");

        var problem = await AssertProblemAsync(unknown, HttpStatusCode.NotFound, "not_found");
        problem.GetProperty("detail").GetString().Should().Contain("01a21ce06e0070000000000000000000");
        deleted.GetProperty("registrations").GetInt64().Should().Be(1);
        deleted.GetProperty("clicks").GetInt64().Should().Be(1);
    }

    [Theory]
    [InlineData("from=yesterday", "from")]
    [InlineData("to=2026-13-01", "to")]
    [InlineData("from=2026-11-28T00:00:00Z&to=2026-11-27T00:00:00Z", "to")]
    public async Task RefusesInvalidTimes(string query, string field)
    {
        await using var app = await TestApp.StartAsync();

        var response = await app.Client.GetAsync($"/api/tracker/stats?{query}");
        var daily = await app.Client.GetAsync($"/api/tracker/stats/daily?{query}");

        (await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors").EnumerateObject().Select(p => p.Name).Should().Equal(field);
        (await AssertProblemAsync(daily, HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors").EnumerateObject().Select(p => p.Name).Should().Equal(field);
    }

    [Fact]
    public async Task CountsTheFunnelPerUtcDayAndTheDaysAddUpToTheStats()
    {
        await using var app = await TestApp.StartAsync();
        var set = await app.CreateSetAsync("1win");
        var first = await app.CreateClickAsync("spring");
        await Ok(app, $"{Bare(set)}/registration?clickid={first}");
        await Ok(app, $"{Bare(set)}/first-deposit?clickid={first}&amount=10.10&tid=1");
        app.Time.Advance(TimeSpan.FromHours(12));
        var second = await app.CreateClickAsync("autumn");
        await Ok(app, $"{Bare(set)}/registration?clickid={second}");
        await Ok(app, $"{Bare(set)}/registration?clickid=unknownClick1");
        app.Time.Advance(TimeSpan.FromDays(1));
        await Ok(app, $"{Bare(set)}/deposit?clickid={first}&amount=5&tid=2");
        await Ok(app, $"{Bare(set)}/deposit?clickid={first}&amount=5&tid=3");

        var response = await app.Client.GetAsync("/api/tracker/stats/daily");
        var stats = await app.Client.GetFromJsonAsync<JsonElement>("/api/tracker/stats");
        var autumn = await app.Client.GetFromJsonAsync<JsonElement>("/api/tracker/stats/daily?campaignId=autumn");
        var lastDays = await app.Client.GetFromJsonAsync<JsonElement>("/api/tracker/stats/daily?from=2026-11-28T03:00:00%2B03:00&to=2026-11-29T00:00:00Z");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be(
            """{"days":[{"day":"2026-11-27","clicks":1,"registrations":1,"firstDeposits":1,"deposits":0,"repeatDeposits":{"2":0,"3":0,"4+":0},"statuses":{"pending":0,"rejected":0,"chargeback":0}},"""
            + """{"day":"2026-11-28","clicks":1,"registrations":1,"firstDeposits":0,"deposits":0,"repeatDeposits":{"2":0,"3":0,"4+":0},"statuses":{"pending":0,"rejected":0,"chargeback":0}},"""
            + """{"day":"2026-11-29","clicks":0,"registrations":0,"firstDeposits":0,"deposits":2,"repeatDeposits":{"2":1,"3":1,"4+":0},"statuses":{"pending":0,"rejected":0,"chargeback":0}}]}""");
        stats.GetProperty("registrations").GetInt64().Should().Be(2);
        stats.GetProperty("deposits").GetInt64().Should().Be(2);
        autumn.GetProperty("days").EnumerateArray().Select(d => d.GetProperty("day").GetString()).Should().Equal("2026-11-28");
        lastDays.GetProperty("days").EnumerateArray().Select(d => d.GetProperty("day").GetString()).Should().Equal(["2026-11-28"], "the range is [28th 00:00 UTC, 29th 00:00 UTC)");
    }

    [Fact]
    public async Task CountsRepeatDepositsByTheirNumberInTheStatsAndPerDay()
    {
        await using var app = await TestApp.StartAsync();
        var set = await app.CreateSetAsync("1win");
        var click = await app.CreateClickAsync("spring");
        var other = await app.CreateClickAsync("autumn");
        await Ok(app, $"{Bare(set)}/deposit?clickid={other}&amount=3&tid=o1");
        await Ok(app, $"{Bare(set)}/first-deposit?clickid={click}&amount=10&tid=1");
        await Ok(app, $"{Bare(set)}/deposit?clickid={click}&amount=5&tid=2");
        await Ok(app, $"{Bare(set)}/deposit?clickid={click}&amount=5&tid=2");
        app.Time.Advance(TimeSpan.FromDays(1));
        await Ok(app, $"{Bare(set)}/deposit?clickid={click}&amount=6&tid=3");
        await Ok(app, $"{Bare(set)}/deposit?clickid={click}&amount=7&tid=4");
        await Ok(app, $"{Bare(set)}/deposit?clickid={click}&amount=8&tid=5");
        await Ok(app, $"{Bare(set)}/deposit?clickid=unknownClick1&amount=9&tid=6");

        var stats = await app.Client.GetFromJsonAsync<JsonElement>("/api/tracker/stats");
        var spring = await app.Client.GetFromJsonAsync<JsonElement>("/api/tracker/stats?campaignId=spring");
        var daily = await app.Client.GetFromJsonAsync<JsonElement>("/api/tracker/stats/daily");

        // Click "other": a deposit before any first deposit takes 2. Click "click": 1, 2 (its retry is a duplicate), 3, 4, 5.
        stats.GetProperty("repeatDeposits").GetRawText().Should().Be("""{"2":2,"3":1,"4+":2}""");
        stats.GetProperty("deposits").GetInt64().Should().Be(5, "repeat deposits are counted like deposits: credited, stored once");
        spring.GetProperty("repeatDeposits").GetRawText().Should().Be("""{"2":1,"3":1,"4+":2}""");
        daily.GetProperty("days").EnumerateArray().Select(d => d.GetProperty("repeatDeposits").GetRawText())
            .Should().Equal("""{"2":2,"3":0,"4+":0}""", """{"2":0,"3":1,"4+":2}""");
    }

    [Fact]
    public async Task AnswersNotFoundForTheDailyStatsOfASetThatNeverExisted()
    {
        await using var app = await TestApp.StartAsync();
        var set = await app.CreateSetAsync("1win");

        var unknown = await app.Client.GetAsync("/api/tracker/stats/daily?setId=01a21ce06e0070000000000000000000");
        var empty = await app.Client.GetAsync($"/api/tracker/stats/daily?setId={set.GetProperty("id").GetString()}");

        await AssertProblemAsync(unknown, HttpStatusCode.NotFound, "not_found");
        (await empty.Content.ReadAsStringAsync()).Should().Be("""{"days":[]}""");
    }

    [Fact]
    public async Task ListsTheLogNewestFirstWithACursor()
    {
        await using var app = await TestApp.StartAsync();
        var set = await app.CreateSetAsync("1win");
        var clickId = await app.CreateClickAsync();
        await Ok(app, $"{Bare(set)}/registration?clickid={clickId}");
        app.Time.Advance(TimeSpan.FromSeconds(1));
        await Ok(app, $"{Bare(set)}/registration?clickid={clickId}");
        app.Time.Advance(TimeSpan.FromSeconds(1));
        await app.Client.GetAsync($"{Bare(set)}/first-deposit?clickid={clickId}");

        var page1 = await app.Client.GetFromJsonAsync<JsonElement>("/api/tracker/postback-log?limit=2");
        var next = page1.GetProperty("next").GetString();
        var page2 = await app.Client.GetFromJsonAsync<JsonElement>($"/api/tracker/postback-log?limit=2&before={next}");

        page1.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("outcome").GetString()).Should().Equal("rejected", "duplicate");
        next.Should().Be(page1.GetProperty("items")[1].GetProperty("id").GetString());
        page2.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("outcome").GetString()).Should().Equal("accepted");
        page2.GetProperty("next").ValueKind.Should().Be(JsonValueKind.Null);
        var accepted = page2.GetProperty("items")[0];
        accepted.GetProperty("receivedAt").GetString().Should().Be("2026-11-27T12:00:00Z");
        accepted.GetProperty("setId").GetString().Should().Be(set.GetProperty("id").GetString());
        accepted.GetProperty("method").GetString().Should().Be("GET");
        accepted.GetProperty("path").GetString().Should().Be($"{Bare(set)}/registration");
        accepted.GetProperty("query").GetString().Should().Be($"?clickid={clickId}");
        accepted.GetProperty("body").ValueKind.Should().Be(JsonValueKind.Null);
        accepted.GetProperty("code").ValueKind.Should().Be(JsonValueKind.Null);
        accepted.GetProperty("warnings").GetArrayLength().Should().Be(0);
        accepted.GetProperty("conversionId").GetString().Should().NotBeNullOrEmpty();
        page1.GetProperty("items")[0].GetProperty("code").GetString().Should().Be("amount_missing");
    }

    [Fact]
    public async Task FiltersTheLogBySetAndOutcome()
    {
        await using var app = await TestApp.StartAsync();
        var set = await app.CreateSetAsync("1win");
        var other = await app.CreateSetAsync("1win", name: "Other");
        await Ok(app, $"{Bare(set)}/registration?clickid=unknownClick1");
        await app.Client.GetAsync($"{Bare(set)}/registration");
        await Ok(app, $"{Bare(other)}/registration?clickid=unknownClick2");

        var rejected = await app.Client.GetFromJsonAsync<JsonElement>("/api/tracker/postback-log?outcome=rejected");
        var ofOther = await app.Client.GetFromJsonAsync<JsonElement>($"/api/tracker/postback-log?setId={other.GetProperty("id").GetString()}");
        var unattributed = await app.Client.GetFromJsonAsync<JsonElement>($"/api/tracker/postback-log?setId={set.GetProperty("id").GetString()}&outcome=Unattributed");

        rejected.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("code").GetString()).Should().Equal("click_id_missing");
        ofOther.GetProperty("items").GetArrayLength().Should().Be(1);
        var item = unattributed.GetProperty("items").EnumerateArray().Single();
        item.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()).Should().Equal("click_unknown");
    }

    [Fact]
    public async Task FiltersTheLogByCodeAndByATimeRangeThatIncludesItsStartAndExcludesItsEnd()
    {
        await using var app = await TestApp.StartAsync();
        var set = await app.CreateSetAsync("1win");
        await app.Client.GetAsync($"{Bare(set)}/registration?clickid=%7Bsub1%7D");
        app.Time.Advance(TimeSpan.FromHours(1));
        await app.Client.GetAsync($"{Bare(set)}/registration");
        app.Time.Advance(TimeSpan.FromHours(1));
        await app.Client.GetAsync($"{Bare(set)}/registration?clickid={{sub1}}");

        async Task<string?[]> CodesAsync(string query) =>
            [.. (await app.Client.GetFromJsonAsync<JsonElement>($"/api/tracker/postback-log?{query}")).GetProperty("items").EnumerateArray()
                .Select(i => $"{i.GetProperty("code").GetString()}@{i.GetProperty("receivedAt").GetString()}")];

        (await CodesAsync("code=macro_not_substituted")).Should().Equal("macro_not_substituted@2026-11-27T14:00:00Z", "macro_not_substituted@2026-11-27T12:00:00Z");
        (await CodesAsync("code=click_id_missing")).Should().Equal("click_id_missing@2026-11-27T13:00:00Z");
        (await CodesAsync("from=2026-11-27T13:00:00Z&to=2026-11-27T14:00:00Z")).Should().Equal("click_id_missing@2026-11-27T13:00:00Z");
        (await CodesAsync("from=2026-11-27T16:00:00+03:00")).Should().Equal("macro_not_substituted@2026-11-27T14:00:00Z", "click_id_missing@2026-11-27T13:00:00Z");
        (await CodesAsync("code=macro_not_substituted&to=2026-11-27T13:00:00Z")).Should().Equal("macro_not_substituted@2026-11-27T12:00:00Z");
        (await CodesAsync("code=amount_invalid")).Should().BeEmpty();
    }

    [Theory]
    [InlineData("from=yesterday", "from")]
    [InlineData("to=2026-13-01", "to")]
    [InlineData("from=2026-11-28T00:00:00Z&to=2026-11-27T00:00:00Z", "to")]
    public async Task RefusesInvalidLogTimesAsTheStatsDo(string query, string field)
    {
        await using var app = await TestApp.StartAsync();

        var log = await app.Client.GetAsync($"/api/tracker/postback-log?{query}");
        var stats = await app.Client.GetAsync($"/api/tracker/stats?{query}");

        var logErrors = (await AssertProblemAsync(log, HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors");
        var statsErrors = (await AssertProblemAsync(stats, HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors");
        logErrors.EnumerateObject().Select(p => p.Name).Should().Equal(field);
        logErrors.ToString().Should().Be(statsErrors.ToString());
    }

    [Theory]
    [InlineData("outcome=lost", "outcome")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=1001", "limit")]
    [InlineData("limit=ten", "limit")]
    public async Task RefusesInvalidLogQueries(string query, string field)
    {
        await using var app = await TestApp.StartAsync();

        var response = await app.Client.GetAsync($"/api/tracker/postback-log?{query}");

        (await AssertProblemAsync(response, HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors").EnumerateObject().Select(p => p.Name).Should().Equal(field);
    }

    [Fact]
    public async Task ReplayingAnAcceptedPostbackYieldsDuplicate()
    {
        await using var app = await TestApp.StartAsync();
        var set = await app.CreateSetAsync("1win");
        var clickId = await app.CreateClickAsync();
        var original = await Ok(app, $"{Bare(set)}/first-deposit?clickid={clickId}&amount=40&tid=R1");
        var entryId = (await app.Client.GetFromJsonAsync<JsonElement>("/api/tracker/postback-log")).GetProperty("items")[0].GetProperty("id").GetString();

        var response = await app.Client.PostAsync($"/api/tracker/postback-log/{entryId}/replay", content: null);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("status").GetString().Should().Be("duplicate");
        body.GetProperty("conversionId").GetString().Should().Be(original.GetProperty("conversionId").GetString());
        var stats = await app.Client.GetFromJsonAsync<JsonElement>("/api/tracker/stats");
        stats.GetProperty("firstDeposits").GetInt64().Should().Be(1);
    }

    [Fact]
    public async Task ReplayingARejectedPostbackAfterFixingTheSettingsAcceptsIt()
    {
        await using var app = await TestApp.StartAsync();
        var set = await app.CreateSetAsync("binomo");
        var clickId = await app.CreateClickAsync();

        // The marketer renamed Binomo's FTD flag in the panel but not in the set's settings.
        var rejected = await app.Client.GetAsync($"{Bare(set)}?click_id={clickId}&deposit_first=true&amount=30&transaction_id=77");
        (await AssertProblemAsync(rejected, HttpStatusCode.BadRequest, "event_unknown")).Should().NotBeNull();
        var entryId = (await app.Client.GetFromJsonAsync<JsonElement>("/api/tracker/postback-log?outcome=rejected")).GetProperty("items")[0].GetProperty("id").GetString();
        var stillRejected = await app.Client.PostAsync($"/api/tracker/postback-log/{entryId}/replay", content: null);
        await AssertProblemAsync(stillRejected, HttpStatusCode.BadRequest, "event_unknown");
        app.Time.Advance(TimeSpan.FromHours(1));
        (await app.PatchJsonAsync($"/api/tracker/postback-sets/{set.GetProperty("id").GetString()}", """{"settings":{"eventFlags":{"deposit_first":"first-deposit"}}}""")).StatusCode.Should().Be(HttpStatusCode.OK);

        var replayed = await app.Client.PostAsync($"/api/tracker/postback-log/{entryId}/replay", content: null);

        replayed.StatusCode.Should().Be(HttpStatusCode.OK, await replayed.Content.ReadAsStringAsync());
        (await replayed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString().Should().Be("accepted");
        var conversion = (await app.Client.GetFromJsonAsync<JsonElement>($"/api/tracker/clicks/{clickId}")).GetProperty("conversions").EnumerateArray().Single();
        conversion.GetProperty("event").GetString().Should().Be("first-deposit");
        conversion.GetProperty("receivedAt").GetString().Should().Be("2026-11-27T12:00:00Z", "a replay keeps the original receive time");
    }

    [Fact]
    public async Task ReplayAnswersNotFoundForAnUnknownEntryOrADeletedSet()
    {
        await using var app = await TestApp.StartAsync();
        var set = await app.CreateSetAsync("1win");
        await Ok(app, $"{Bare(set)}/registration?clickid=unknownClick1");
        var entryId = (await app.Client.GetFromJsonAsync<JsonElement>("/api/tracker/postback-log")).GetProperty("items")[0].GetProperty("id").GetString();
        await app.Client.DeleteAsync($"/api/tracker/postback-sets/{set.GetProperty("id").GetString()}");

        await AssertProblemAsync(await app.Client.PostAsync("/api/tracker/postback-log/nope/replay", content: null), HttpStatusCode.NotFound, "not_found");
        await AssertProblemAsync(await app.Client.PostAsync($"/api/tracker/postback-log/{entryId}/replay", content: null), HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task AnswersServiceUnavailableWithRetryAfterWhenTheStoreIsDown()
    {
        var store = new UnavailableStore { RetryAfter = TimeSpan.FromSeconds(12) };
        await using var app = await TestApp.StartAsync(store: store);
        store.IsUnavailable = true;

        var stats = await app.Client.GetAsync("/api/tracker/stats");
        var create = await app.PostJsonAsync("/api/tracker/postback-sets", """{"name":"X","network":"binomo"}""");

        foreach (var response in new[] { stats, create })
        {
            await AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable, "store_unavailable");
            response.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(12));
            (await response.Content.ReadAsStringAsync()).Should().NotContain(UnavailableStore.SecretMessage);
        }
    }

    private static string Bare(JsonElement set) => TestApp.PathOf(set, "base").Split('?')[0];

    private static async Task<JsonElement> Ok(TestApp app, string path)
    {
        var response = await app.Client.GetAsync(path);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
