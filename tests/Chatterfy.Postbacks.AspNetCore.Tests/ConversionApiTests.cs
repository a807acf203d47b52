using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Chatterfy.Postbacks.AspNetCore.Tests.Infrastructure;
using Chatterfy.Postbacks.Currencies;
using Microsoft.Extensions.DependencyInjection;

namespace Chatterfy.Postbacks.AspNetCore.Tests;

/// <summary>The tracker API's conversions routes and the reporting currency as clients see it.</summary>
public sealed class ConversionApiTests
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(TestApp.Start.UtcDateTime);

    [Fact]
    public async Task GetsAConversionByIdWithItsReportingAmount()
    {
        var rates = new Rates();
        rates.Set("BRL", Today, 5.5m);
        rates.Set("USD", Today, 1.1m);
        await using var app = await StartAsync(rates);
        var set = await app.CreateSetAsync("1win", campaignId: "spring");
        var click = await app.CreateClickAsync("spring");
        var answer = await Ok(app, $"{Bare(set)}/first-deposit?clickid={click}&amount=100.00&currency=BRL&tid=T1");
        var id = answer.GetProperty("conversionId").GetString()!;

        var text = await app.Client.GetStringAsync($"/api/tracker/conversions/{id}");

        text.Should().Be(
            $$$"""{"id":"{{{id}}}","event":"first-deposit","amount":100.00,"currency":"BRL","tid":"T1","receivedAt":"2026-11-27T12:00:00Z","setId":"{{{set.GetProperty("id").GetString()}}}","attribution":"credited","clickId":"{{{click}}}","campaignId":"spring","reportingAmount":{"amount":20.00,"currency":"USD","rate":0.2,"rateDate":"2026-11-27"},"depositNumber":1,"status":"approved","history":[]}""");
    }

    [Fact]
    public async Task AnswersNotFoundForAnUnknownConversion()
    {
        await using var app = await TestApp.StartAsync();

        var response = await app.Client.GetAsync("/api/tracker/conversions/no-such-conversion");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString().Should().Be("not_found");
    }

    [Fact]
    public async Task ListsConversionsNewestFirstFilteredBySetAndClickAndPagedWithNext()
    {
        await using var app = await TestApp.StartAsync();
        var set = await app.CreateSetAsync("1win");
        var other = await app.CreateSetAsync("1win", name: "Other");
        var click = await app.CreateClickAsync();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await Ok(app, $"{Bare(set)}/deposit?clickid={click}&amount={i + 1}&tid=D{i}")).GetProperty("conversionId").GetString()!);
            app.Time.Advance(TimeSpan.FromMinutes(1));
        }

        var elsewhere = (await Ok(app, $"{Bare(other)}/registration?clickid=unknownClick1")).GetProperty("conversionId").GetString()!;
        var setId = set.GetProperty("id").GetString();

        var first = await app.Client.GetFromJsonAsync<JsonElement>($"/api/tracker/conversions?setId={setId}&limit=2");
        var second = await app.Client.GetFromJsonAsync<JsonElement>($"/api/tracker/conversions?setId={setId}&limit=2&before={first.GetProperty("next").GetString()}");
        var all = await app.Client.GetFromJsonAsync<JsonElement>("/api/tracker/conversions");
        var byClick = await app.Client.GetFromJsonAsync<JsonElement>("/api/tracker/conversions?clickId=unknownClick1");

        Ids(first).Should().Equal(ids[2], ids[1]);
        Ids(second).Should().Equal(ids[0]);
        second.GetProperty("next").ValueKind.Should().Be(JsonValueKind.Null);
        Ids(all).Should().Equal(elsewhere, ids[2], ids[1], ids[0]);
        Ids(byClick).Should().Equal(elsewhere);
        all.GetProperty("items")[1].GetProperty("reportingAmount").ValueKind.Should().Be(JsonValueKind.Null, "no reporting currency is set");
    }

    [Fact]
    public async Task ListsAChatUsersConversionsOfItsBoundClickInTheConversionsJsonAndPagesWithNext()
    {
        await using var app = await TestApp.StartAsync();
        var set = await app.CreateSetAsync("1win", campaignId: "spring");
        var bound = await app.Client.PutAsync("/api/tracker/subjects/tg:5512/clicks/spring", null);
        var click = (await bound.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("clickId").GetString()!;
        var someoneElse = await app.CreateClickAsync("spring");
        var registration = (await Ok(app, $"{Bare(set)}/registration?clickid={click}")).GetProperty("conversionId").GetString()!;
        app.Time.Advance(TimeSpan.FromMinutes(1));
        var deposit = (await Ok(app, $"{Bare(set)}/first-deposit?clickid={click}&amount=50&currency=USD&tid=T1")).GetProperty("conversionId").GetString()!;
        await Ok(app, $"{Bare(set)}/registration?clickid={someoneElse}");

        var first = await app.Client.GetFromJsonAsync<JsonElement>("/api/tracker/subjects/tg:5512/conversions?limit=1");
        var second = await app.Client.GetFromJsonAsync<JsonElement>($"/api/tracker/subjects/tg:5512/conversions?limit=1&before={first.GetProperty("next").GetString()}");
        var single = await app.Client.GetStringAsync($"/api/tracker/conversions/{deposit}");
        var nobody = await app.Client.GetStringAsync("/api/tracker/subjects/tg:1/conversions");
        var refused = await app.Client.GetAsync("/api/tracker/subjects/tg%20x/conversions");

        Ids(first).Should().Equal(deposit);
        Ids(second).Should().Equal(registration);
        first.GetProperty("items")[0].GetRawText().Should().Be(single, "a chat user's conversions have the conversions' JSON");
        nobody.Should().Be("""{"items":[],"next":null}""");
        (await PostbackSetApiTests.AssertProblemAsync(refused, HttpStatusCode.BadRequest, "validation_failed")).GetProperty("errors").GetProperty("subjectId")[0].GetString()
            .Should().Be(Chatterfy.Postbacks.Clicks.SubjectIds.Rule);
    }

    [Fact]
    public async Task RefusesALimitOutOfRange()
    {
        await using var app = await TestApp.StartAsync();

        var response = await app.Client.GetAsync("/api/tracker/conversions?limit=1001");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("errors").GetProperty("limit")[0].GetString().Should().Be("The limit is a whole number from 1 to 1000.");
    }

    [Fact]
    public async Task WarnsExchangeRateMissingAndRecomputesOnceTheRateExists()
    {
        var rates = new Rates();
        rates.Set("USD", Today, 1.25m);
        await using var app = await StartAsync(rates);
        var set = await app.CreateSetAsync("1win");
        var click = await app.CreateClickAsync();

        var answer = await Ok(app, $"{Bare(set)}/first-deposit?clickid={click}&amount=1000&currency=INR&tid=T1");
        var before = await Recompute(app);
        rates.Set("INR", Today.AddDays(-2), 100m);
        rates.Set("USD", Today.AddDays(-2), 1.2m);
        var after = await Recompute(app);
        var again = await Recompute(app);

        answer.GetProperty("status").GetString().Should().Be("accepted");
        answer.GetProperty("warnings")[0].GetProperty("code").GetString().Should().Be("exchange_rate_missing");
        (before, after, again).Should().Be(("""{"recomputed":0}""", """{"recomputed":1}""", """{"recomputed":0}"""));
        var conversion = await app.Client.GetFromJsonAsync<JsonElement>($"/api/tracker/conversions/{answer.GetProperty("conversionId").GetString()}");
        conversion.GetProperty("reportingAmount").ToString().Should().Be("""{"amount":12.00,"currency":"USD","rate":0.012,"rateDate":"2026-11-25"}""");
    }

    [Fact]
    public async Task StatsSumTheStoredReportingAmountsInTheReportingCurrency()
    {
        var rates = new Rates();
        rates.Set("BRL", Today, 5m);
        rates.Set("USD", Today, 1.25m);
        await using var app = await StartAsync(rates);
        var set = await app.CreateSetAsync("1win");
        var click = await app.CreateClickAsync();
        await Ok(app, $"{Bare(set)}/first-deposit?clickid={click}&amount=10.00&currency=USD&tid=T1");
        await Ok(app, $"{Bare(set)}/deposit?clickid={click}&amount=33.33&currency=BRL&tid=T2");
        await Ok(app, $"{Bare(set)}/deposit?clickid={click}&amount=33.33&currency=BRL&tid=T3");

        var text = await app.Client.GetStringAsync("/api/tracker/stats");

        // Each BRL deposit is 8.3325 USD, stored rounded once (8.33, half to even); the sum adds the stored amounts.
        text.Should().EndWith(""","reporting":{"currency":"USD","firstDeposits":10.00,"deposits":16.66,"chargebacks":0},"repeatDeposits":{"2":1,"3":1,"4+":0},"statuses":{"pending":0,"rejected":0,"chargeback":0}}""");
    }

    private static Task<TestApp> StartAsync(Rates rates) =>
        TestApp.StartAsync(o => o.ReportingCurrency = "USD", services: s => s.AddSingleton<IExchangeRateSource>(rates));

    private static async Task<string> Recompute(TestApp app)
    {
        var response = await app.Client.PostAsync("/api/tracker/conversions/reporting-amounts/recompute", null);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return await response.Content.ReadAsStringAsync();
    }

    private static IEnumerable<string> Ids(JsonElement page) => page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!);

    private static string Bare(JsonElement set) => TestApp.PathOf(set, "base").Split('?')[0];

    private static async Task<JsonElement> Ok(TestApp app, string path)
    {
        var response = await app.Client.GetAsync(path);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Rates by day that a test adds as it goes.</summary>
    private sealed class Rates : IExchangeRateSource
    {
        private readonly ConcurrentDictionary<(string Currency, DateOnly Day), decimal> _rates = new();

        public void Set(string currency, DateOnly day, decimal unitsPerEuro) => _rates[(currency, day)] = unitsPerEuro;

        public bool TryGetRate(string currency, DateOnly day, out decimal unitsPerEuro) => _rates.TryGetValue((currency, day), out unitsPerEuro);
    }
}
