using System.Net;
using System.Net.Sockets;
using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Storage;
using Chatterfy.Postbacks.Storage.Conformance;
using Npgsql;

namespace Chatterfy.Postbacks.PostgreSql.Tests;

public sealed class PostgreSqlPostbackStoreTests
{
    private const int ConcurrentAppends = 32;

    private static readonly CancellationToken None = CancellationToken.None;

    [PostgresTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Append_ConcurrentIdenticalAppendsOnTwoInstances_StoreExactlyOne(bool windowed)
    {
        await using var database = new PostgresTestDatabase();
        // Two stores with two connection pools, as two receiver instances sharing one database.
        var schema = database.NewSchema();
        var first = database.NewStore(schema);
        var second = database.NewStore(schema);
        await first.MigrateAsync();
        var key = windowed ? StoreTestData.WindowedKey(TimeSpan.FromHours(24)) : StoreTestData.PermanentKey();
        var template = StoreTestData.Conversion(key: key);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, ConcurrentAppends).Select(i => Task.Run(async () =>
        {
            var store = i % 2 == 0 ? first : second;
            var conversion = StoreTestData.Retry(template);
            await gate.Task;
            var result = await store.Storage.Ingest.AppendOneAsync(IngestRecords.For(conversion));
            return (conversion.Id, Result: result);
        })).ToArray();

        gate.SetResult();
        var results = await Task.WhenAll(tasks);

        var accepted = results.Where(r => !r.Result.IsDuplicate).Should().ContainSingle().Subject;
        accepted.Result.ConversionId.Should().Be(accepted.Id);
        results.Should().OnlyContain(r => r.Result.ConversionId == accepted.Id && r.Result.Failure == null);
        (await second.Storage.Ingest.ListConversionsByClickAsync(template.Conversion.ClickId, None)).Select(c => c.Id).Should().Equal(accepted.Id);
        var log = await first.Storage.Log.ListAsync(new PostbackLogQuery { SetId = template.Conversion.SetId, Limit = 100 }, None);
        log.Should().HaveCount(ConcurrentAppends);
        log.Should().OnlyContain(e => e.ConversionId == accepted.Id);
        log.Count(e => e.Outcome == PostbackOutcome.Accepted).Should().Be(1);
    }

    [PostgresFact]
    public async Task Append_PermanentAndWindowedKeysWithOneValueOnTwoInstances_StoreExactlyOne()
    {
        await using var database = new PostgresTestDatabase();
        // Keys are matched on their value alone; the contract holds even when a permanent and a windowed key share one.
        var schema = database.NewSchema();
        var first = database.NewStore(schema);
        var second = database.NewStore(schema);
        await first.MigrateAsync();
        var value = "key_" + StoreTestData.NewId();
        var template = StoreTestData.Conversion();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, ConcurrentAppends).Select(i => Task.Run(async () =>
        {
            var key = new IdempotencyKey(value, i % 4 < 2 ? null : TimeSpan.FromHours(1));
            var conversion = StoreTestData.Retry(template) with { Conversion = template.Conversion with { IdempotencyKey = key } };
            await gate.Task;
            return await (i % 2 == 0 ? first : second).Storage.Ingest.AppendOneAsync(IngestRecords.For(conversion));
        })).ToArray();

        gate.SetResult();
        var results = await Task.WhenAll(tasks);

