using System.Collections.Concurrent;
using Chatterfy.Postbacks.Campaigns;
using Chatterfy.Postbacks.Storage.Conformance;
using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.Storage;
using Microsoft.Data.Sqlite;

namespace Chatterfy.Postbacks.Sqlite.Tests;

/// <summary>What the SQLite store adds to the outbox contract: its migration, its file, its writer's batches and leases.</summary>
public sealed class SqliteOutboxTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;

    // Bounds waits on the writer; a passing test never comes near it.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static readonly DateTimeOffset Epoch = StoreTestData.Epoch;

    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    // ---------------------------------------------------------- migration

    [Fact]
    public async Task DatabaseAtSchemaVersion1_IsMigrated_KeepingItsDataAndAddingTheOutboxTables()
    {
        var set = StoreTestData.Set();
        var conversion = StoreTestData.Conversion(set.Id);
        var entry = StoreTestData.LogEntryFor(conversion);
        await using (var before = _database.CreateStore())
        {
            await before.Sets.AddAsync(set, None);
            await before.AppendAsync(conversion, entry);
        }

        DowngradeToVersion1();
        _database.Scalar("PRAGMA user_version").Should().Be(1L);
        using (var connection = _database.OpenRaw())
        {
            SchemaOf(connection).Should().Be(Version1Schema(), "the file is now exactly what schema version 1 creates");
        }

        var store = _database.CreateStore();
        await store.InitializeAsync();

        _database.Scalar("PRAGMA user_version").Should().Be((long)SqliteSchema.LatestVersion);
        foreach (var table in new[] { "forwarding_rules", "campaigns", "outbox_messages", "outbox_attempts" })
        {
            _database.Scalar($"SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = '{table}'").Should().Be(1L, table);
        }

        (await store.Sets.GetAsync(set.Id, None)).Should().BeEquivalentTo(set, o => o.Excluding(s => s.Settings));
        (await store.Ingest.GetConversionAsync(conversion.Id, None)).Should().BeEquivalentTo(conversion);
        (await store.Log.GetAsync(entry.Id, None)).Should().NotBeNull();

        var next = StoreTestData.Conversion(set.Id);
        var message = Message(next);
        await store.AppendAsync(next, null, message);
        (await store.Outbox.GetAsync(message.Id, None)).Should().BeEquivalentTo(message);
    }

    // ---------------------------------------------------------- durability

    [Fact]
    public async Task Reopen_FindsRulesCampaignsMessagesAndAttemptsWithExactValues()
    {
        var store = _database.CreateStore();
        var rule = new ForwardingRule
        {
            Id = "rule_" + StoreTestData.NewId(),
            Name = "Meta",
            SetId = "set-1",
            DestinationId = "facebook-capi",
            Settings = StoreTestData.Json("""{"pixelId":"123","accessToken":"secret","nested":{"a":[1,2.50,"x"]}}"""),
            CreatedAt = Epoch.AddTicks(1234567),
        };
        var campaign = new Campaign { Id = "spring", Name = null, DestinationTemplate = "https://t.me/bot?start={{tracker.clickid}}", CreatedAt = Epoch };
        await store.ForwardingRules.AddAsync(rule, None);
        await store.Campaigns.AddAsync(campaign, None);
        var conversion = StoreTestData.Conversion();
        var delivered = Message(conversion, rule.Id);
        var retried = Message(conversion, rule.Id);
        await store.AppendAsync(conversion, null, delivered, retried);

        var leased = await store.Outbox.LeaseAsync(Lease("lease-1", Epoch.AddMinutes(1)), None);
        leased.Should().HaveCount(2);
        var failure = new OutboxAttempt
        {
            MessageId = retried.Id,
            Number = 1,
            StartedAt = Epoch.AddMinutes(1).AddTicks(7),
            Duration = TimeSpan.FromTicks(1_234_567),
            Status = DeliveryStatus.Retry,
            HttpStatusCode = 503,
            ErrorCode = "http_5xx",
            Reason = "Service unavailable",
            ResponseExcerpt = """{"error":{"message":"try later"}}""",
            DestinationError = new DestinationError { Code = "2", Subcode = null, Type = "OAuthException", Message = "try later", TraceId = "AbC", IsTransient = true },
        };
        var success = new OutboxAttempt
        {
            MessageId = delivered.Id,
            Number = 1,
            StartedAt = Epoch.AddMinutes(1),
            Duration = TimeSpan.FromMilliseconds(85),
            Status = DeliveryStatus.Delivered,
            HttpStatusCode = 200,
        };
        var applied = await store.Outbox.CompleteAsync(
            [
                new OutboxCompletion { LeaseId = "lease-1", Attempt = failure, Status = OutboxMessageStatus.Pending, NextAttemptAt = Epoch.AddMinutes(2), CompletedAt = Epoch.AddMinutes(1.5) },
                new OutboxCompletion { LeaseId = "lease-1", Attempt = success, Status = OutboxMessageStatus.Delivered, CompletedAt = Epoch.AddMinutes(1.5) },
            ],
            None);
        applied.Should().Be(2);
        var beforeReopen = new[] { await store.Outbox.GetAsync(delivered.Id, None), await store.Outbox.GetAsync(retried.Id, None) };
        await store.DisposeAsync();

        var reopened = _database.CreateStore();

        var rules = await reopened.ForwardingRules.ListAsync(None);
        rules.Should().ContainSingle();
        rules[0].Should().BeEquivalentTo(rule, o => o.Excluding(r => r.Settings));
        rules[0].Settings.GetRawText().Should().Be(rule.Settings.GetRawText());
        (await reopened.Campaigns.GetAsync("spring", None)).Should().Be(campaign);
        (await reopened.Outbox.GetAsync(delivered.Id, None)).Should().BeEquivalentTo(beforeReopen[0]);
        (await reopened.Outbox.GetAsync(retried.Id, None)).Should().BeEquivalentTo(beforeReopen[1]);
        beforeReopen[1]!.Should().BeEquivalentTo(retried with
        {
            AttemptCount = 1,
            LastErrorCode = "http_5xx",
            LastError = "Service unavailable",
            NextAttemptAt = Epoch.AddMinutes(2),
        });
        beforeReopen[0]!.Status.Should().Be(OutboxMessageStatus.Delivered);
        beforeReopen[0]!.CompletedAt.Should().Be(Epoch.AddMinutes(1.5));
        (await reopened.Outbox.ListAttemptsAsync(retried.Id, None)).Should().ContainSingle().Which.Should().Be(failure);
        (await reopened.Outbox.ListAttemptsAsync(delivered.Id, None)).Should().ContainSingle().Which.Should().Be(success);
        (await reopened.Outbox.ListAsync(new OutboxQuery { Status = OutboxMessageStatus.Pending }, None))
            .Should().ContainSingle().Which.Id.Should().Be(retried.Id);
    }

    // ---------------------------------------------------------- one write unit

    [Fact]
    public async Task AppendThatFails_AfterItsChecksPassed_LeavesNoMessagesConversionOrLogEntry()
    {
        var store = _database.CreateStore();
        var first = StoreTestData.Conversion();
        var taken = Message(first);
        await store.AppendAsync(first, null, taken);
        var second = StoreTestData.Conversion();
        var fresh = Message(second);
        var clash = Message(second) with { Id = taken.Id };
        var entry = StoreTestData.LogEntryFor(second);

        (await store.AppendAsync(second, entry, fresh, clash)).Failure
            .Should().BeOfType<InvalidOperationException>().Which.Message.Should().Contain(taken.Id);

        (await store.Ingest.GetConversionAsync(second.Id, None)).Should().BeNull();
        (await store.Log.GetAsync(entry.Id, None)).Should().BeNull();
        (await store.Outbox.GetAsync(fresh.Id, None)).Should().BeNull();
        (await store.Outbox.GetAsync(taken.Id, None)).Should().BeEquivalentTo(taken);
        _database.Scalar("SELECT count(*) FROM outbox_messages").Should().Be(1L);
    }

    [Fact]
    public async Task AppendWithTwoMessagesOfTheSameId_StoresNothing()
    {
        var store = _database.CreateStore();
        var conversion = StoreTestData.Conversion();
        var message = Message(conversion);

        (await store.AppendAsync(conversion, null, message, message)).Failure.Should().BeOfType<InvalidOperationException>();

        (await store.Ingest.GetConversionAsync(conversion.Id, None)).Should().BeNull();
        _database.Scalar("SELECT count(*) FROM outbox_messages").Should().Be(0L);
    }

    [Fact]
    public async Task OneBatch_WithAnAcceptedAppend_ItsDuplicate_AFailingAppendAndAnother_CommitsExactlyTheRightMessages()
    {
        var store = _database.CreateStore(o => o.BusyTimeout = Bound);
        await store.InitializeAsync();
        var batches = new ConcurrentQueue<int>();
        var firstTaken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        store.BatchStarting = size =>
        {
            batches.Enqueue(size);
            firstTaken.TrySetResult();
        };
        var original = StoreTestData.Conversion();
        var originalMessages = new[] { Message(original), Message(original) };
        var duplicate = StoreTestData.Retry(original);
        var duplicateMessages = new[] { Message(duplicate) };
        var failing = StoreTestData.Conversion();
        var failingMessages = new[] { Message(failing), Message(failing) with { Id = originalMessages[1].Id } };
        var failingEntry = StoreTestData.LogEntryFor(failing);
        var other = StoreTestData.Conversion();
        var otherMessages = new[] { Message(other) };
        Task<IngestResult> warmUp, a, b, c, d;

        using (_database.LockForWriting())
        {
            var first = StoreTestData.Conversion();
            warmUp = Task.Run(() => store.AppendAsync(first));
            await firstTaken.Task.WaitAsync(Bound);

            // The writer holds the warm-up write and waits for the lock; these four queue up behind it, to be taken together.
            a = store.AppendAsync(original, null, originalMessages);
            b = store.AppendAsync(duplicate, null, duplicateMessages);
            c = store.AppendAsync(failing, failingEntry, failingMessages);
            d = store.AppendAsync(other, null, otherMessages);
        }

        await warmUp.WaitAsync(Bound);
        (await a.WaitAsync(Bound)).Should().Be((IngestResult.Written(original.Id) with { DepositNumber = original.DepositNumber }));
        (await b.WaitAsync(Bound)).Should().Be(IngestResult.Duplicate(original.Id));
        (await c.WaitAsync(Bound)).Failure.Should().BeOfType<InvalidOperationException>();
        (await d.WaitAsync(Bound)).Should().Be((IngestResult.Written(other.Id) with { DepositNumber = other.DepositNumber }));

        batches.Should().Equal(1, 4);
        var stored = await store.Outbox.ListAsync(new OutboxQuery(), None);
        stored.Select(m => m.Id).Should().BeEquivalentTo(originalMessages.Concat(otherMessages).Select(m => m.Id));
        (await store.Ingest.GetConversionAsync(failing.Id, None)).Should().BeNull();
        (await store.Log.GetAsync(failingEntry.Id, None)).Should().BeNull();
        (await store.Outbox.ListAsync(new OutboxQuery { ConversionId = duplicate.Id }, None)).Should().BeEmpty();
        (await store.Outbox.ListAsync(new OutboxQuery { ConversionId = original.Id }, None)).Should().HaveCount(2);
    }

    // ---------------------------------------------------------- leases

    [Fact]
    public async Task ConcurrentLeases_NeverShareAMessage()
    {
        var store = _database.CreateStore(o => o.BusyTimeout = Bound);
        var messageIds = await AppendMessagesAsync(store, 120);

        var leases = await Task.WhenAll(Enumerable.Range(0, 24).Select(i => Task.Run(async () =>
            await store.Outbox.LeaseAsync(Lease("lease-" + i, Epoch.AddMinutes(1), maxCount: 7), None))));

        var leased = leases.SelectMany(l => l).ToList();
        leased.Select(m => m.Id).Should().OnlyHaveUniqueItems().And.BeSubsetOf(messageIds);
        leased.Should().HaveCount(120, "24 leases of 7 cover all 120 messages");
        foreach (var (lease, i) in leases.Select((l, i) => (l, i)))
        {
            lease.Where(m => m.LeaseId != "lease-" + i).Should().BeEmpty();
        }
    }

    [Fact]
    public async Task LeasesFromTwoStoresOnOneFile_NeverShareAMessage()
    {
        var first = _database.CreateStore(o => o.BusyTimeout = Bound);
        var second = _database.CreateStore(o => o.BusyTimeout = Bound);
        await AppendMessagesAsync(first, 60);
        await second.InitializeAsync();

        var leases = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
            await (i % 2 == 0 ? first : second).Outbox.LeaseAsync(Lease("lease-" + i, Epoch.AddMinutes(1), maxCount: 5), None))));

        leases.SelectMany(l => l).Select(m => m.Id).Should().OnlyHaveUniqueItems().And.HaveCount(60);
    }

    [Fact]
    public async Task Lease_ReturnsEarliestDueFirst_ThenById_AndTakesAnExpiredLeaseOver()
    {
        var store = _database.CreateStore();
        var conversion = StoreTestData.Conversion();
        var late = Message(conversion, id: "m-a") with { NextAttemptAt = Epoch.AddSeconds(30) };
        var earlyB = Message(conversion, id: "m-c");
        var earlyA = Message(conversion, id: "m-b");
        var notDue = Message(conversion, id: "m-d") with { NextAttemptAt = Epoch.AddHours(1) };
        await store.AppendAsync(conversion, null, late, earlyB, earlyA, notDue);

        var first = await store.Outbox.LeaseAsync(Lease("one", Epoch.AddMinutes(1), duration: TimeSpan.FromMinutes(1)), None);
        first.Select(m => m.Id).Should().Equal("m-b", "m-c", "m-a");
        first.Should().OnlyContain(m => m.LeaseExpiresAt == Epoch.AddMinutes(2));

        (await store.Outbox.LeaseAsync(Lease("two", Epoch.AddMinutes(1.5)), None)).Should().BeEmpty("the first lease lives");
        var taken = await store.Outbox.LeaseAsync(Lease("three", Epoch.AddMinutes(2), maxCount: 2), None);
        taken.Select(m => m.Id).Should().Equal("m-b", "m-c");
        taken.Should().OnlyContain(m => m.LeaseId == "three");
    }

    [Fact]
    public async Task Lease_WaitsForTheDatabaseWriteLock_LikeEveryOtherWrite()
    {
        var store = _database.CreateStore(o => o.BusyTimeout = Bound);
        await AppendMessagesAsync(store, 3);
        Task<IReadOnlyList<OutboxMessage>> lease;

        using (_database.LockForWriting())
        {
            lease = Task.Run(() => store.Outbox.LeaseAsync(Lease("held", Epoch.AddMinutes(1)), None).AsTask());
            await Task.Delay(200);
            lease.IsCompleted.Should().BeFalse("a lease is a write: it runs in the writer's BEGIN IMMEDIATE transaction");
        }

        (await lease.WaitAsync(Bound)).Should().HaveCount(3);
        _database.Scalar("SELECT count(*) FROM outbox_messages WHERE lease_id = 'held'").Should().Be(3L);
    }

    // ---------------------------------------------------------- helpers

    private static OutboxMessage Message(ConversionRecord conversion, string ruleId = "rule-1", string? id = null) => new()
    {
        Id = id ?? "msg_" + StoreTestData.NewId(),
        ConversionId = conversion.Id,
        RuleId = ruleId,
        DestinationId = "facebook-capi",
        CreatedAt = Epoch.AddTicks(1),
        NextAttemptAt = Epoch,
        RetryFrom = Epoch.AddTicks(1),
    };

    private static OutboxLeaseRequest Lease(string leaseId, DateTimeOffset now, int maxCount = 100, TimeSpan? duration = null) => new()
    {
        LeaseId = leaseId,
        Now = now,
        Duration = duration ?? TimeSpan.FromMinutes(5),
        MaxCount = maxCount,
    };

    private static async Task<List<string>> AppendMessagesAsync(SqlitePostbackStore store, int count)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i += 3)
        {
            var conversion = StoreTestData.Conversion();
            OutboxMessage[] messages = [.. Enumerable.Range(0, Math.Min(3, count - i)).Select(_ => Message(conversion))];
            await store.AppendAsync(conversion, null, messages);
            ids.AddRange(messages.Select(m => m.Id));
        }

        return ids;
    }

    /// <summary>
    /// Turns the database file back into what version 1 of the schema left: the index of unknown status words is dropped, the statuses migration is undone (its CHECK narrowed back), the deposit-number columns are dropped, the reporting-currency migration's columns and
    /// index are dropped, migration 3's index is replaced by the two it replaced, the tables migrations 2 and 4 added are
    /// dropped (they change nothing else) and the version is set to 1.
    /// </summary>
    private void DowngradeToVersion1()
    {
        using var connection = _database.OpenRaw();
        using var command = connection.CreateCommand();
        // The statuses migration widened the log's outcome CHECK in place: narrow it back the same way.
        command.CommandText = "PRAGMA schema_version";
        var version = (long)command.ExecuteScalar()!;
        command.CommandText = $"""
            PRAGMA writable_schema = ON;
            UPDATE sqlite_schema SET sql = replace(sql, ', ''changed''))', '))') WHERE type = 'table' AND name = 'postback_log';
            PRAGMA schema_version = {version + 1};
            PRAGMA writable_schema = OFF;
            """;
        command.ExecuteNonQuery();
        command.CommandText = """
            DROP INDEX ix_conversions_set_id_unknown_word;
            DROP INDEX ix_conversions_set_id_transaction_id;
            DROP TABLE conversion_status_history;
            DROP INDEX ix_conversions_status_received_at;
            ALTER TABLE conversions DROP COLUMN status_word_unknown;
            ALTER TABLE conversions DROP COLUMN status_word;
            ALTER TABLE conversions DROP COLUMN status;
            ALTER TABLE postback_sets DROP COLUMN status_map;
            DROP TABLE reconciliations;
            DROP TABLE reconciliation_layouts;
            ALTER TABLE postback_log DROP COLUMN deposit_number;
            ALTER TABLE conversions DROP COLUMN deposit_number;
            DROP TABLE subject_bindings;
            DROP INDEX ix_clicks_subject_id_campaign_id;
            ALTER TABLE conversions DROP COLUMN attribution_window_passed;
            ALTER TABLE postback_sets DROP COLUMN attribution_window_seconds;
            DROP INDEX ix_conversions_reporting_missing;
            ALTER TABLE conversions DROP COLUMN reporting_amount;
            ALTER TABLE conversions DROP COLUMN reporting_currency;
            ALTER TABLE conversions DROP COLUMN reporting_rate;
            ALTER TABLE conversions DROP COLUMN reporting_rate_date;
            DROP TABLE conversion_rollups;
            DROP INDEX ix_conversions_click_key;
            CREATE INDEX ix_conversions_idempotency_key ON conversions (idempotency_key, received_at, id);
            CREATE INDEX ix_conversions_click_id ON conversions (click_id, received_at, id);
            DROP TABLE outbox_attempts;
            DROP TABLE outbox_messages;
            DROP TABLE campaigns;
            DROP TABLE forwarding_rules;
            PRAGMA user_version = 1;
            """;
        command.ExecuteNonQuery();
    }

    private static string SchemaOf(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT group_concat(type || ' ' || name || ' ' || coalesce(sql, ''), char(10)) FROM (SELECT * FROM sqlite_schema ORDER BY name)";
        return (string)command.ExecuteScalar()!;
    }

    private string Version1Schema()
    {
        var path = System.IO.Path.Combine(_database.DirectoryPath, "v1.db");
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = SqliteSchema.Migrations[0].Sql;
            command.ExecuteNonQuery();
        }

        return SchemaOf(connection);
    }
}
