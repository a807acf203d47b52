using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Chatterfy.Postbacks.AspNetCore.Tests.Infrastructure;
using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Storage;
using Microsoft.Extensions.DependencyInjection;
using static Chatterfy.Postbacks.AspNetCore.Tests.PostbackSetApiTests;

namespace Chatterfy.Postbacks.AspNetCore.Tests;

/// <summary>
/// The tracker API's outbox: list with filters and paging, a message with its attempts, and retry by hand. Messages are
/// seeded through the store (append with messages, lease, complete), as ingestion and the dispatcher write them.
/// </summary>
public sealed class OutboxApiTests
{
    private const string Outbox = "/api/tracker/outbox";

    // m1 delivered, m2 dead-lettered (Meta's error), m3 pending after a failed attempt, m4 pending untried; newest last.
    [Fact]
    public async Task ListsEveryMessageNewestFirst()
    {
        await using var app = await TestApp.StartAsync();
        await SeedAsync(app);

        var page = await app.Client.GetFromJsonAsync<JsonElement>(Outbox);

        Ids(page).Should().Equal("m4", "m3", "m2", "m1");
        page.GetProperty("next").ValueKind.Should().Be(JsonValueKind.Null);
        var dead = page.GetProperty("items")[2];
        dead.GetProperty("conversionId").GetString().Should().Be("c1");
        dead.GetProperty("ruleId").GetString().Should().Be("rule-b");
        dead.GetProperty("destination").GetString().Should().Be("facebook-capi");
        dead.GetProperty("status").GetString().Should().Be("dead-lettered");
        dead.GetProperty("attemptCount").GetInt32().Should().Be(1);
        dead.GetProperty("lastErrorCode").GetString().Should().Be(DeliveryErrorCodes.DestinationError);
        dead.GetProperty("lastError").GetString().Should().Be("Invalid parameter");
        dead.GetProperty("completedAt").GetString().Should().Be("2026-11-27T12:01:00Z");
        dead.GetProperty("createdAt").GetString().Should().Be("2026-11-27T12:00:01Z");
        dead.TryGetProperty("attempts", out _).Should().BeFalse();
    }

    [Theory]
    [InlineData("?status=pending", new[] { "m4", "m3" })]
    [InlineData("?status=Delivered", new[] { "m1" })]
    [InlineData("?status=dead-lettered", new[] { "m2" })]
    [InlineData("?conversionId=c1", new[] { "m2", "m1" })]
    [InlineData("?ruleId=rule-a", new[] { "m4", "m3", "m1" })]
    [InlineData("?ruleId=rule-a&status=pending&conversionId=c3", new[] { "m4" })]
    [InlineData("?conversionId=nope", new string[0])]
    public async Task FiltersByStatusConversionAndRule(string query, string[] expected)
    {
        await using var app = await TestApp.StartAsync();
        await SeedAsync(app);

        Ids(await app.Client.GetFromJsonAsync<JsonElement>(Outbox + query)).Should().Equal(expected);
    }

    [Fact]
    public async Task PagesWithTheNextCursor()
    {
        await using var app = await TestApp.StartAsync();
        await SeedAsync(app);

        var first = await app.Client.GetFromJsonAsync<JsonElement>($"{Outbox}?limit=3");
        var second = await app.Client.GetFromJsonAsync<JsonElement>($"{Outbox}?limit=3&before={first.GetProperty("next").GetString()}");

        Ids(first).Should().Equal("m4", "m3", "m2");
        first.GetProperty("next").GetString().Should().Be("m2");
        Ids(second).Should().Equal("m1");
        second.GetProperty("next").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Theory]
    [InlineData("?status=failed", "status")]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=1001", "limit")]
    [InlineData("?limit=ten", "limit")]
    [InlineData("?limit=-1&status=x", "limit,status")]
    public async Task RefusesAnInvalidFilterNamingIt(string query, string fields)
    {
        await using var app = await TestApp.StartAsync();

        var problem = await AssertProblemAsync(await app.Client.GetAsync(Outbox + query), HttpStatusCode.BadRequest, "validation_failed");

        problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo(fields.Split(','));
    }

