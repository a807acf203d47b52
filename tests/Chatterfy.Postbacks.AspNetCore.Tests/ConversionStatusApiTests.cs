using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Chatterfy.Postbacks.AspNetCore.Tests.Infrastructure;

namespace Chatterfy.Postbacks.AspNetCore.Tests;

/// <summary>Conversion statuses as clients see them: the receiver's answers, the conversion's history, the list's status filter.</summary>
public sealed class ConversionStatusApiTests
{
    [Fact]
    public async Task APendingDepositApprovedThenChargedBack_IsAnsweredChangedAndShowsItsHistory()
    {
        await using var app = await TestApp.StartAsync();
        var set = await app.CreateSetAsync("1win");
        var click = await app.CreateClickAsync();
        var url = $"{Bare(set)}/first-deposit?clickid={click}&amount=25.50&tid=T-1";

        var pending = await Ok(app, url + "&status=Hold");
        app.Time.Advance(TimeSpan.FromHours(2));
        var approved = await Ok(app, url + "&status=approved");
        app.Time.Advance(TimeSpan.FromDays(3));
        var chargeback = await Ok(app, url + "&cnv_status=refund");
        var id = pending.GetProperty("conversionId").GetString()!;
        var conversion = await app.Client.GetFromJsonAsync<JsonElement>($"/api/tracker/conversions/{id}");

        (pending.GetProperty("status").GetString(), pending.GetProperty("conversionStatus").GetString()).Should().Be(("accepted", "pending"));
        (approved.GetProperty("status").GetString(), approved.GetProperty("conversionStatus").GetString()).Should().Be(("changed", "approved"));
        (chargeback.GetProperty("status").GetString(), chargeback.GetProperty("conversionStatus").GetString()).Should().Be(("changed", "chargeback"));
        approved.GetProperty("conversionId").GetString().Should().Be(id);
        conversion.GetProperty("status").GetString().Should().Be("chargeback");
        conversion.TryGetProperty("statusWord", out _).Should().BeFalse("the word was in the map");
        var changed = (await app.Client.GetFromJsonAsync<JsonElement>("/api/tracker/postback-log?outcome=changed")).GetProperty("items");
        changed.GetArrayLength().Should().Be(2);
        changed.EnumerateArray().Should().OnlyContain(e => e.GetProperty("conversionId").GetString() == id);
        conversion.GetProperty("history").GetRawText().Should().Be(
            $$"""[{"at":"2026-11-27T14:00:00Z","from":"pending","to":"approved","word":"approved","logEntryId":"{{changed[1].GetProperty("id").GetString()}}"},{"at":"2026-11-30T14:00:00Z","from":"approved","to":"chargeback","word":"refund","logEntryId":"{{changed[0].GetProperty("id").GetString()}}"}]""");
    }

