using Chatterfy.Postbacks.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Chatterfy.Postbacks.AspNetCore.Tests;

/// <summary>
/// Bodies that Kestrel cannot de-frame, sent over a real socket on 127.0.0.1 (TestServer does not parse chunked framing):
/// every route that reads a body answers 4xx, never 500, and the failure is logged once, below Error, without a stack trace.
/// </summary>
public sealed class MalformedBodyTests
{
    private const string UnknownToken = "AAAAAAAAAAAAAAAAAAAAAA";
    private const string ChatterfyCategory = "Chatterfy.Postbacks";

    // Chunk sizes that overflow Kestrel's 32-bit chunk length: an IOException ("Bad chunk size data"), not a bad request.
    public static TheoryData<string> OverflowingChunkSizes => ["80000000", "FFFFFFFF", "100000000", "FFFFFFFFFFFFFFFF"];

    [Theory]
    [MemberData(nameof(OverflowingChunkSizes))]
    public async Task AnswersAnOverflowingChunkSizeWith400OnEveryRouteThatReadsABodyAndLogsNoErrorNorStackTrace(string chunkSize)
    {
        await using var app = await StartAsync();
        var set = await app.CreateSetAsync("1win");
        var setId = set.GetProperty("id").GetString()!;
        await app.PostJsonAsync("/api/tracker/campaigns", """{"id":"spring","destination":"https://t.me/mybot?start={{tracker.clickid}}"}""");
        var collector = app.Services.GetFakeLogCollector();
        collector.Clear();
        var body = $"{chunkSize}\r\nclick_id=abc\r\n0\r\n\r\n";
        (string Method, string Target, string ContentType)[] routes =
        [
            ("POST", $"/api/postbacks/{UnknownToken}/deposit", "application/x-www-form-urlencoded"),
            ("POST", TestApp.PathOf(set, "base").Split('?')[0] + "/deposit", "application/x-www-form-urlencoded"),
            ("POST", "/api/tracker/postback-sets", "application/json"),
            ("PATCH", $"/api/tracker/postback-sets/{setId}", "application/json"),
            ("POST", $"/api/tracker/postback-sets/{setId}/rotate-token", "application/json"),
            ("POST", "/api/tracker/clicks", "application/json"),
            ("POST", "/api/tracker/links", "application/json"),
            ("POST", "/api/tracker/campaigns", "application/json"),
            ("PUT", "/api/tracker/campaigns/spring", "application/json"),
            ("POST", "/api/tracker/forwarding-rules", "application/json"),
        ];

        foreach (var (method, target, contentType) in routes)
        {
            var answer = await RawSocket.SendChunkedAsync(app.Port, method, target, body, $"Content-Type: {contentType}");

            answer.Status.Should().Be(400, "{0} {1} with chunk size {2} answered: {3}", method, target, chunkSize, answer.Head);
            answer.ContentType.Should().StartWith("application/problem+json");
            answer.Body.Should().Contain("\"code\":\"body_unreadable\"");
        }

        await app.DisposeAsync();
        AssertLoggedOnceEachWithoutErrors(collector.GetSnapshot(), routes.Length);
    }

    [Fact]
    public async Task LogsABodyCutOffMidUploadOnceWithoutAStackTrace()
    {
        await using var app = await StartAsync();
        var collector = app.Services.GetFakeLogCollector();
        collector.Clear();

        // The client sends its FIN mid-body: Kestrel closes the connection, so nobody reads an answer.
        await RawSocket.SendShortBodyAsync(app.Port, "POST", $"/api/postbacks/{UnknownToken}/deposit", 100, "click_id=abc", endOfUpload: true, "Content-Type: application/x-www-form-urlencoded");
        await RawSocket.SendShortBodyAsync(app.Port, "POST", "/api/tracker/clicks", 100, """{"campaignId":""", endOfUpload: true, "Content-Type: application/json");

        await app.DisposeAsync();
        AssertLoggedOnceEachWithoutErrors(collector.GetSnapshot(), 2);
    }

    [Fact]
    public async Task LogsAClientThatResetsTheConnectionMidBodyOnceWithoutAStackTrace()
    {
        await using var app = await StartAsync();
        var collector = app.Services.GetFakeLogCollector();
        collector.Clear();

        (string Target, string ContentType, string Body)[] uploads =
        [
            ($"/api/postbacks/{UnknownToken}/deposit", "application/x-www-form-urlencoded", "click_id=abc"),
            ("/api/tracker/clicks", "application/json", """{"campaignId":"""),
        ];
        var started = 0;
        foreach (var (target, contentType, body) in uploads)
        {
            using var socket = await RawSocket.StartUploadAsync(app.Port, "POST", target, 100, body, $"Content-Type: {contentType}");

            // Reset once the request has reached the application, so that it is reading the body when the client goes.
            await WaitForHostingEntriesAsync(collector, RequestStarting, ++started);
            RawSocket.Reset(socket);
        }

        await app.DisposeAsync();
        AssertLoggedOnceEachWithoutErrors(collector.GetSnapshot(), uploads.Length);
    }