    [Fact]
    public async Task GetsAMessageWithItsAttempts()
    {
        await using var app = await TestApp.StartAsync();
        await SeedAsync(app);

        var message = await app.Client.GetFromJsonAsync<JsonElement>($"{Outbox}/m2");

        message.GetProperty("id").GetString().Should().Be("m2");
        var attempt = message.GetProperty("attempts").EnumerateArray().Should().ContainSingle().Subject;
        attempt.GetProperty("number").GetInt32().Should().Be(1);
        attempt.GetProperty("startedAt").GetString().Should().Be("2026-11-27T12:01:00Z");
        attempt.GetProperty("status").GetString().Should().Be("dead-letter");
        attempt.GetProperty("httpStatus").GetInt32().Should().Be(400);
        attempt.GetProperty("errorCode").GetString().Should().Be(DeliveryErrorCodes.DestinationError);
        attempt.GetProperty("reason").GetString().Should().Be("Invalid parameter");
        attempt.GetProperty("responseExcerpt").GetString().Should().Be("""{"error":{"code":100}}""");
        attempt.GetProperty("durationMs").GetInt64().Should().Be(245);
        var error = attempt.GetProperty("destinationError");
        error.GetProperty("code").GetString().Should().Be("100");
        error.GetProperty("subcode").GetString().Should().Be("2804003");
        error.GetProperty("traceId").GetString().Should().Be("AbCdEfG123");
        error.GetProperty("isTransient").GetBoolean().Should().BeFalse();

        var delivered = await app.Client.GetFromJsonAsync<JsonElement>($"{Outbox}/m1");
        delivered.GetProperty("attempts")[0].GetProperty("status").GetString().Should().Be("delivered");
        delivered.GetProperty("attempts")[0].GetProperty("destinationError").ValueKind.Should().Be(JsonValueKind.Null);
        (await app.Client.GetFromJsonAsync<JsonElement>($"{Outbox}/m4")).GetProperty("attempts").GetArrayLength().Should().Be(0);
        await AssertProblemAsync(await app.Client.GetAsync($"{Outbox}/nope"), HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task RetriesADeadLetterNowWithTheHostsClock()
    {
        await using var app = await TestApp.StartAsync();
        await SeedAsync(app);
        app.Time.Advance(TimeSpan.FromHours(2));

        var response = await app.Client.PostAsync($"{Outbox}/m2/retry", null);

        response.StatusCode.Should().Be(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var message = await response.Content.ReadFromJsonAsync<JsonElement>();
        message.GetProperty("status").GetString().Should().Be("pending");
        message.GetProperty("nextAttemptAt").GetString().Should().Be("2026-11-27T14:01:00Z");
        message.GetProperty("completedAt").ValueKind.Should().Be(JsonValueKind.Null);
        message.GetProperty("attemptCount").GetInt32().Should().Be(1);
        (await app.Client.GetFromJsonAsync<JsonElement>($"{Outbox}/m2")).GetProperty("status").GetString().Should().Be("pending");
    }

    [Fact]
    public async Task RetriesAPendingMessageNow()
    {
        await using var app = await TestApp.StartAsync();
        await SeedAsync(app);

        var response = await app.Client.PostAsync($"{Outbox}/m3/retry", null);

        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("nextAttemptAt").GetString().Should().Be("2026-11-27T12:01:00Z");
    }

    [Fact]
    public async Task RetryClearsALeaseNobodyRenews_AndMakesTheMessageDueNow()
    {
        await using var app = await TestApp.StartAsync(postbacks: b => b.AddForwarding(o => o.Dispatcher.Enabled = false));
        await LeasedByAnotherDispatcherAsync(app, "m9");

        // The dispatcher that leased the message for 30 s died 20 s ago: it no longer renews its lease.
        app.Time.Advance(TimeSpan.FromSeconds(20));
        var response = await app.Client.PostAsync($"{Outbox}/m9/retry", null);

        response.StatusCode.Should().Be(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var message = await response.Content.ReadFromJsonAsync<JsonElement>();
        message.GetProperty("leaseExpiresAt").ValueKind.Should().Be(JsonValueKind.Null);
        message.GetProperty("nextAttemptAt").GetString().Should().Be("2026-11-27T12:00:20Z");
        var stored = await app.Client.GetFromJsonAsync<JsonElement>($"{Outbox}/m9");
        stored.GetProperty("leaseExpiresAt").ValueKind.Should().Be(JsonValueKind.Null);
        stored.GetProperty("status").GetString().Should().Be("pending");
    }

    [Fact]
    public async Task RetryLeavesALeaseThatIsBeingRenewed()
    {
        await using var app = await TestApp.StartAsync(postbacks: b => b.AddForwarding(o => o.Dispatcher.Enabled = false));
        await LeasedByAnotherDispatcherAsync(app, "m9");

        // Leased 5 s ago: its holder (another instance) may be sending it right now.
        app.Time.Advance(TimeSpan.FromSeconds(5));
        var response = await app.Client.PostAsync($"{Outbox}/m9/retry", null);

        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var message = await response.Content.ReadFromJsonAsync<JsonElement>();
        message.GetProperty("leaseExpiresAt").GetString().Should().Be("2026-11-27T12:00:30Z");
        message.GetProperty("nextAttemptAt").GetString().Should().Be("2026-11-27T12:00:00Z");
    }

    [Fact]
    public async Task RefusesToRetryADeliveredMessage()
    {
        await using var app = await TestApp.StartAsync();
        await SeedAsync(app);

        await AssertProblemAsync(await app.Client.PostAsync($"{Outbox}/m1/retry", null), HttpStatusCode.Conflict, "outbox_message_delivered");
        await AssertProblemAsync(await app.Client.PostAsync($"{Outbox}/nope/retry", null), HttpStatusCode.NotFound, "not_found");
        (await app.Client.GetFromJsonAsync<JsonElement>($"{Outbox}/m1")).GetProperty("status").GetString().Should().Be("delivered");
    }

    private static List<string?> Ids(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToList();

    private static async Task SeedAsync(TestApp app)
    {
        var store = app.Get<PostbackStorage>();
        var start = TestApp.Start;
        await AppendAsync(store, "c1", start, Message("m1", "c1", "rule-a", start), Message("m2", "c1", "rule-b", start.AddSeconds(1), "facebook-capi"));
        await AppendAsync(store, "c2", start, Message("m3", "c2", "rule-a", start.AddSeconds(2)));
        await AppendAsync(store, "c3", start, Message("m4", "c3", "rule-a", start.AddSeconds(3)));

        var now = start.AddMinutes(1);
        app.Time.SetUtcNow(now);
        var leased = await store.Outbox.LeaseAsync(
            new OutboxLeaseRequest { LeaseId = "lease-1", Now = now, Duration = TimeSpan.FromMinutes(5), MaxCount = 3 },
            CancellationToken.None);
        leased.Select(m => m.Id).Should().Equal("m1", "m2", "m3");
        await store.Outbox.CompleteAsync(
            [
                Completion("m1", now, OutboxMessageStatus.Delivered, new() { MessageId = "m1", Number = 1, StartedAt = now, Duration = TimeSpan.FromMilliseconds(80), Status = DeliveryStatus.Delivered, HttpStatusCode = 200, ResponseExcerpt = "OK" }),
                Completion("m2", now, OutboxMessageStatus.DeadLettered, new()
                {
                    MessageId = "m2",
                    Number = 1,
                    StartedAt = now,
                    Duration = TimeSpan.FromMilliseconds(245.7),
                    Status = DeliveryStatus.DeadLetter,
                    HttpStatusCode = 400,
                    ErrorCode = DeliveryErrorCodes.DestinationError,
                    Reason = "Invalid parameter",
                    ResponseExcerpt = """{"error":{"code":100}}""",
                    DestinationError = new DestinationError { Code = "100", Subcode = "2804003", Type = "OAuthException", Message = "Invalid parameter", TraceId = "AbCdEfG123" },
                }),
                Completion("m3", now, OutboxMessageStatus.Pending, new() { MessageId = "m3", Number = 1, StartedAt = now, Status = DeliveryStatus.Retry, HttpStatusCode = 503, ErrorCode = DeliveryErrorCodes.HttpStatus, Reason = "503" }),
            ],
            CancellationToken.None);
    }

    /// <summary>Appends a message and leases it for 30 s from <see cref="TestApp.Start"/> under another dispatcher's lease.</summary>
    private static async Task LeasedByAnotherDispatcherAsync(TestApp app, string id)
    {
        var store = app.Get<PostbackStorage>();
        await AppendAsync(store, "c-" + id, TestApp.Start, Message(id, "c-" + id, "rule-a", TestApp.Start));
        var leased = await store.Outbox.LeaseAsync(
            new OutboxLeaseRequest { LeaseId = "another-dispatcher", Now = TestApp.Start, Duration = TimeSpan.FromSeconds(30), MaxCount = 10 },
            CancellationToken.None);
        leased.Should().ContainSingle().Which.Id.Should().Be(id);
    }

    private static OutboxCompletion Completion(string id, DateTimeOffset now, OutboxMessageStatus status, OutboxAttempt attempt) => new()
    {
        LeaseId = "lease-1",
        Attempt = attempt with { MessageId = id },
        Status = status,
        NextAttemptAt = status == OutboxMessageStatus.Pending ? now.AddMinutes(10) : null,
        CompletedAt = now,
    };

    private static OutboxMessage Message(string id, string conversionId, string ruleId, DateTimeOffset createdAt, string destination = "http-postback") => new()
    {
        Id = id,
        ConversionId = conversionId,
        RuleId = ruleId,
        DestinationId = destination,
        CreatedAt = createdAt,
        NextAttemptAt = createdAt,
        RetryFrom = createdAt,
    };

    private static async Task AppendAsync(PostbackStorage store, string conversionId, DateTimeOffset receivedAt, params OutboxMessage[] messages)
    {
        var conversion = new ConversionRecord
        {
            Id = conversionId,
            Attribution = ConversionAttribution.Unattributed,
            Conversion = new Conversion
            {
                SetId = "set-1",
                Event = PostbackEvent.FirstDeposit,
                ClickId = "click" + conversionId,
                Amount = 12.50m,
                Currency = "USD",
                ReceivedAt = receivedAt,
                IdempotencyKey = new IdempotencyKey("key-" + conversionId, null),
            },
        };
        var log = new PostbackLogEntry
        {
            Id = "log-" + conversionId,
            ReceivedAt = receivedAt,
            SetId = "set-1",
            Outcome = PostbackOutcome.Unattributed,
            ConversionId = conversionId,
            Request = new PostbackRequest { Path = "/api/postbacks/tok/first-deposit" },
        };
        (await store.Ingest.AppendAsync([new IngestRecord { LogEntry = log, Conversion = conversion, OutboxMessages = messages }], CancellationToken.None))
            .Should().ContainSingle().Which.Failure.Should().BeNull();
    }
}