    [Fact]
    public async Task AStatusTheMapDoesNotKnow_IsPendingWithTheWordShown_AndTheListFiltersByStatus()
    {
        await using var app = await TestApp.StartAsync();
        var set = await app.CreateSetAsync("1win");
        var click = await app.CreateClickAsync();
        var unknown = (await Ok(app, $"{Bare(set)}/deposit?clickid={click}&amount=5&tid=D-1&status=Wartend")).GetProperty("conversionId").GetString()!;
        app.Time.Advance(TimeSpan.FromMinutes(1));
        var plain = (await Ok(app, $"{Bare(set)}/deposit?clickid={click}&amount=6&tid=D-2")).GetProperty("conversionId").GetString()!;

        var pending = await app.Client.GetFromJsonAsync<JsonElement>("/api/tracker/conversions?status=pending");
        var approved = await app.Client.GetFromJsonAsync<JsonElement>("/api/tracker/conversions?status=approved");
        using var invalid = await app.Client.GetAsync("/api/tracker/conversions?status=paid");

        var item = pending.GetProperty("items").EnumerateArray().Should().ContainSingle().Subject;
        item.GetProperty("id").GetString().Should().Be(unknown);
        item.GetProperty("statusWord").GetString().Should().Be("Wartend");
        item.GetProperty("history").GetArrayLength().Should().Be(0);
        approved.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()).Should().Equal(plain);
        invalid.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await invalid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("status")[0].GetString()
            .Should().Be("The status is approved, pending, rejected, chargeback.");
    }

    [Fact]
    public async Task TheStatusUrlWithoutATarget_Answers400StatusTargetUnknown_AndAnIgnoredTransitionAnswers200Duplicate()
    {
        await using var app = await TestApp.StartAsync();
        var set = await app.CreateSetAsync("1win");
        var click = await app.CreateClickAsync();
        await Ok(app, $"{Bare(set)}/registration?clickid={click}");

        using var noTarget = await app.Client.GetAsync($"{Bare(set)}/status?clickid={click}&status=approved");
        var ignored = await Ok(app, $"{Bare(set)}/registration?clickid={click}&status=pending");

        noTarget.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await noTarget.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString().Should().Be("status_target_unknown");
        ignored.GetProperty("status").GetString().Should().Be("duplicate");
        ignored.GetProperty("conversionStatus").GetString().Should().Be("approved");
        ignored.GetProperty("warnings")[0].GetProperty("code").GetString().Should().Be("status_transition_ignored");
    }

    [Fact]
    public async Task StatsCountApprovedConversions_TheOthersByStatus_AndChargebacksPerCurrency_RestatingTheDayTheyWereReceived()
    {
        await using var app = await TestApp.StartAsync();
        var set = await app.CreateSetAsync("1win");
        var click = await app.CreateClickAsync();
        var first = $"{Bare(set)}/first-deposit?clickid={click}&amount=25.50&tid=T-1";
        var second = $"{Bare(set)}/deposit?clickid={click}&amount=10.25&tid=T-2";
        var third = $"{Bare(set)}/deposit?clickid={click}&amount=4&tid=T-3";
        await Ok(app, first + "&status=Hold");
        await Ok(app, second);
        await Ok(app, third + "&status=pending");
        await Ok(app, $"{Bare(set)}/deposit?clickid=unknownClick1&amount=3&tid=T-4&status=pending");
        var before = await app.Client.GetStringAsync("/api/tracker/stats");

        // Two days later: the first deposit is approved, the second charged back, the third rejected.
        app.Time.Advance(TimeSpan.FromDays(2));
        await Ok(app, first + "&status=approved");
        await Ok(app, second + "&status=chargeback");
        await Ok(app, third + "&status=rejected");
        var after = await app.Client.GetStringAsync("/api/tracker/stats");
        var daily = await app.Client.GetFromJsonAsync<JsonElement>("/api/tracker/stats/daily");

        before.Should().Be("""{"clicks":1,"registrations":0,"firstDeposits":0,"deposits":1,"unattributed":1,"rejected":0,"amounts":[{"currency":"USD","firstDeposits":0,"deposits":10.25,"chargebacks":0}],"reporting":null,"repeatDeposits":{"2":1,"3":0,"4+":0},"statuses":{"pending":2,"rejected":0,"chargeback":0}}""");
        after.Should().Be("""{"clicks":1,"registrations":0,"firstDeposits":1,"deposits":0,"unattributed":1,"rejected":0,"amounts":[{"currency":"USD","firstDeposits":25.50,"deposits":0,"chargebacks":10.25}],"reporting":null,"repeatDeposits":{"2":0,"3":0,"4+":0},"statuses":{"pending":0,"rejected":1,"chargeback":1}}""");
        daily.GetProperty("days").GetRawText().Should().Be(
            """[{"day":"2026-11-27","clicks":1,"registrations":0,"firstDeposits":1,"deposits":0,"repeatDeposits":{"2":0,"3":0,"4+":0},"statuses":{"pending":0,"rejected":1,"chargeback":1}}]""",
            "the changes restate the day the conversions were received, not the day they changed");
    }

    private static string Bare(JsonElement set) => TestApp.PathOf(set, "base").Split('?')[0];

    private static async Task<JsonElement> Ok(TestApp app, string path)
    {
        using var response = await app.Client.GetAsync(path);
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