    [Fact]
    public async Task AnswersABodyThatArrivesMoreSlowlyThanTheServerAcceptsWith408()
    {
        await using var app = await StartAsync(services => services.Configure<KestrelServerOptions>(kestrel =>
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 1_000, gracePeriod: TimeSpan.FromSeconds(1.5))));
        var collector = app.Services.GetFakeLogCollector();
        collector.Clear();

        var receiver = await RawSocket.SendShortBodyAsync(app.Port, "POST", $"/api/postbacks/{UnknownToken}/deposit", 100, "click_id=abc", endOfUpload: false, "Content-Type: application/x-www-form-urlencoded");
        var tracker = await RawSocket.SendShortBodyAsync(app.Port, "POST", "/api/tracker/clicks", 100, """{"campaignId":""", endOfUpload: false, "Content-Type: application/json");

        receiver.Status.Should().Be(408, receiver.Head);
        receiver.Body.Should().Contain("\"code\":\"body_unreadable\"");
        tracker.Status.Should().Be(408, tracker.Head);
        await app.DisposeAsync();
        AssertLoggedOnceEachWithoutErrors(collector.GetSnapshot(), 2);
    }

    [Fact]
    public async Task AnswersATrackerBodyOverTheServersLimitWith413()
    {
        await using var app = await StartAsync(services => services.Configure<KestrelServerOptions>(kestrel => kestrel.Limits.MaxRequestBodySize = 64));
        var collector = app.Services.GetFakeLogCollector();
        collector.Clear();

        var response = await app.PostJsonAsync("/api/tracker/clicks", $$"""{"subjectId":"{{new string('s', 100)}}"}""");

        var problem = await PostbackSetApiTests.AssertProblemAsync(response, System.Net.HttpStatusCode.RequestEntityTooLarge, "body_too_large");
        problem.GetProperty("detail").GetString().Should().Be("The request body is larger than the server accepts.");
        await app.DisposeAsync();
        AssertLoggedOnceEachWithoutErrors(collector.GetSnapshot(), 1);
    }

    // Called once the host has stopped, which waits for its requests (and the server's own work after each answer).
    private static void AssertLoggedOnceEachWithoutErrors(IReadOnlyList<FakeLogRecord> entries, int requests)
    {
        entries.Where(e => e.Level >= LogLevel.Error).Select(Describe).Should().BeEmpty();
        entries.Where(e => e.Exception is not null).Select(Describe).Should().BeEmpty();
        entries.Where(e => e.Category?.StartsWith(ChatterfyCategory, StringComparison.Ordinal) == true && e.Id.Name == "RequestBodyUnreadable")
            .Should().HaveCount(requests, "each unreadable body is logged once")
            .And.OnlyContain(e => e.Level == LogLevel.Debug);
    }

    // ASP.NET Core's hosting log: "Request starting", at Information.
    private const int RequestStarting = 1;

    /// <summary>Waits until the hosting log holds <paramref name="count"/> entries with the event id <paramref name="eventId"/>.</summary>
    private static async Task WaitForHostingEntriesAsync(FakeLogCollector collector, int eventId, int count)
    {
        bool Reached() => collector.GetSnapshot().Count(e => e.Category == "Microsoft.AspNetCore.Hosting.Diagnostics" && e.Id.Id == eventId) >= count;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        if (Reached())
        {
            return;
        }

        await foreach (var _ in collector.GetLogsAsync(deadline.Token))
        {
            if (Reached())
            {
                return;
            }
        }
    }

    private static string Describe(FakeLogRecord record) => $"{record.Level} {record.Category} {record.Id}: {record.Message} {record.Exception?.GetType().Name}";

    // Production-like logging (Information, the hosting's request lines included) for everything but the library,
    // whose Debug entries the tests check. Kestrel's own Debug trace of a broken body carries the exception; it is below
    // what is collected here, as in production.
    private static Task<TestApp> StartAsync(Action<IServiceCollection>? services = null) => TestApp.StartAsync(
        kestrel: true,
        postbacks: b => b.AddForwarding(o => o.AllowPrivateNetworks = true),
        services: s =>
        {
            s.AddLogging(logging => logging
                .SetMinimumLevel(LogLevel.Information)
                .AddFilter("Microsoft.AspNetCore", LogLevel.Information)
                .AddFilter(ChatterfyCategory, LogLevel.Debug))
                .AddFakeLogging();
            services?.Invoke(s);
        });
}
