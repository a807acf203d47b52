using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Chatterfy.Postbacks.AspNetCore.Authentication;
using Chatterfy.Postbacks.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Chatterfy.Postbacks.AspNetCore.Tests.Authentication;

/// <summary>The ChatterfyApiKey scheme in front of the tracker API, on a real host (TestServer).</summary>
public sealed class ApiKeySchemeTests
{
    private const string Key = "3c9a7e41b20f4d6e8a1b5c7d9e0f2a4b";
    private const string NextKey = "8d21c6e5f7a90b3c4d5e6f708192a3b4";

    [Fact]
    public async Task AnswersARequestWithoutAKeyWith401AndAProblemBody()
    {
        await using var app = await StartAsync(o => o.Keys.Add(Key));

        using var response = await app.Client.GetAsync("/api/tracker/stats");

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        response.Headers.WwwAuthenticate.ToString().Should().Be("ApiKey header=\"X-Api-Key\"");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("status").GetInt32().Should().Be(401);
        problem.GetProperty("title").GetString().Should().Be("Missing API key.");
        problem.GetProperty("code").GetString().Should().Be("api_key_missing");
    }

    [Fact]
    public async Task AnswersAWrongKeyWith401WithoutEchoingIt()
    {
        await using var app = await StartAsync(o => o.Keys.Add(Key));
        const string Wrong = "wrong-key-7f3e2d1c0b9a";

        using var response = await SendAsync(app, Wrong);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var body = await response.Content.ReadAsStringAsync();
        JsonDocument.Parse(body).RootElement.GetProperty("code").GetString().Should().Be("api_key_invalid");
        body.Should().NotContain(Wrong).And.NotContain(Key);
        response.Headers.ToString().Should().NotContain(Wrong).And.NotContain(Key);
    }

