using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Chatterfy.Postbacks.AspNetCore.Tests.Infrastructure;

namespace Chatterfy.Postbacks.AspNetCore.Tests;

/// <summary>Numbered deposits over HTTP: the receiver's answer, the postback log and the click's conversions carry the number.</summary>
public sealed class DepositNumberTests
{
    [Fact]
    public async Task AnswersTheDepositNumberOfARepeatDepositBeforeTheFirstDeposit_ThenOfTheFirstDepositAndTheNextRepeat()
    {
        await using var app = await TestApp.StartAsync();
        var set = await app.CreateSetAsync("1win");
        var clickId = await app.CreateClickAsync();
        var path = TestApp.PathOf(set, "base").Split('?')[0];

        var early = await AnswerAsync(app, $"{path}/deposit?clickid={clickId}&amount=20&tid=D1");
        var first = await AnswerAsync(app, $"{path}/first-deposit?clickid={clickId}&amount=50&tid=F1");
        var repeat = await AnswerAsync(app, $"{path}/deposit?clickid={clickId}&amount=30&tid=D2");
        var retry = await AnswerAsync(app, $"{path}/deposit?clickid={clickId}&amount=30&tid=D2");
        var registration = await AnswerAsync(app, $"{path}/registration?clickid={clickId}");

        early.GetProperty("depositNumber").GetInt32().Should().Be(2, "a repeat deposit never takes 1");
        first.GetProperty("depositNumber").GetInt32().Should().Be(1);
        repeat.GetProperty("depositNumber").GetInt32().Should().Be(3);
        retry.GetProperty("status").GetString().Should().Be("duplicate");
        retry.TryGetProperty("depositNumber", out _).Should().BeFalse("a duplicate takes no number");
        registration.TryGetProperty("depositNumber", out _).Should().BeFalse("a registration is not a deposit");
    }

    [Fact]
    public async Task ShowsTheDepositNumberOnTheLogEntriesAndTheClicksConversions()
    {
        await using var app = await TestApp.StartAsync();
        var set = await app.CreateSetAsync("1win");
        var clickId = await app.CreateClickAsync();
        var path = TestApp.PathOf(set, "base").Split('?')[0];
        var first = await AnswerAsync(app, $"{path}/first-deposit?clickid={clickId}&amount=50&tid=F1");
        var repeat = await AnswerAsync(app, $"{path}/deposit?clickid={clickId}&amount=30&tid=D1");

        var log = await app.Client.GetFromJsonAsync<JsonElement>("/api/tracker/postback-log?limit=10");
        var click = await app.Client.GetFromJsonAsync<JsonElement>($"/api/tracker/clicks/{clickId}");

        var numbers = log.GetProperty("items").EnumerateArray()
            .ToDictionary(e => e.GetProperty("conversionId").GetString()!, e => e.GetProperty("depositNumber").GetInt32());
        numbers.Should().BeEquivalentTo(new Dictionary<string, int>
        {
            [first.GetProperty("conversionId").GetString()!] = 1,
            [repeat.GetProperty("conversionId").GetString()!] = 2,
        });
        click.GetProperty("conversions").EnumerateArray().Select(c => c.GetProperty("depositNumber").GetInt32()).Should().BeEquivalentTo([1, 2]);
    }

    private static async Task<JsonElement> AnswerAsync(TestApp app, string url)
    {
        using var response = await app.Client.GetAsync(url);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