        results.Count(r => !r.IsDuplicate).Should().Be(1);
        results.Select(r => r.ConversionId).Distinct().Should().ContainSingle();
    }

    [PostgresFact]
    public async Task Migrate_TwoInstancesStartingTogether_ApplyTheMigrationsOnce()
    {
        await using var database = new PostgresTestDatabase();
        var schema = database.NewSchema();
        var first = database.NewStore(schema);
        var second = database.NewStore(schema);

        var applied = await Task.WhenAll(first.MigrateAsync(), second.MigrateAsync());

        applied.Should().BeEquivalentTo([PostgreSqlSchema.CurrentVersion, 0]);
        (await PostgresTestDatabase.SchemaVersionsAsync(schema)).Should().Equal(Enumerable.Range(1, PostgreSqlSchema.CurrentVersion));
        (await first.MigrateAsync()).Should().Be(0);
        await second.Storage.Ingest.CheckHealthAsync(None);
        (await second.Storage.Sets.ListAsync(None)).Should().BeEmpty();
    }

    [PostgresFact]
    public async Task Stores_InDifferentSchemasOfOneDatabase_ShareNothing()
    {
        await using var database = new PostgresTestDatabase();
        var a = await database.NewMigratedStoreAsync();
        var b = await database.NewMigratedStoreAsync();
        var set = StoreTestData.Set();

        await a.Storage.Sets.AddAsync(set, None);
        await b.Storage.Sets.AddAsync(set, None);

        (await a.Storage.Sets.ListAsync(None)).Should().ContainSingle();
        (await b.Storage.Sets.ListAsync(None)).Should().ContainSingle();
    }

    [PostgresFact]
    public async Task Append_KeepsTheAmountsWrittenScale()
    {
        await using var database = new PostgresTestDatabase();
        var store = await database.NewMigratedStoreAsync();
        var template = StoreTestData.Conversion();
        var conversion = template with { Conversion = template.Conversion with { Amount = 12.50m } };

        await store.Storage.Ingest.AppendOneAsync(IngestRecords.For(conversion));

        var stored = await store.Storage.Ingest.GetConversionAsync(conversion.Id, None);
        stored!.Conversion.Amount!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture).Should().Be("12.50");
    }

    [PostgresFact]
    public async Task Strings_WithANulCharacter_AreStoredWithAReplacementCharacter()
    {
        await using var database = new PostgresTestDatabase();
        var store = await database.NewMigratedStoreAsync();
        var template = StoreTestData.Conversion();
        var conversion = template with
        {
            Conversion = template.Conversion with { Attributes = new Dictionary<string, string> { ["n\0ame"] = "va\0lue" } },
        };
        var entry = StoreTestData.LogEntryFor(conversion) with
        {
            Request = new PostbackRequest { Method = "POST", Body = "{\"a\":\"\0\"}", QueryString = "?x=\0" },
        };

        await store.Storage.Ingest.AppendOneAsync(IngestRecords.For(conversion, entry));

        (await store.Storage.Ingest.GetConversionAsync(conversion.Id, None))!.Conversion.Attributes.Should()
            .Equal(new Dictionary<string, string> { ["n\uFFFDame"] = "va\uFFFDlue" });
        var logged = await store.Storage.Log.GetAsync(entry.Id, None);
        logged!.Request.Body.Should().Be("{\"a\":\"\uFFFD\"}");
        logged.Request.QueryString.Should().Be("?x=\uFFFD");
    }

    [PostgresFact]
    public async Task Append_StringsWithALoneSurrogate_AreStoredWithAReplacementCharacterAndTheirNeighboursToo()
    {
        await using var database = new PostgresTestDatabase();
        var store = (await database.NewMigratedStoreAsync()).Storage;
        var template = StoreTestData.Conversion();
        // UTF-8 (PostgreSQL's text) has no lone surrogates; a pair (an emoji) is kept.
        var conversion = template with
        {
            Conversion = template.Conversion with { Attributes = new Dictionary<string, string> { ["note"] = "a\uD800b \uD83D\uDE00 \uDC00" } },
        };
        var entry = StoreTestData.LogEntryFor(conversion) with { Request = new PostbackRequest { Method = "POST", Body = "x=\uDBFF", QueryString = "?y=\uD83D\uDE00" } };
        var neighbour = StoreTestData.Conversion();

        var results = await store.Ingest.AppendAsync([IngestRecords.For(conversion, entry), IngestRecords.For(neighbour)], None);

        results.Should().Equal((IngestResult.Written(conversion.Id) with { DepositNumber = conversion.DepositNumber }), (IngestResult.Written(neighbour.Id) with { DepositNumber = neighbour.DepositNumber }));
        (await store.Ingest.GetConversionAsync(conversion.Id, None))!.Conversion.Attributes["note"].Should().Be("a\uFFFDb \uD83D\uDE00 \uFFFD");
        var logged = await store.Log.GetAsync(entry.Id, None);
        logged!.Request.Body.Should().Be("x=\uFFFD");
        logged.Request.QueryString.Should().Be("?y=\uD83D\uDE00");
    }

    [PostgresFact]
    public async Task AddSet_SettingsWithAnEscapedNul_AreStoredWithAReplacementCharacter()
    {
        await using var database = new PostgresTestDatabase();
        var store = await database.NewMigratedStoreAsync();
        var set = StoreTestData.Set() with { Settings = StoreTestData.Json("""{"a":"x\u0000y","b":[1.50,"\u0000"]}""") };

        await store.Storage.Sets.AddAsync(set, None);

        var settings = (await store.Storage.Sets.GetAsync(set.Id, None))!.Settings!.Value;
        settings.GetProperty("a").GetString().Should().Be("x\uFFFDy");
        settings.GetProperty("b")[0].GetRawText().Should().Be("1.50");
    }

    [PostgresFact]
    public async Task AddClick_IPv6AddressWithAScopeId_IsStoredWithoutIt()
    {
        await using var database = new PostgresTestDatabase();
        var store = await database.NewMigratedStoreAsync();
        var click = StoreTestData.Click() with { IpAddress = IPAddress.Parse("fe80::1%3") };

        await store.Storage.Clicks.AddAsync(click, new ConversionCredit { CampaignIds = [null, click.CampaignId], NewCampaignId = click.CampaignId }, None);

        (await store.Storage.Clicks.FindAsync(click.Id, None))!.IpAddress.Should().Be(IPAddress.Parse("fe80::1"));
    }

    [PostgresFact]
    public async Task PurgeLog_MoreEntriesThanOneChunk_DeletesThemAll()
    {
        await using var database = new PostgresTestDatabase();
        var store = await database.NewMigratedStoreAsync();
        await using (var command = database.NewDataSource().CreateCommand(
            $"""
            INSERT INTO "{store.Schema}".postback_log (id, received_at, set_id, outcome, warnings, request_method, request_path, request_query_string)
            SELECT 'log_' || i, '2025-01-01T00:00:00Z'::timestamptz + i * interval '1 second', 'set', 'rejected', ARRAY[]::text[], 'GET', '/', ''
            FROM generate_series(1, 12000) AS i
            """))
        {
            await command.ExecuteNonQueryAsync();
        }

        var purged = await store.Storage.Log.PurgeAsync(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(11000), None);

        purged.Should().Be(10999);
        (await store.Storage.Log.CountLogEntriesAsync(new LogCountQuery { Outcome = PostbackOutcome.Rejected }, None)).Should().Be(1001);
    }

    [Fact]
    public async Task EveryOperation_ServerUnreachable_ThrowsUnavailableWithTheCause()
    {
        await using var dataSource = NpgsqlDataSource.Create($"Host=127.0.0.1;Port={ClosedPort()};Timeout=5;Pooling=false");
        var store = new PostgreSqlPostbackStore(dataSource, new PostgreSqlPostbackStoreOptions()).Storage;
        var conversion = StoreTestData.Conversion();

        (await Calling(() => store.Ingest.AppendAsync([IngestRecords.For(conversion)], None))
            .Should().ThrowAsync<PostbackStoreUnavailableException>())
            .WithInnerException<NpgsqlException>();
        await Calling(() => store.Ingest.CheckHealthAsync(None)).Should().ThrowAsync<PostbackStoreUnavailableException>();
        await Calling(() => store.Ingest.AppendAsync([IngestRecords.Rejected(StoreTestData.LogEntry())], None)).Should().ThrowAsync<PostbackStoreUnavailableException>();
        await Calling(() => store.Sets.FindByTokenAsync("tok", StoreTestData.Epoch, None)).Should().ThrowAsync<PostbackStoreUnavailableException>();
        await Calling(() => store.Log.GetConversionTotalsAsync(new ConversionTotalsQuery(), None)).Should().ThrowAsync<PostbackStoreUnavailableException>();
        await Calling(() => store.Log.CountClicksAsync(new ClickCountQuery(), None)).Should().ThrowAsync<PostbackStoreUnavailableException>();
        await ((Func<Task>)(() => new PostgreSqlPostbackStore(dataSource, new PostgreSqlPostbackStoreOptions()).MigrateAsync())).Should().ThrowAsync<PostbackStoreUnavailableException>();
        var lease = new OutboxLeaseRequest { LeaseId = "L", Now = StoreTestData.Epoch, Duration = TimeSpan.FromMinutes(1), MaxCount = 10 };
        await Calling(() => store.Outbox.LeaseAsync(lease, None)).Should().ThrowAsync<PostbackStoreUnavailableException>();
        var completion = new OutboxCompletion
        {
            LeaseId = "L",
            Attempt = new OutboxAttempt { MessageId = "m", Number = 1, StartedAt = StoreTestData.Epoch, Status = DeliveryStatus.Delivered },
            Status = OutboxMessageStatus.Delivered,
            CompletedAt = StoreTestData.Epoch,
        };
        await Calling(() => store.Outbox.CompleteAsync([completion], None)).Should().ThrowAsync<PostbackStoreUnavailableException>();
        await Calling(() => store.ForwardingRules.ListAsync(None)).Should().ThrowAsync<PostbackStoreUnavailableException>();
        await Calling(() => store.Clicks.FindAsync("click", None)).Should().ThrowAsync<PostbackStoreUnavailableException>();
        await Calling(() => store.Campaigns.ListAsync(None)).Should().ThrowAsync<PostbackStoreUnavailableException>();
    }

    [Fact]
    public async Task Append_AmountsThatCannotBeKeptExactly_FailThoseRecordsBeforeTouchingTheDatabase()
    {
        await using var dataSource = NpgsqlDataSource.Create($"Host=127.0.0.1;Port={ClosedPort()}");
        var store = new PostgreSqlPostbackStore(dataSource, new PostgreSqlPostbackStoreOptions()).Storage;
        var template = StoreTestData.Conversion();
        var records = new[] { 0.123456789m, 1_000_000_000_000m, -1_000_000_000_000m }
            .Select(amount => IngestRecords.For(StoreTestData.Retry(template) with { Conversion = template.Conversion with { Amount = amount } }))
            .ToArray();

        var results = await store.Ingest.AppendAsync(records, None);

        results.Should().HaveCount(3).And.OnlyContain(r => r.Failure is ArgumentOutOfRangeException && r.ConversionId == null && !r.IsDuplicate);
    }

    [Fact]
    public async Task Operation_CancelledToken_ThrowsOperationCanceledNotUnavailable()
    {
        await using var dataSource = NpgsqlDataSource.Create($"Host=127.0.0.1;Port={ClosedPort()}");
        var store = new PostgreSqlPostbackStore(dataSource, new PostgreSqlPostbackStoreOptions());

        await Calling(() => store.Storage.Ingest.CheckHealthAsync(new CancellationToken(canceled: true))).Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public void Constructor_InvalidSchema_Throws()
    {
        using var dataSource = NpgsqlDataSource.Create("Host=127.0.0.1");

        var act = () => new PostgreSqlPostbackStore(dataSource, new PostgreSqlPostbackStoreOptions { Schema = "bad\"name" });

        act.Should().Throw<ArgumentException>().WithMessage("*Postbacks:PostgreSql:Schema must be ASCII letters*");
    }

    /// <summary>A port on 127.0.0.1 that nothing listens on: bound by the system, then released.</summary>
    internal static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static Func<Task> Calling(Func<ValueTask> action) => async () => await action();

    private static Func<Task> Calling<T>(Func<ValueTask<T>> action) => async () => await action();
}
