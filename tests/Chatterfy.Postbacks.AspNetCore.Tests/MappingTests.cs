using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Chatterfy.Postbacks.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;

namespace Chatterfy.Postbacks.AspNetCore.Tests;

/// <summary>The <c>Map*</c> methods: their guard, prefixes and the builders they return.</summary>
public sealed class MappingTests
{
    [Fact]
    public async Task MapChatterfyPostbacksWithoutAddChatterfyPostbacksThrowsNamingTheCall()
    {
        await using var app = BareApp();

        var map = () => app.MapChatterfyPostbacks();

        map.Should().Throw<InvalidOperationException>().WithMessage("*services.AddChatterfyPostbacks()*before MapChatterfyPostbacks()*");
    }

    [Fact]
    public async Task MapChatterfyTrackerApiWithoutAddChatterfyPostbacksThrowsNamingTheCall()
    {
        await using var app = BareApp();

        var map = () => app.MapChatterfyTrackerApi();

        map.Should().Throw<InvalidOperationException>().WithMessage("*services.AddChatterfyPostbacks()*before MapChatterfyTrackerApi()*");
    }

    [Fact]
    public async Task ServesTheReceiverUnderTheConfiguredPrefixAndTheTrackerApiUnderItsOwn()
    {
        await using var app = await TestApp.StartAsync(o => o.ReceiverPathPrefix = "/pb/in", trackerPrefix: "/admin/tracker");
        var set = await app.CreateSetAsync("1win");
        var clickId = await app.CreateClickAsync();
        var registration = TestApp.PathOf(set, "registration");

        var response = await app.Client.GetAsync(registration.Replace("{sub1}", clickId, StringComparison.Ordinal).Split('&')[0]);

        registration.Should().StartWith("/pb/in/");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await app.Client.GetAsync("/api/tracker/postback-sets")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await app.Client.GetFromJsonAsync<JsonElement>("/admin/tracker/postback-sets")).GetProperty("items").GetArrayLength().Should().Be(1);
    }

    [Fact]
    public async Task LetsTheHostProtectTheTrackerApiOnTheReturnedBuilder()
    {
        await using var app = await TestApp.StartAsync(trackerConventions: group => group.AddEndpointFilter(async (context, next) =>
            context.HttpContext.Request.Headers["X-Api-Key"] == "s3cret" ? await next(context) : Results.Unauthorized()));

        var anonymous = await app.Client.GetAsync("/api/tracker/postback-sets");
        var withKey = new HttpRequestMessage(HttpMethod.Get, "/api/tracker/postback-sets");
        withKey.Headers.Add("X-Api-Key", "s3cret");

        anonymous.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await app.Client.SendAsync(withKey)).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("POST", "/api/tracker/postback-sets", 201)]
    [InlineData("GET", "/api/tracker/clicks/{clickId}", 200)]
    [InlineData("GET", "/api/postbacks/{token}/{event}", 200)]
    [InlineData("POST", "/api/postbacks/{token}", 404)]
    [InlineData("POST", "/api/tracker/campaigns", 409)]
    [InlineData("PUT", "/api/tracker/campaigns/{id}", 200)]
    [InlineData("GET", "/api/tracker/outbox", 200)]
    [InlineData("POST", "/api/tracker/outbox/{id}/retry", 202)]
    [InlineData("POST", "/api/tracker/outbox/{id}/retry", 409)]
    public async Task DescribesEachEndpointsResponsesForOpenApi(string method, string pattern, int successStatus)
    {
        await using var app = await TestApp.StartAsync();

        var endpoint = app.Get<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().Single(e =>
            e.RoutePattern.RawText == pattern && e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods.Contains(method));

        var statuses = endpoint.Metadata.GetOrderedMetadata<IProducesResponseTypeMetadata>().Select(m => m.StatusCode);
        statuses.Should().Contain([successStatus, 400]);
    }

    [Fact]
    public async Task MapChatterfyClickRedirectWithoutAddChatterfyPostbacksThrowsNamingTheCall()
    {
        await using var app = BareApp();

        var map = () => app.MapChatterfyClickRedirect();

        map.Should().Throw<InvalidOperationException>().WithMessage("*services.AddChatterfyPostbacks()*before MapChatterfyClickRedirect()*");
    }

    [Fact]
    public async Task DescribesTheClickRedirectForOpenApi()
    {
        await using var app = await TestApp.StartAsync();

        var endpoint = app.Get<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().Single(e => e.RoutePattern.RawText == "/api/go/{campaignId}");

        endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods.Should().Equal("GET");
        endpoint.Metadata.GetOrderedMetadata<IProducesResponseTypeMetadata>().Select(m => m.StatusCode).Should().Contain([302, 404, 503]);
    }

    private static WebApplication BareApp()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        return builder.Build();
    }
}
