using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Chatterfy.Postbacks.AspNetCore.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Chatterfy.Postbacks.AspNetCore.Tests;

/// <summary>The receiver's HTTP contract, over TestServer: every status code and the shapes of its bodies.</summary>
public sealed class ReceiverTests
{
    [Fact]
    public async Task ReturnsAcceptedForRegistrationOnTheEventPath()
    {
        await using var app = await TestApp.StartAsync();
        var set = await app.CreateSetAsync("1win");
        var clickId = await app.CreateClickAsync();

        var response = await app.Client.GetAsync($"{BarePath(set)}/registration?clickid={clickId}");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("status").GetString().Should().Be("accepted");
        body.GetProperty("conversionId").GetString().Should().NotBeNullOrEmpty();
        body.GetProperty("warnings").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task ReturnsDuplicateForRetriedFirstDeposit()
    {
        await using var app = await TestApp.StartAsync();
        var set = await app.CreateSetAsync("1win");
        var clickId = await app.CreateClickAsync();
        var url = $"{BarePath(set)}/first-deposit?clickid={clickId}&amount=50.00&tid=88123";

        var first = await (await app.Client.GetAsync(url)).Content.ReadFromJsonAsync<JsonElement>();
        var retry = await app.Client.GetAsync(url);

        retry.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await retry.Content.ReadFromJsonAsync<JsonElement>();
        first.GetProperty("status").GetString().Should().Be("accepted");
        body.GetProperty("status").GetString().Should().Be("duplicate");
        body.GetProperty("conversionId").GetString().Should().Be(first.GetProperty("conversionId").GetString());
    }

    [Fact]
    public async Task ReturnsUnattributedWithClickUnknownForAClickIdTheTrackerNeverMinted()
    {
        await using var app = await TestApp.StartAsync();
        var set = await app.CreateSetAsync("1win");

        var response = await app.Client.GetAsync($"{BarePath(set)}/registration?clickid=neverMinted01");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("status").GetString().Should().Be("unattributed");
        var warning = body.GetProperty("warnings").EnumerateArray().Single();
        warning.GetProperty("code").GetString().Should().Be("click_unknown");
        warning.GetProperty("message").GetString().Should().Contain("neverMinted01");
        warning.GetProperty("field").GetString().Should().Be("clickid");
    }

    [Fact]
    public async Task ReturnsUnattributedWithCampaignMismatchForAClickOfAnotherCampaign()
    {
        await using var app = await TestApp.StartAsync();
        var set = await app.CreateSetAsync("1win", campaignId: "spring");
        var clickId = await app.CreateClickAsync(campaignId: "autumn");

        var response = await app.Client.GetAsync($"{BarePath(set)}/registration?clickid={clickId}");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("status").GetString().Should().Be("unattributed");
        body.GetProperty("warnings").EnumerateArray().Select(w => w.GetProperty("code").GetString()).Should().Equal("campaign_mismatch");
    }

    [Fact]
    public async Task ReturnsProblemWithCodeErrorsAndWarningsForAFirstDepositWithoutAmount()
    {
        await using var app = await TestApp.StartAsync();
        var set = await app.CreateSetAsync("1win");
        var clickId = await app.CreateClickAsync();

        var response = await app.Client.GetAsync($"{BarePath(set)}/first-deposit?clickid={clickId}&tid=1&currency=%7Bcurrency%7D");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("status").GetInt32().Should().Be(400);
        problem.GetProperty("type").GetString().Should().NotBeNullOrEmpty();
        problem.GetProperty("title").GetString().Should().Be("The postback was rejected.");
        problem.GetProperty("code").GetString().Should().Be("amount_missing");
        problem.GetProperty("detail").GetString().Should().NotBeNullOrEmpty();
        problem.GetProperty("errors").GetProperty("amount").EnumerateArray().Single().GetString().Should().Be(problem.GetProperty("detail").GetString());
        problem.GetProperty("warnings").ValueKind.Should().Be(JsonValueKind.Array);
    }

    [Fact]
    public async Task LogsARejectedPostbackSoItCanBeReplayedButCountsNothing()
    {
        await using var app = await TestApp.StartAsync();
        var set = await app.CreateSetAsync("1win");

        var response = await app.Client.GetAsync($"{BarePath(set)}/first-deposit?clickid=%7Bsub1%7D&amount=10");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString().Should().Be("macro_not_substituted");
        var log = await app.Client.GetFromJsonAsync<JsonElement>("/api/tracker/postback-log");
        var item = log.GetProperty("items").EnumerateArray().Single();
        item.GetProperty("outcome").GetString().Should().Be("rejected");
        item.GetProperty("code").GetString().Should().Be("macro_not_substituted");
        item.GetProperty("query").GetString().Should().Be("?clickid=%7Bsub1%7D&amount=10");
        var stats = await app.Client.GetFromJsonAsync<JsonElement>("/api/tracker/stats");
        stats.GetProperty("firstDeposits").GetInt64().Should().Be(0);
        stats.GetProperty("rejected").GetInt64().Should().Be(1);
    }

    [Theory]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("short")]
    [InlineData("not-a-token-but-very-long-indeed")]
    public async Task ReturnsEmptyNotFoundForAnUnknownTokenAndLogsNothing(string token)
    {
        await using var app = await TestApp.StartAsync();

        var get = await app.Client.GetAsync($"/api/postbacks/{token}/registration?clickid=abc");
        var post = await app.Client.PostAsync($"/api/postbacks/{token}", new FormUrlEncodedContent([new("clickid", "abc")]));

        get.StatusCode.Should().Be(HttpStatusCode.NotFound);
        post.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await get.Content.ReadAsByteArrayAsync()).Should().BeEmpty();
        (await post.Content.ReadAsByteArrayAsync()).Should().BeEmpty();
        var log = await app.Client.GetFromJsonAsync<JsonElement>("/api/tracker/postback-log");
        log.GetProperty("items").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task ReturnsNotFoundForADisabledSetAndAcceptsAgainOnceEnabled()
    {
        await using var app = await TestApp.StartAsync();
        var set = await app.CreateSetAsync("1win");
        var clickId = await app.CreateClickAsync();
        var setPath = $"/api/tracker/postback-sets/{set.GetProperty("id").GetString()}";

        (await app.PatchJsonAsync(setPath, """{"enabled":false}""")).StatusCode.Should().Be(HttpStatusCode.OK);
        var disabled = await app.Client.GetAsync($"{BarePath(set)}/registration?clickid={clickId}");
        (await app.PatchJsonAsync(setPath, """{"enabled":true}""")).StatusCode.Should().Be(HttpStatusCode.OK);
        var enabled = await app.Client.GetAsync($"{BarePath(set)}/registration?clickid={clickId}");

        disabled.StatusCode.Should().Be(HttpStatusCode.NotFound);
        enabled.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ReturnsNotFoundForADeletedSetsUrls()
    {
        await using var app = await TestApp.StartAsync();
        var set = await app.CreateSetAsync("1win");
        var clickId = await app.CreateClickAsync();
        (await app.Client.GetAsync($"{BarePath(set)}/registration?clickid={clickId}")).StatusCode.Should().Be(HttpStatusCode.OK);

        (await app.Client.DeleteAsync($"/api/tracker/postback-sets/{set.GetProperty("id").GetString()}")).StatusCode.Should().Be(HttpStatusCode.NoContent);

        (await app.Client.GetAsync($"{BarePath(set)}/first-deposit?clickid={clickId}&amount=5&tid=1")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await app.Client.GetAsync($"{BarePath(set)}?clickid={clickId}&event=registration")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("PATCH")]
    public async Task ReturnsMethodNotAllowedWithAllowHeaderForOtherMethods(string method)
    {
        await using var app = await TestApp.StartAsync();
        var set = await app.CreateSetAsync("1win");

        var bare = await app.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), BarePath(set)));
        var withEvent = await app.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), BarePath(set) + "/registration"));

        bare.StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
        withEvent.StatusCode.Should().Be(HttpStatusCode.MethodNotAllowed);
        bare.Content.Headers.Allow.Should().BeEquivalentTo("GET", "POST");
    }

    [Fact]
    public async Task AcceptsChatterfyCompatibleTrackerPostback()
    {
        await using var app = await TestApp.StartAsync();
        var set = await app.CreateSetAsync("custom", settingsJson: """{"clickIdMacro":"{subid}"}""");
        var clickId = await app.CreateClickAsync();

        var response = await app.Client.GetAsync(
            $"{BarePath(set)}/tracker-postback?tracker.event=sale&clickid={clickId}&tracker.cost=12,50&tracker.currency=eur&tracker.tid=T-1&fields.country=BR");

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString().Should().Be("accepted");
        var conversion = (await app.Client.GetFromJsonAsync<JsonElement>($"/api/tracker/clicks/{clickId}")).GetProperty("conversions").EnumerateArray().Single();
        conversion.GetProperty("event").GetString().Should().Be("first-deposit");
        conversion.GetProperty("amount").GetDecimal().Should().Be(12.50m);
        conversion.GetProperty("currency").GetString().Should().Be("EUR");
        conversion.GetProperty("tid").GetString().Should().Be("T-1");
    }

    [Theory]
    [InlineData("reg=true", "registration")]
    [InlineData("ftd=1&amount=20&transaction_id=7", "first-deposit")]
    [InlineData("dep=true&amount=35.5&transaction_id=8", "deposit")]
    public async Task ReadsBinomoFlagsOnTheBareUrl(string flags, string expectedEvent)
    {
        await using var app = await TestApp.StartAsync();
        var set = await app.CreateSetAsync("binomo");
        var clickId = await app.CreateClickAsync();

        // Binomo appends its own query to the bare URL it was given.
        var response = await app.Client.GetAsync($"{TestApp.PathOf(set, "base")}?click_id={clickId}&user_id=991&{flags}");

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var conversion = (await app.Client.GetFromJsonAsync<JsonElement>($"/api/tracker/clicks/{clickId}")).GetProperty("conversions").EnumerateArray().Single();
        conversion.GetProperty("event").GetString().Should().Be(expectedEvent);
        conversion.GetProperty("attribution").GetString().Should().Be("credited");
    }

    [Fact]
    public async Task AcceptsAFormBody()
    {
        await using var app = await TestApp.StartAsync();
        var set = await app.CreateSetAsync("1win");
        var clickId = await app.CreateClickAsync();

        var response = await app.Client.PostAsync(
            $"{BarePath(set)}/first-deposit",
            new FormUrlEncodedContent([new("clickid", clickId), new("amount", "99.90"), new("currency", "USD"), new("tid", "F-1")]));

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var log = await app.Client.GetFromJsonAsync<JsonElement>("/api/tracker/postback-log");
        var item = log.GetProperty("items")[0];
        item.GetProperty("method").GetString().Should().Be("POST");
        item.GetProperty("contentType").GetString().Should().StartWith("application/x-www-form-urlencoded");
        item.GetProperty("body").GetString().Should().Be($"clickid={clickId}&amount=99.90&currency=USD&tid=F-1");
    }

    [Fact]
    public async Task AcceptsAJsonObjectBody()
    {
        await using var app = await TestApp.StartAsync();
        var set = await app.CreateSetAsync("1win");
        var clickId = await app.CreateClickAsync();

        var response = await app.PostJsonAsync(BarePath(set), $$"""{"clickid":"{{clickId}}","event":"deposit","amount":10.10,"tid":"J-1"}""");

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var conversion = (await app.Client.GetFromJsonAsync<JsonElement>($"/api/tracker/clicks/{clickId}")).GetProperty("conversions").EnumerateArray().Single();
        conversion.GetProperty("event").GetString().Should().Be("deposit");
        conversion.GetProperty("amount").GetRawText().Should().Be("10.10");
    }

    [Fact]
    public async Task RejectsMalformedJsonWithBodyInvalid()
    {
        await using var app = await TestApp.StartAsync();
        var set = await app.CreateSetAsync("1win");

        var response = await app.PostJsonAsync(BarePath(set) + "/registration", """{"clickid": """);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString().Should().Be("body_invalid");
    }

    [Fact]
    public async Task ReturnsPayloadTooLargeForA17KiBBodyWithContentLength()
    {
        await using var app = await TestApp.StartAsync();
        var set = await app.CreateSetAsync("1win");

        var response = await app.Client.PostAsync(BarePath(set), new StringContent("clickid=abc&pad=" + new string('x', 17 * 1024), Encoding.UTF8, "application/x-www-form-urlencoded"));

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("code").GetString().Should().Be("body_too_large");
        var log = await app.Client.GetFromJsonAsync<JsonElement>("/api/tracker/postback-log");
        log.GetProperty("items").GetArrayLength().Should().Be(0);
    }

    [Fact]
    public async Task ReturnsPayloadTooLargeForA17KiBBodyWithoutContentLength()
    {
        await using var app = await TestApp.StartAsync();
        var set = await app.CreateSetAsync("1win");
        var content = new StreamContent(new NonSeekableStream(Encoding.UTF8.GetBytes("clickid=abc&pad=" + new string('x', 17 * 1024))));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");

        var response = await app.Client.PostAsync(BarePath(set), content);

        content.Headers.ContentLength.Should().BeNull();
        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task AcceptsABodyOfExactly16KiB()
    {
        await using var app = await TestApp.StartAsync();
        var set = await app.CreateSetAsync("1win");
        var clickId = await app.CreateClickAsync();
        var prefix = $"clickid={clickId}&pad=";
        var body = prefix + new string('x', (16 * 1024) - prefix.Length);

        var response = await app.Client.PostAsync(BarePath(set) + "/registration", new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded"));

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ReturnsServiceUnavailableWithRetryAfterAndNoDetailsWhenTheStoreIsDown()
    {
        var store = new UnavailableStore();
        await using var app = await TestApp.StartAsync(store: store);
        var set = await app.CreateSetAsync("1win");
        var clickId = await app.CreateClickAsync();
        store.IsUnavailable = true;

        var response = await app.Client.GetAsync($"{BarePath(set)}/registration?clickid={clickId}");

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(5));
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var text = await response.Content.ReadAsStringAsync();
        text.Should().NotContain(UnavailableStore.SecretMessage).And.NotContain("Exception").And.NotContain(" at ");
        JsonDocument.Parse(text).RootElement.GetProperty("code").GetString().Should().Be("store_unavailable");

        store.IsUnavailable = false;
        var retried = await app.Client.GetAsync($"{BarePath(set)}/registration?clickid={clickId}");
        (await retried.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString().Should().Be("accepted");
    }

    [Fact]
    public async Task PassesTheStoresRetryAfterRoundedUpToWholeSeconds()
    {
        var store = new UnavailableStore { RetryAfter = TimeSpan.FromSeconds(29.2) };
        await using var app = await TestApp.StartAsync(store: store);
        var set = await app.CreateSetAsync("1win");
        store.IsUnavailable = true;

        var response = await app.Client.PostAsync(BarePath(set) + "/registration", new FormUrlEncodedContent([new("clickid", "abcdefgh")]));

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task AcceptsPostbacksFromNetworksWhenAFallbackPolicyRequiresAuthentication()
    {
        await using var app = await TestApp.StartAsync(services: services =>
        {
            services.AddAuthentication();
            services.AddAuthorizationBuilder().SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        });

        var response = await app.Client.GetAsync("/api/postbacks/AAAAAAAAAAAAAAAAAAAAAA/registration?clickid=abc");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    private static string BarePath(JsonElement set) => TestApp.PathOf(set, "base").Split('?')[0];

    /// <summary>A stream without a length, so HttpClient sends no Content-Length.</summary>
    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();
    }
}
