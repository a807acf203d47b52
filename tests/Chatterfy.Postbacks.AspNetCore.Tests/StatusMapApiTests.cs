using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Chatterfy.Postbacks.AspNetCore.Tests.Infrastructure;

namespace Chatterfy.Postbacks.AspNetCore.Tests;

/// <summary>A set's status map through the HTTP API: created, kept, replaced, reset to the default, and refused when invalid.</summary>
public sealed class StatusMapApiTests
{
    private const string Sets = "/api/tracker/postback-sets";

    [Fact]
    public async Task ASetKeepsItsStatusMapUntilAPatchReplacesItOrNullResetsItToTheDefault()
    {
        await using var app = await TestApp.StartAsync();

        var created = await app.PostJsonAsync(Sets, """{"name":"Keitaro","network":"custom","settings":{"clickIdMacro":"{subid}"},"statusMap":{"approved":["sale"],"pending":["lead","Hold"]}}""");

        created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var set = await created.Content.ReadFromJsonAsync<JsonElement>();
        set.GetProperty("statusMap").GetRawText().Should().Be("""{"approved":["sale"],"pending":["lead","Hold"]}""");
        var path = $"{Sets}/{set.GetProperty("id").GetString()}";
        (await MapAfterAsync(app.PatchJsonAsync(path, """{"name":"Keitaro main"}"""))).Should().Be("""{"approved":["sale"],"pending":["lead","Hold"]}""", "a PATCH without the member leaves it");
        (await MapAfterAsync(app.PatchJsonAsync(path, """{"statusMap":{"rejected":["trash"],"approved":["ok"]}}"""))).Should().Be("""{"approved":["ok"],"rejected":["trash"]}""");
        (await app.Client.GetFromJsonAsync<JsonElement>(path)).GetProperty("statusMap").GetRawText().Should().Be("""{"approved":["ok"],"rejected":["trash"]}""");
        (await MapAfterAsync(app.PatchJsonAsync(path, """{"statusMap":null}"""))).Should().Be("null", "null goes back to the default map");
    }

    [Theory]
    [InlineData("""{"won":["sale"]}""", "'won' is not a status")]
    [InlineData("""{"approved":["sale"],"rejected":["SALE"]}""", "'SALE' is listed under both approved and rejected")]
    [InlineData("""{"approved":[""]}""", "1 to 64 characters")]
    [InlineData("""{"approved":[]}""", "send null for the default map")]
    public async Task RefusesAnInvalidStatusMapAndChangesNothing(string map, string message)
    {
        await using var app = await TestApp.StartAsync();
        var set = await app.CreateSetAsync();
        var path = $"{Sets}/{set.GetProperty("id").GetString()}";

        var answers = new[]
        {
            await app.PostJsonAsync(Sets, $$"""{"name":"Keitaro","network":"custom","settings":{"clickIdMacro":"{subid}"},"statusMap":{{map}}}"""),
            await app.PatchJsonAsync(path, $$"""{"statusMap":{{map}}}"""),
        };

        foreach (var answer in answers)
        {
            answer.StatusCode.Should().Be(HttpStatusCode.BadRequest);
            var problem = await answer.Content.ReadFromJsonAsync<JsonElement>();
            problem.GetProperty("errors").GetProperty("statusMap")[0].GetString().Should().Contain(message);
        }

        (await app.Client.GetFromJsonAsync<JsonElement>(path)).GetProperty("statusMap").ValueKind.Should().Be(JsonValueKind.Null);
        (await app.Client.GetFromJsonAsync<JsonElement>(Sets)).GetProperty("items").GetArrayLength().Should().Be(1);
    }

    [Fact]
    public async Task APostbackWithAWordTheMapDoesNotListAnswersWithStatusUnknown()
    {
        await using var app = await TestApp.StartAsync();
        var set = await app.CreateSetAsync();
        var deposit = set.GetProperty("urls").GetProperty("deposit").GetString()!;

        var answer = await app.Client.GetAsync(new Uri(deposit).PathAndQuery.Split('?')[0] + "?clickid=abc123XYZ0&amount=10&tid=T-1&cnv_status=Lead%20Won");

        var body = await answer.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("warnings").EnumerateArray().Select(w => w.GetProperty("code").GetString()).Should().Contain("status_unknown");
    }

    [Fact]
    public async Task ARemapAppliesTheChangedMapToAStoredUnknownWordOnceAndStatsFollow()
    {
        await using var app = await TestApp.StartAsync();
        var set = await app.CreateSetAsync();
        var id = set.GetProperty("id").GetString();
        var deposit = new Uri(set.GetProperty("urls").GetProperty("deposit").GetString()!).PathAndQuery.Split('?')[0];
        var click = await app.CreateClickAsync();
        (await app.Client.GetAsync($"{deposit}?clickid={click}&amount=10&tid=T-1&cnv_status=Lead%20Won")).EnsureSuccessStatusCode();
        (await app.Client.GetAsync($"{deposit}?clickid={click}&amount=10&tid=T-2&cnv_status=Bounced")).EnsureSuccessStatusCode();
        (await app.Client.GetFromJsonAsync<JsonElement>("/api/tracker/stats")).GetProperty("statuses").GetProperty("pending").GetInt32().Should().Be(2);
        (await MapAfterAsync(app.PatchJsonAsync($"{Sets}/{id}", """{"statusMap":{"approved":["lead won"],"chargeback":["bounced"]}}"""))).Should().Contain("lead won");

        var first = await app.PostJsonAsync($"{Sets}/{id}/statuses/remap", "{}");
        var second = await app.PostJsonAsync($"{Sets}/{id}/statuses/remap", "{}");
        var unknown = await app.PostJsonAsync($"{Sets}/set_unknown/statuses/remap", "{}");

        (await first.Content.ReadAsStringAsync()).Should().Be("""{"remapped":1}""", "pending cannot become chargeback, so Bounced stays unknown");
        (await second.Content.ReadAsStringAsync()).Should().Be("""{"remapped":0}""");
        unknown.StatusCode.Should().Be(HttpStatusCode.NotFound);
        var items = (await app.Client.GetFromJsonAsync<JsonElement>($"/api/tracker/conversions?setId={id}")).GetProperty("items").EnumerateArray().ToArray();
        var remapped = items.Single(c => c.GetProperty("tid").GetString() == "T-1");
        remapped.GetProperty("status").GetString().Should().Be("approved");
        remapped.GetProperty("history")[0].GetProperty("word").GetString().Should().Be("Lead Won");
        items.Single(c => c.GetProperty("tid").GetString() == "T-2").GetProperty("status").GetString().Should().Be("pending");
        var stats = await app.Client.GetFromJsonAsync<JsonElement>("/api/tracker/stats");
        stats.GetProperty("statuses").GetProperty("pending").GetInt32().Should().Be(1, "stats follow the remap");
        stats.GetProperty("deposits").GetInt32().Should().Be(1);
    }

    private static async Task<string> MapAfterAsync(Task<HttpResponseMessage> patch)
    {
        var response = await patch;
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("statusMap").GetRawText();
    }
}
