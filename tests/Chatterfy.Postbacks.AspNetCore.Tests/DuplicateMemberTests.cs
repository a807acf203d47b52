using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Chatterfy.Postbacks.AspNetCore.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Chatterfy.Postbacks.AspNetCore.Tests.PostbackSetApiTests;

namespace Chatterfy.Postbacks.AspNetCore.Tests;

/// <summary>
/// A JSON member given twice in a tracker API body, at any depth (settings and fields included), is refused with a 400
/// naming the field, rather than the last one silently winning; nothing is created or changed.
/// </summary>
public sealed class DuplicateMemberTests
{
    private const string Destination = "https://t.me/mybot?start={{tracker.clickid}}";

    public static TheoryData<string, string, string, string> Bodies => new()
    {
        { "POST", "/api/tracker/postback-sets", """{"name":"a","name":"b","network":"binomo"}""", "name" },
        { "POST", "/api/tracker/postback-sets", """{"name":"a","Name":"b","network":"binomo"}""", "Name" },
        { "POST", "/api/tracker/postback-sets", """{"name":"a","network":"1win","settings":{"clickIdSub":"sub1","clickIdSub":"sub4"}}""", "settings" },
        { "POST", "/api/tracker/postback-sets", """{"name":"a","network":"custom","settings":{"clickIdMacro":"{subid}","fields":{"user":"{uid}","user":"{user_id}"}}}""", "settings" },
        { "PATCH", "/api/tracker/postback-sets/{set}", """{"settings":{"clickIdSub":"sub1","clickIdSub":"sub4"}}""", "settings" },
        { "PATCH", "/api/tracker/postback-sets/{set}", """{"enabled":true,"enabled":false}""", "enabled" },
        { "POST", "/api/tracker/postback-sets/{set}/rotate-token", """{"gracePeriodSeconds":0,"gracePeriodSeconds":60}""", "gracePeriodSeconds" },
        { "POST", "/api/tracker/clicks", """{"subjectId":"a","subjectId":"b"}""", "subjectId" },
        { "POST", "/api/tracker/clicks", """{"fields":{"utm_source":"a","utm_source":"b"}}""", "fields.utm_source" },
        { "POST", "/api/tracker/links", """{"template":"https://x.example/?c={{tracker.clickid}}","clickId":"{click}","variables":{"v":"1","v":"2"}}""", "variables.v" },
        { "POST", "/api/tracker/campaigns", """{"id":"spring","id":"autumn","destination":"https://t.me/mybot?start={{tracker.clickid}}"}""", "id" },
        { "PUT", "/api/tracker/campaigns/{campaign}", """{"destination":"https://t.me/mybot?start={{tracker.clickid}}","destination":"https://t.me/otherbot?start={{tracker.clickid}}"}""", "destination" },
        { "POST", "/api/tracker/forwarding-rules", """{"setId":"{set}","destination":"http-postback","destination":"facebook-capi","settings":{}}""", "destination" },
        { "POST", "/api/tracker/forwarding-rules", """{"setId":"{set}","destination":"http-postback","settings":{"urlTemplate":"https://t.example/a","urlTemplate":"https://t.example/b"}}""", "settings" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task RefusesAMemberGivenTwiceNamingTheFieldAndChangesNothing(string method, string path, string json, string field)
    {
        await using var app = await TestApp.StartAsync(postbacks: b => b.AddForwarding(o => o.AllowPrivateNetworks = true));
        var set = (await app.CreateSetAsync("1win")).GetProperty("id").GetString()!;
        var click = await app.CreateClickAsync();
        (await app.PostJsonAsync("/api/tracker/campaigns", $$$"""{"id":"winter","destination":"{{{Destination}}}"}""")).StatusCode.Should().Be(HttpStatusCode.Created);
        var before = await StateAsync(app, set);

        using var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{set}", set, StringComparison.Ordinal).Replace("{campaign}", "winter", StringComparison.Ordinal))
        {
            Content = new StringContent(json.Replace("{set}", set, StringComparison.Ordinal).Replace("{click}", click, StringComparison.Ordinal), Encoding.UTF8, "application/json"),
        };
        var problem = await AssertProblemAsync(await app.Client.SendAsync(request), HttpStatusCode.BadRequest, "validation_failed");

        var errors = problem.GetProperty("errors").EnumerateObject().ToList();
        errors.Select(e => e.Name).Should().Equal(field);
        errors[0].Value[0].GetString().Should().Contain("more than once");
        (await StateAsync(app, set)).Should().Be(before);
    }

    // Everything a refused body could have changed: the set (name, settings, token), the campaigns, the rules and the clicks.
    private static async Task<string> StateAsync(TestApp app, string set)
    {
        var parts = new List<string>();
        foreach (var path in new[] { $"/api/tracker/postback-sets/{set}", "/api/tracker/postback-sets", "/api/tracker/campaigns", "/api/tracker/forwarding-rules", "/api/tracker/stats" })
        {
            parts.Add(JsonSerializer.Serialize(await app.Client.GetFromJsonAsync<JsonElement>(path)));
        }

        return string.Join('\n', parts);
    }
}