    [Fact]
    public async Task LetsTheRightKeyThrough()
    {
        await using var app = await StartAsync(o => o.Keys.Add(Key));

        using var response = await SendAsync(app, Key);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task LetsEachKeyOfARotationThrough()
    {
        await using var app = await StartAsync(o =>
        {
            o.Keys.Add(Key);
            o.Keys.Add(NextKey);
        });

        using var old = await SendAsync(app, Key);
        using var next = await SendAsync(app, NextKey);

        old.StatusCode.Should().Be(HttpStatusCode.OK);
        next.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task TakesKeysFromAConfigurationSectionAndTheirRotationWithoutARestart()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Tracker:Keys:0"] = Key }).Build();
        await using var app = await StartAsync(configuration.GetSection("Tracker"));
        using var before = await SendAsync(app, NextKey);

        configuration["Tracker:Keys:0"] = NextKey;
        configuration.Reload();
        using var rotated = await SendAsync(app, NextKey);
        using var retired = await SendAsync(app, Key);

        before.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        rotated.StatusCode.Should().Be(HttpStatusCode.OK);
        retired.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AnswersARequestItsPolicyForbidsWith403AndAProblemBody()
    {
        await using var app = await TestApp.StartAsync(
            services: s =>
            {
                s.AddAuthentication(ChatterfyApiKeyDefaults.AuthenticationScheme).AddChatterfyApiKey(o => o.Keys.Add(Key));
                s.AddAuthorizationBuilder().AddPolicy("admins", p => p.RequireRole("admin"));
            },
            trackerConventions: g => g.RequireAuthorization("admins"));

        using var response = await SendAsync(app, Key);

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString().Should().Be("forbidden");
    }

    [Fact]
    public async Task ServesThePolicyThatNamesTheSchemeWhenAnotherSchemeIsTheDefault()
    {
        await using var app = await TestApp.StartAsync(
            services: s =>
            {
                s.AddAuthentication("other").AddChatterfyApiKey(o => o.Keys.Add(Key)).AddScheme<AuthenticationSchemeOptions, NeverAuthenticates>("other", null);
                s.AddAuthorizationBuilder().AddPolicy("tracker", p => p.AddAuthenticationSchemes(ChatterfyApiKeyDefaults.AuthenticationScheme).RequireAuthenticatedUser());
            },
            trackerConventions: g => g.RequireAuthorization("tracker"));

        using var anonymous = await app.Client.GetAsync("/api/tracker/stats");
        using var withKey = await SendAsync(app, Key);

        anonymous.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await anonymous.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString().Should().Be("api_key_missing");
        withKey.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task LeavesTheReceiverAnonymous()
    {
        await using var app = await StartAsync(o => o.Keys.Add(Key));

        using var response = await app.Client.GetAsync("/api/postbacks/AAAAAAAAAAAAAAAAAAAAAA/registration?click_id=abc");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task NeverLogsAPresentedKey()
    {
        const string Wrong = "wrong-key-0a1b2c3d4e5f";
        await using var app = await TestApp.StartAsync(services: s =>
        {
            s.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace));
            s.AddFakeLogging();
            s.AddAuthentication(ChatterfyApiKeyDefaults.AuthenticationScheme).AddChatterfyApiKey(o => o.Keys.Add(Key));
            s.AddAuthorization();
        }, trackerConventions: g => g.RequireAuthorization());
        var logs = app.Services.GetFakeLogCollector();

        using var wrong = await SendAsync(app, Wrong);
        using var right = await SendAsync(app, Key);
        using var missing = await app.Client.GetAsync("/api/tracker/stats");

        var records = logs.GetSnapshot();
        records.Should().Contain(r => r.Category == typeof(ChatterfyApiKeyDefaults).Namespace + ".ChatterfyApiKeyHandler", "the scheme's own log lines are captured");
        foreach (var record in records)
        {
            var text = $"{record.Message} {string.Join(' ', record.StructuredState?.Select(p => p.Value) ?? [])} {record.Exception}";
            text.Should().NotContain(Wrong).And.NotContain(Key);
        }
    }

    [Fact]
    public async Task RefusesToStartWithoutKeysNamingTheConfigurationPath()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Tracker:Other"] = "x" }).Build();

        var start = () => StartAsync(configuration.GetSection("Tracker"));

        (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Message
            .Should().Contain("Tracker:Keys must list at least one API key").And.Contain("Tracker__Keys__0");
    }

    [Fact]
    public async Task RefusesToStartWithoutKeysSetInCodeNamingTheOption()
    {
        var start = () => StartAsync(_ => { });

        (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Message
            .Should().Contain("ChatterfyApiKeyOptions.Keys must list at least one API key");
    }

    [Fact]
    public async Task RefusesToStartWithoutKeysInTheSchemesConventionalSection()
    {
        var start = () => TestApp.StartAsync(services: s =>
        {
            s.AddAuthentication(ChatterfyApiKeyDefaults.AuthenticationScheme).AddChatterfyApiKey();
            s.AddAuthorization();
        });

        (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Message
            .Should().Contain("Authentication:Schemes:ChatterfyApiKey:Keys must list at least one API key");
    }

    [Fact]
    public async Task TakesKeysFromTheSchemesConventionalSection()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.WebHost.UseTestServer();
        builder.Configuration["Authentication:Schemes:ChatterfyApiKey:Keys:0"] = Key;
        builder.Services.AddChatterfyPostbacks().UseInMemoryStore();
        builder.Services.AddAuthentication(ChatterfyApiKeyDefaults.AuthenticationScheme).AddChatterfyApiKey();
        builder.Services.AddAuthorization();
        await using var app = builder.Build();
        app.MapChatterfyTrackerApi().RequireAuthorization();
        await app.StartAsync();
        using var client = app.GetTestClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/tracker/stats") { Headers = { { "X-Api-Key", Key } } };

        using var response = await client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task RefusesToStartWithAKeyAHeaderCannotCarryNamingIt()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Tracker:Keys:0"] = Key,
            ["Tracker:Keys:1"] = "two words",
        }).Build();

        var start = () => StartAsync(configuration.GetSection("Tracker"));

        var message = (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Message;
        message.Should().Contain("Tracker:Keys:1 must be one or more visible ASCII characters").And.NotContain("two words");
    }

    private static Task<TestApp> StartAsync(Action<ChatterfyApiKeyOptions> configure) => TestApp.StartAsync(
        services: s =>
        {
            s.AddAuthentication(ChatterfyApiKeyDefaults.AuthenticationScheme).AddChatterfyApiKey(configure);
            s.AddAuthorization();
        },
        trackerConventions: g => g.RequireAuthorization());

    private static Task<TestApp> StartAsync(IConfiguration section) => TestApp.StartAsync(
        services: s =>
        {
            s.AddAuthentication(ChatterfyApiKeyDefaults.AuthenticationScheme).AddChatterfyApiKey(section);
            s.AddAuthorization();
        },
        trackerConventions: g => g.RequireAuthorization());

    private static async Task<HttpResponseMessage> SendAsync(TestApp app, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/tracker/stats");
        request.Headers.Add(ChatterfyApiKeyDefaults.HeaderName, key);
        return await app.Client.SendAsync(request);
    }

    /// <summary>A default scheme that never authenticates, standing in for a host's cookie scheme.</summary>
    private sealed class NeverAuthenticates(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, System.Text.Encodings.Web.UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync() => Task.FromResult(AuthenticateResult.NoResult());
    }
}
