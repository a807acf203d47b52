using System.Collections.Concurrent;
using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.Storage;
using Chatterfy.Postbacks.Storage.Conformance;

namespace Chatterfy.Postbacks.PostgreSql.Tests;

/// <summary>What the PostgreSQL store adds to the shared suite for forwarding: upgrades, and leases across instances.</summary>
public sealed class PostgreSqlOutboxTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static readonly DateTimeOffset Now = StoreTestData.Epoch.AddHours(1);

    [PostgresFact]
    public async Task Migrate_DatabaseAtVersion1WithData_UpgradesToTheCurrentVersionAndKeepsTheData()
    {
        await using var database = new PostgresTestDatabase();
        var schema = database.NewSchema();
        var quoted = PostgreSqlSchema.Quote(schema);
        // Exactly what a store of version 1 created, and a set and a first deposit as it wrote them (first_deposit).
        await using (var command = database.NewDataSource().CreateCommand(
            $"""
            CREATE SCHEMA {quoted};
            {PostgreSqlSchema.Render(PostgreSqlSchema.VersionTable, quoted)}
            {PostgreSqlSchema.Render(PostgreSqlSchema.Migration1, quoted)}
            INSERT INTO {quoted}.schema_version (version) VALUES (1);
            INSERT INTO {quoted}.postback_sets (id, name, network_id, token, created_at, enabled) VALUES ('set-1', 'Binomo', 'binomo', 'tok-1', '2025-03-14T09:26:53Z', true);
            INSERT INTO {quoted}.postback_set_tokens (token, set_id) VALUES ('tok-1', 'set-1');
            INSERT INTO {quoted}.conversions (id, set_id, event_kind, event_name, click_id, amount, currency, attributes, received_at, idempotency_key, attribution, campaign_id)
            VALUES ('conv-1', 'set-1', 'first_deposit', 'first-deposit', 'click-1', 12.50, 'USD', jsonb_build_object('a', 'b'), '2025-03-14T09:26:53Z', 'set-1:first-deposit:click-1', 'credited', 'camp-1');
            """))
        {
            await command.ExecuteNonQueryAsync();
        }

        var store = database.NewStore(schema);
        (await store.MigrateAsync()).Should().Be(PostgreSqlSchema.CurrentVersion - 1);

        (await PostgresTestDatabase.SchemaVersionsAsync(schema)).Should().Equal(Enumerable.Range(1, PostgreSqlSchema.CurrentVersion));
        (await store.MigrateAsync()).Should().Be(0);
        var roles = store.Storage;
        (await roles.Sets.GetAsync("set-1", None)).Should().NotBeNull();
        var before = (await roles.Ingest.GetConversionAsync("conv-1", None))!;
        before.Conversion.Event.Should().Be(Chatterfy.Postbacks.Ingestion.PostbackEvent.FirstDeposit);
        before.Conversion.Amount.Should().Be(12.50m);
        var retry = StoreTestData.Retry(before);
        (await roles.Ingest.AppendOneAsync(IngestRecords.For(retry))).Should().Be(IngestResult.Duplicate("conv-1"));
        var rule = Rule();
        await roles.ForwardingRules.AddAsync(rule, None);
        await roles.Campaigns.AddAsync(new() { Id = "spring", DestinationTemplate = "https://t.me/bot?start={{tracker.clickid}}", CreatedAt = Now }, None);
        var conversion = StoreTestData.Conversion(setId: "set-1");
        var message = Message(conversion.Id, rule.Id);
        (await roles.Ingest.AppendOneAsync(IngestRecords.For(conversion, message))).Should().Be((IngestResult.Written(conversion.Id) with { DepositNumber = conversion.DepositNumber }));
        (await roles.Outbox.GetAsync(message.Id, None)).Should().Be(message);
        (await roles.Campaigns.ListAsync(None)).Should().ContainSingle();
    }

    [PostgresFact]
    public async Task Lease_TwoInstancesWithFourLoopsEach_LeaseEveryDueMessageExactlyOnce()
    {
        const int Messages = 300;
        await using var database = new PostgresTestDatabase();
        // Two stores with two connection pools, as two dispatcher instances sharing one database.
        var schema = database.NewSchema();
        var first = database.NewStore(schema);
        var second = database.NewStore(schema);
        await first.MigrateAsync();
        var ids = await AddMessagesAsync(first, Messages, perConversion: 5);

        var leased = new ConcurrentBag<(string MessageId, string LeaseId)>();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var loops = Enumerable.Range(0, 8).Select(loop => Task.Run(async () =>
        {
            var store = loop % 2 == 0 ? first : second;
            await gate.Task;
            while (true)
            {
                var request = new OutboxLeaseRequest { LeaseId = "lease_" + StoreTestData.NewId(), Now = Now, Duration = TimeSpan.FromMinutes(5), MaxCount = 3 + loop };
                var batch = await store.Storage.Outbox.LeaseAsync(request, None);
                if (batch.Count == 0)
                {
                    return;
                }

                foreach (var message in batch)
                {
                    message.LeaseId.Should().Be(request.LeaseId);
                    message.LeaseExpiresAt.Should().Be(Now + request.Duration);
                    leased.Add((message.Id, request.LeaseId));
                }
            }
        })).ToArray();

        gate.SetResult();
        await Task.WhenAll(loops);

        var leasedIds = leased.Select(l => l.MessageId).ToList();
        leasedIds.Should().OnlyHaveUniqueItems("no two leases may hold one message");
        leasedIds.Should().BeEquivalentTo(ids);
        foreach (var (messageId, leaseId) in leased.Take(20))
        {
            (await second.Storage.Outbox.GetAsync(messageId, None))!.LeaseId.Should().Be(leaseId);
        }
    }

    [PostgresFact]
    public async Task Complete_UnderALeaseThatExpiredAndWasTakenOver_IsSkipped()
    {
        await using var database = new PostgresTestDatabase();
        var schema = database.NewSchema();
        var first = database.NewStore(schema);
        var second = database.NewStore(schema);
        await first.MigrateAsync();
        var messageId = (await AddMessagesAsync(first, 1, perConversion: 1)).Single();
        var stale = new OutboxLeaseRequest { LeaseId = "lease-a", Now = Now, Duration = TimeSpan.FromMinutes(1), MaxCount = 10 };
        (await first.Storage.Outbox.LeaseAsync(stale, None)).Should().ContainSingle();
        (await second.Storage.Outbox.LeaseAsync(stale with { LeaseId = "lease-early", Now = Now.AddSeconds(59) }, None))
            .Should().BeEmpty("the first lease still lives");
        var takeover = new OutboxLeaseRequest { LeaseId = "lease-b", Now = Now.AddMinutes(2), Duration = TimeSpan.FromMinutes(1), MaxCount = 10 };
        (await second.Storage.Outbox.LeaseAsync(takeover, None)).Should().ContainSingle().Which.LeaseId.Should().Be("lease-b");

        var late = Delivered(messageId, "lease-a", Now.AddMinutes(3));
        (await first.Storage.Outbox.CompleteAsync([late], None)).Should().Be(0);

        var message = (await first.Storage.Outbox.GetAsync(messageId, None))!;
        message.Status.Should().Be(OutboxMessageStatus.Pending);
        message.LeaseId.Should().Be("lease-b");
        message.AttemptCount.Should().Be(0);
        (await first.Storage.Outbox.ListAttemptsAsync(messageId, None)).Should().BeEmpty();

        (await second.Storage.Outbox.CompleteAsync([Delivered(messageId, "lease-b", Now.AddMinutes(3))], None)).Should().Be(1);
        message = (await first.Storage.Outbox.GetAsync(messageId, None))!;
        message.Status.Should().Be(OutboxMessageStatus.Delivered);
        message.LeaseId.Should().BeNull();
        message.CompletedAt.Should().Be(Now.AddMinutes(3));
        (await first.Storage.Outbox.ListAttemptsAsync(messageId, None)).Should().ContainSingle();
    }

    [PostgresFact]
    public async Task Complete_AppliedAndSkippedInOneCall_StoresOnlyTheAppliedAttemptsWithEveryValue()
    {
        await using var database = new PostgresTestDatabase();
        var store = await database.NewMigratedStoreAsync();
        var ids = await AddMessagesAsync(store, 3, perConversion: 3);
        (await store.Storage.Outbox.LeaseAsync(new() { LeaseId = "L", Now = Now, Duration = TimeSpan.FromMinutes(1), MaxCount = 2 }, None))
            .Should().HaveCount(2);
        var leased = ids.Take(2).ToArray();
        var failed = new OutboxAttempt
        {
            MessageId = leased[0],
            Number = 1,
            StartedAt = Now.AddSeconds(1),
            Duration = TimeSpan.FromMilliseconds(1234.567),
            Status = DeliveryStatus.Retry,
            HttpStatusCode = 503,
            ErrorCode = "http_503",
            Reason = "Service Unavailable",
            ResponseExcerpt = "{\"error\":{}}",
            DestinationError = new DestinationError { Code = "2", Subcode = "1", Type = "OAuthException", Message = "Try later", TraceId = "A1", IsTransient = true },
        };
        var completions = new[]
        {
            new OutboxCompletion { LeaseId = "L", Attempt = failed, Status = OutboxMessageStatus.Pending, NextAttemptAt = Now.AddMinutes(1), CompletedAt = Now.AddSeconds(2) },
            Delivered(leased[1], "L", Now.AddSeconds(2)) with { Attempt = Delivered(leased[1], "L", Now).Attempt with { DestinationError = new DestinationError() } },
            Delivered(ids[2], "L", Now.AddSeconds(2)),
        };

        (await store.Storage.Outbox.CompleteAsync(completions, None)).Should().Be(2);

        (await store.Storage.Outbox.ListAttemptsAsync(leased[0], None)).Should().Equal(failed);
        (await store.Storage.Outbox.ListAttemptsAsync(leased[1], None)).Single().DestinationError.Should().Be(new DestinationError());
        (await store.Storage.Outbox.ListAttemptsAsync(ids[2], None)).Should().BeEmpty();
        var retrying = (await store.Storage.Outbox.GetAsync(leased[0], None))!;
        retrying.Should().BeEquivalentTo(new
        {
            Status = OutboxMessageStatus.Pending,
            AttemptCount = 1,
            LastErrorCode = "http_503",
            LastError = "Service Unavailable",
            NextAttemptAt = Now.AddMinutes(1),
            CompletedAt = (DateTimeOffset?)null,
            LeaseId = (string?)null,
            LeaseExpiresAt = (DateTimeOffset?)null,
        });
    }

    [PostgresFact]
    public async Task Lease_ReturnsMessagesEarliestDueFirstThenByOrdinalId()
    {
        await using var database = new PostgresTestDatabase();
        var store = await database.NewMigratedStoreAsync();
        var conversion = StoreTestData.Conversion();
        var rule = "rule_" + StoreTestData.NewId();
        var suffix = StoreTestData.NewId();
        // Ordinal order puts upper case before lower case ("B" < "a"); a linguistic collation would not.
        var messages = new[]
        {
            Message(conversion.Id, rule) with { Id = "a" + suffix, NextAttemptAt = Now.AddSeconds(-1) },
            Message(conversion.Id, rule) with { Id = "B" + suffix, NextAttemptAt = Now.AddSeconds(-1) },
            Message(conversion.Id, rule) with { Id = "_" + suffix, NextAttemptAt = Now.AddSeconds(-2) },
            Message(conversion.Id, rule) with { Id = "Z" + suffix, NextAttemptAt = Now.AddSeconds(1) },
        };
        await store.Storage.Ingest.AppendOneAsync(IngestRecords.For(conversion, messages));

        var leased = await store.Storage.Outbox.LeaseAsync(new() { LeaseId = "L", Now = Now, Duration = TimeSpan.FromMinutes(1), MaxCount = 10 }, None);

        leased.Select(m => m.Id).Should().Equal("_" + suffix, "B" + suffix, "a" + suffix);
    }

    [PostgresFact]
    public async Task Append_MessageIdAlreadyStored_FailsThatRecordAloneAndStoresNothingOfIt()
    {
        await using var database = new PostgresTestDatabase();
        var store = (await database.NewMigratedStoreAsync()).Storage;
        var rule = "rule_" + StoreTestData.NewId();
        var first = StoreTestData.Conversion();
        var taken = Message(first.Id, rule);
        await store.Ingest.AppendOneAsync(IngestRecords.For(first, taken));
        var second = StoreTestData.Conversion();
        var entry = StoreTestData.LogEntryFor(second);
        var neighbour = StoreTestData.Conversion();
        var neighbourMessage = Message(neighbour.Id, rule);

        var results = await store.Ingest.AppendAsync(
            [IngestRecords.For(second, entry, Message(second.Id, rule), taken with { ConversionId = second.Id }), IngestRecords.For(neighbour, neighbourMessage)],
            None);

        results[0].Failure.Should().BeOfType<InvalidOperationException>().Which.Message.Should().Be("An outbox message with that id exists.");
        results[1].Should().Be((IngestResult.Written(neighbour.Id) with { DepositNumber = neighbour.DepositNumber }));
        (await store.Ingest.GetConversionAsync(second.Id, None)).Should().BeNull();
        (await store.Log.GetAsync(entry.Id, None)).Should().BeNull();
        (await store.Outbox.ListAsync(new OutboxQuery { ConversionId = second.Id }, None)).Should().BeEmpty();
        (await store.Outbox.GetAsync(neighbourMessage.Id, None)).Should().Be(neighbourMessage);
    }

    [PostgresFact]
    public async Task AddForwardingRule_SettingsComeBackAsTheExactTextGiven()
    {
        await using var database = new PostgresTestDatabase();
        var store = await database.NewMigratedStoreAsync();
        const string Settings = """{ "z":1.50, "a" : "x\u0000y", "n":1e2,"s":"\u00e9" }""";
        var rule = Rule() with { Settings = StoreTestData.Json(Settings) };

        await store.Storage.ForwardingRules.AddAsync(rule, None);

        (await store.Storage.ForwardingRules.GetAsync(rule.Id, None))!.Settings.GetRawText().Should().Be(Settings);
        (await store.Storage.ForwardingRules.ListAsync(None)).Single().Settings.GetRawText().Should().Be(Settings);
    }

    private static ForwardingRule Rule() => new()
    {
        Id = "rule_" + StoreTestData.NewId(),
        Name = "Meta",
        SetId = "set_" + StoreTestData.NewId(),
        DestinationId = "facebook-capi",
        Settings = StoreTestData.Json("""{"pixelId":"123","accessToken":"secret"}"""),
        CreatedAt = StoreTestData.Epoch,
    };

    private static OutboxMessage Message(string conversionId, string ruleId) => new()
    {
        Id = "msg_" + StoreTestData.NewId(),
        ConversionId = conversionId,
        RuleId = ruleId,
        DestinationId = "facebook-capi",
        CreatedAt = StoreTestData.Epoch,
        NextAttemptAt = StoreTestData.Epoch,
        RetryFrom = StoreTestData.Epoch,
    };

    private static OutboxCompletion Delivered(string messageId, string leaseId, DateTimeOffset at) => new()
    {
        LeaseId = leaseId,
        Attempt = new OutboxAttempt { MessageId = messageId, Number = 1, StartedAt = at, Duration = TimeSpan.FromMilliseconds(80), Status = DeliveryStatus.Delivered, HttpStatusCode = 200 },
        Status = OutboxMessageStatus.Delivered,
        CompletedAt = at,
    };

    /// <summary>Appends conversions carrying <paramref name="count"/> due messages in all; returns the message ids.</summary>
    private static async Task<List<string>> AddMessagesAsync(PostgreSqlPostbackStore store, int count, int perConversion)
    {
        var ids = new List<string>();
        var rule = "rule_" + StoreTestData.NewId();
        while (ids.Count < count)
        {
            var conversion = StoreTestData.Conversion();
            var messages = Enumerable.Range(0, Math.Min(perConversion, count - ids.Count))
                .Select(i => Message(conversion.Id, rule) with { NextAttemptAt = StoreTestData.Epoch.AddSeconds(ids.Count + i) })
                .ToArray();
            (await store.Storage.Ingest.AppendOneAsync(IngestRecords.For(conversion, messages))).IsDuplicate.Should().BeFalse();
            ids.AddRange(messages.Select(m => m.Id));
        }

        return ids;
    }
}
