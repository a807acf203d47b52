using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Chatterfy.Postbacks.AspNetCore.Tests.Infrastructure;

namespace Chatterfy.Postbacks.AspNetCore.Tests;

/// <summary>The receiver on Kestrel over a real socket on 127.0.0.1, where Kestrel's own limits apply.</summary>
public sealed class KestrelTests
{
    [Fact]
    public async Task RefusesA17KiBBodyWith413OrAClosedConnectionNeverA5xx()
    {
        await using var app = await TestApp.StartAsync(kestrel: true);
        var set = await app.CreateSetAsync("1win");

        HttpResponseMessage? response = null;
        try
        {
            response = await app.Client.PostAsync(
                TestApp.PathOf(set, "base").Split('?')[0],
                new StringContent("clickid=abc&pad=" + new string('x', 17 * 1024), Encoding.UTF8, "application/x-www-form-urlencoded"));
        }
        catch (HttpRequestException)
        {
            // Kestrel may close the connection instead of reading the rest of an oversized body.
        }

        if (response is not null)
        {
            response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        }
    }

    [Fact]
    public async Task AnswersAnOverlongRequestLineWith414FromKestrel()
    {
        await using var app = await TestApp.StartAsync(kestrel: true);
        var set = await app.CreateSetAsync("1win");

        var response = await app.Client.GetAsync($"{TestApp.PathOf(set, "base").Split('?')[0]}/registration?clickid=abc&pad={new string('x', 9 * 1024)}");

        response.StatusCode.Should().Be(HttpStatusCode.RequestUriTooLong);
        (await app.Client.GetFromJsonAsync<JsonElement>("/api/tracker/postback-log")).GetProperty("items").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task LogsTheCallersAddress()
    {
        await using var app = await TestApp.StartAsync(kestrel: true);
        var set = await app.CreateSetAsync("1win");
        var clickId = await app.CreateClickAsync();

        var response = await app.Client.GetAsync($"{TestApp.PathOf(set, "base").Split('?')[0]}/registration?clickid={clickId}");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var item = (await app.Client.GetFromJsonAsync<JsonElement>("/api/tracker/postback-log")).GetProperty("items")[0];
        item.GetProperty("remoteIp").GetString().Should().Be("127.0.0.1");
    }
}
