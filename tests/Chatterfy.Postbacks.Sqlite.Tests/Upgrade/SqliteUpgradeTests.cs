using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Storage;

using static Chatterfy.Postbacks.Sqlite.Tests.Upgrade.V2Database;

namespace Chatterfy.Postbacks.Sqlite.Tests.Upgrade;

/// <summary>
/// A database written by the code of commit 62809e0 (schema version 2, before Storage v2) upgrades in place when the current
/// store opens it: nothing is lost or changed, read through the SDK's types, and a retry of a stored conversion is still a
/// duplicate. The database is <c>v2-62809e0.sql</c>; <see cref="V2Database"/> says what it holds.
/// </summary>
public sealed class SqliteUpgradeTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task DatabaseOfSchemaVersion2_IsUpgradedInPlace_KeepingEverySetTokenCampaignClickConversionLogEntryRuleAndOutboxMessage()
    {
        LoadVersion2();
        _database.Scalar("PRAGMA user_version").Should().Be(2L);

        var store = _database.CreateStore(o => o.CreateIfMissing = false);
        await store.InitializeAsync();

        _database.Scalar("PRAGMA user_version").Should().Be((long)SqliteSchema.LatestVersion);
        _database.Scalar("PRAGMA integrity_check").Should().Be("ok");

        foreach (var set in new[] { SetA, SetB })
        {
            var stored = await store.Sets.GetAsync(set.Id, None);
            stored.Should().BeEquivalentTo(set, o => o.Excluding(s => s.Settings));
            stored!.Settings?.GetRawText().Should().Be(set.Settings?.GetRawText());
        }

        (await store.Sets.ListAsync(None)).Select(s => s.Id).Should().Equal(SetAId, SetBId);
        (await store.Sets.GetAsync(SetCId, None)).Should().BeNull("set C was deleted");
        (await store.Sets.IsIdUsedAsync(SetCId, None)).Should().BeTrue("a deleted set's id stays used");
        (await store.Sets.FindByTokenAsync(SetATokenCurrent, Now, None))!.Id.Should().Be(SetAId);
        (await store.Sets.FindByTokenAsync(SetATokenFirst, Now, None))!.Id.Should().Be(SetAId, "set A's previous token is in its grace period");
        (await store.Sets.FindByTokenAsync(SetATokenFirst, SetAGraceEnd, None)).Should().BeNull("the grace period ends");
        (await store.Sets.FindByTokenAsync(SetBTokenCurrent, Now, None))!.Id.Should().Be(SetBId);
        (await store.Sets.FindByTokenAsync(SetBTokenSecond, SetBGraceEnd.AddTicks(-1), None))!.Id.Should().Be(SetBId);
        (await store.Sets.FindByTokenAsync(SetBTokenSecond, Now, None)).Should().BeNull();
        (await store.Sets.FindByTokenAsync(SetBTokenFirst, T0, None)).Should().BeNull("a second rotation retires the first token at once");
        (await store.Sets.FindByTokenAsync(SetCToken, Now, None)).Should().BeNull();
        foreach (var token in new[] { SetATokenFirst, SetBTokenFirst, SetBTokenSecond, SetCToken })
        {
            await FluentActions.Awaiting(() => store.Sets.AddAsync(NewSet(token), None).AsTask())
                .Should().ThrowAsync<InvalidOperationException>("every token a set ever had stays used");
        }

        await FluentActions.Awaiting(() => store.Sets.AddAsync(NewSet("tok-new-1") with { Id = SetCId }, None).AsTask())
            .Should().ThrowAsync<InvalidOperationException>();

        (await store.Campaigns.ListAsync(None)).Should().BeEquivalentTo([Autumn, Spring], o => o.WithStrictOrdering());

        foreach (var click in V2Database.Clicks)
        {
            (await store.Clicks.FindAsync(click.Id, None)).Should().BeEquivalentTo(click);
        }

        // The upgrade numbers the credited deposits per click in (received at, id) order: click 1's first deposit 1 and its
        // deposit 2, click 3's late-credited first deposit 1, click 2's lone deposit 2 (1 is left to a first deposit).
        var numbers = new Dictionary<string, int>
        {
            [Conv1FirstDeposit.Id] = 1,
            [Conv3WindowedDeposit.Id] = 2,
            [Conv5LateCredited.Id] = 1,
            [Conv6BigAmount.Id] = 2,
        };
        foreach (var conversion in Conversions)
        {
            (await store.Ingest.GetConversionAsync(conversion.Id, None)).Should().BeEquivalentTo(
                conversion with { DepositNumber = numbers.TryGetValue(conversion.Id, out var number) ? number : null });
        }

        (await store.Log.ListAsync(new PostbackLogQuery { Limit = 100 }, None)).Should().OnlyContain(e => e.DepositNumber == null, "log entries written before keep none");

        (await store.Ingest.GetConversionAsync(Conv1Retry.Id, None)).Should().BeNull("a duplicate is not stored");
        (await store.Ingest.ListConversionsByClickAsync(Click1Id, None))
            .Should().BeEquivalentTo([Conv2Registration, Conv1FirstDeposit with { DepositNumber = 1 }, Conv3WindowedDeposit with { DepositNumber = 2 }], o => o.WithStrictOrdering());
        (await store.Ingest.ListConversionsByClickAsync(Click3Id, None)).Should().BeEquivalentTo([Conv5LateCredited with { DepositNumber = 1 }]);
        (await store.Ingest.ListConversionsByClickAsync(UnknownClickId, None)).Should().BeEquivalentTo([Conv4Custom]);

        foreach (var entry in LogEntries)
        {
            (await store.Log.GetAsync(entry.Id, None)).Should().BeEquivalentTo(entry);
        }

        var newestFirst = LogEntries.OrderByDescending(e => e.ReceivedAt).ThenByDescending(e => e.Id, StringComparer.Ordinal).ToList();
        (await store.Log.ListAsync(new PostbackLogQuery { Limit = 100 }, None)).Should().BeEquivalentTo(newestFirst, o => o.WithStrictOrdering());
        (await store.Log.ListAsync(new PostbackLogQuery { SetId = SetCId, Limit = 100 }, None)).Select(e => e.Id).Should().Equal(Log12Rejected.Id, Log7.Id);
        (await store.Log.ListAsync(new PostbackLogQuery { Outcome = PostbackOutcome.Duplicate, Limit = 100 }, None)).Select(e => e.Id)
            .Should().Equal(Log9Duplicate.Id, Log10Duplicate.Id);

        foreach (var rule in Rules)
        {
            var stored = await store.ForwardingRules.GetAsync(rule.Id, None);
            stored.Should().BeEquivalentTo(rule, o => o.Excluding(r => r.Settings));
            stored!.Settings.GetRawText().Should().Be(rule.Settings.GetRawText());
        }

        (await store.ForwardingRules.ListAsync(None)).Select(r => r.Id).Should().Equal(Rule1Id, Rule2Id);
        (await store.ForwardingRules.GetAsync(Rule3Id, None)).Should().BeNull("rule 3 was deleted");

        foreach (var message in Messages)
        {
            (await store.Outbox.GetAsync(message.Id, None)).Should().BeEquivalentTo(message);
            (await store.Outbox.ListAttemptsAsync(message.Id, None)).Should().BeEquivalentTo(Attempts[message.Id], o => o.WithStrictOrdering());
        }

        var messagesNewestFirst = Messages.OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id, StringComparer.Ordinal).ToList();
        (await store.Outbox.ListAsync(new OutboxQuery { Limit = 100 }, None)).Should().BeEquivalentTo(messagesNewestFirst, o => o.WithStrictOrdering());
        (await store.Outbox.ListAsync(new OutboxQuery { Status = OutboxMessageStatus.DeadLettered }, None)).Select(m => m.Id).Should().Equal(Message2DeadLettered.Id);
    }

    [Fact]
    public async Task UpgradedDatabase_CountsTheSameFiguresAsTheStoreThatWroteIt()
    {
        LoadVersion2();
        var store = _database.CreateStore();

        // The groups the stats are made of (V2Database.Stats has the stats the old store computed from the same rows).
        (await store.Log.GetConversionTotalsAsync(new ConversionTotalsQuery(), None)).Should().Equal(
            new ConversionTotal(PostbackEventKind.Registration, ConversionAttribution.Credited, null, 2, 0m),
            new ConversionTotal(PostbackEventKind.FirstDeposit, ConversionAttribution.Credited, "USD", 2, 100.50000001m) { DepositBucket = 1 },
            new ConversionTotal(PostbackEventKind.Deposit, ConversionAttribution.Credited, "EUR", 1, 25.00m) { DepositBucket = 2 },
            new ConversionTotal(PostbackEventKind.Deposit, ConversionAttribution.Credited, "USD", 1, 999999999999.99999999m) { DepositBucket = 2 },
            new ConversionTotal(PostbackEventKind.Deposit, ConversionAttribution.Unattributed, "USD", 1, -5.5m),
            new ConversionTotal(PostbackEventKind.Custom, ConversionAttribution.Unattributed, null, 1, 0m));
        ConversionTotal[] springTotals =
        [
            new(PostbackEventKind.Registration, ConversionAttribution.Credited, null, 1, 0m),
            new(PostbackEventKind.FirstDeposit, ConversionAttribution.Credited, "USD", 2, 100.50000001m) { DepositBucket = 1 },
            new(PostbackEventKind.Deposit, ConversionAttribution.Credited, "EUR", 1, 25.00m) { DepositBucket = 2 },
            new(PostbackEventKind.Deposit, ConversionAttribution.Unattributed, "USD", 1, -5.5m),
        ];
        (await store.Log.GetConversionTotalsAsync(new ConversionTotalsQuery { SetId = SetAId }, None)).Should().Equal(springTotals);
        (await store.Log.GetConversionTotalsAsync(new ConversionTotalsQuery { CampaignId = CampaignSpring }, None)).Should().Equal(springTotals);
        (await store.Log.GetConversionTotalsAsync(new ConversionTotalsQuery { CampaignId = CampaignAutumn }, None)).Should().Equal(
            new ConversionTotal(PostbackEventKind.Registration, ConversionAttribution.Credited, null, 1, 0m));
        (await store.Log.GetConversionTotalsAsync(new ConversionTotalsQuery { From = T0.AddHours(1), To = T0.AddHours(3) }, None)).Should().Equal(
            new ConversionTotal(PostbackEventKind.FirstDeposit, ConversionAttribution.Credited, "USD", 1, 100.50m) { DepositBucket = 1 },
            new ConversionTotal(PostbackEventKind.Deposit, ConversionAttribution.Credited, "EUR", 1, 25.00m) { DepositBucket = 2 },
            new ConversionTotal(PostbackEventKind.Custom, ConversionAttribution.Unattributed, null, 1, 0m));

        (await store.Log.CountClicksAsync(new ClickCountQuery(), None)).Should().Be(4);
        (await store.Log.CountClicksAsync(new ClickCountQuery { CampaignId = CampaignSpring }, None)).Should().Be(2);
        (await store.Log.CountClicksAsync(new ClickCountQuery { CampaignId = CampaignAutumn }, None)).Should().Be(1);
        (await store.Log.CountClicksAsync(new ClickCountQuery { From = T0.AddHours(1), To = T0.AddHours(3) }, None)).Should().Be(0);

        (await store.Log.CountLogEntriesAsync(new LogCountQuery { Outcome = PostbackOutcome.Rejected }, None)).Should().Be(2);
        (await store.Log.CountLogEntriesAsync(new LogCountQuery { Outcome = PostbackOutcome.Rejected, SetId = SetAId }, None)).Should().Be(1);
        (await store.Log.CountLogEntriesAsync(new LogCountQuery { Outcome = PostbackOutcome.Rejected, SetCampaignId = CampaignAutumn }, None)).Should().Be(1, "set C, deleted, is scoped to it");
        (await store.Log.CountLogEntriesAsync(new LogCountQuery { Outcome = PostbackOutcome.Accepted }, None)).Should().Be(5);
        (await store.Log.CountLogEntriesAsync(new LogCountQuery { Outcome = PostbackOutcome.Unattributed }, None)).Should().Be(3);
        (await store.Log.CountLogEntriesAsync(new LogCountQuery { Outcome = PostbackOutcome.Duplicate }, None)).Should().Be(2);
        (await store.Log.CountLogEntriesAsync(new LogCountQuery { Outcome = PostbackOutcome.Rejected, From = T0.AddHours(1), To = T0.AddHours(3) }, None)).Should().Be(0);

        // And the stats the core makes of them are the ones the old store computed.
        var stats = new PostbackStatsService(store.Sets, store.Log);
        foreach (var (query, expected) in Stats)
        {
            // The old store had no repeat deposits (RepeatDepositsUpgradeTests checks those after an upgrade).
            (await stats.GetAsync(query, None)).Should().BeEquivalentTo(expected, o => o.WithStrictOrdering().Excluding(s => s.RepeatDeposits), $"the stats of {query}");
        }
    }

    [Fact]
    public async Task UpgradedDatabase_AnswersRetriesOfStoredConversionsAsDuplicates_AndStoresWhatIsNew()
    {
        LoadVersion2();
        var store = _database.CreateStore();

        (await store.AppendAsync(Retry(Conv1FirstDeposit, Now))).Should().Be(IngestResult.Duplicate(Conv1FirstDeposit.Id), "a permanent key is a duplicate forever");
        (await store.AppendAsync(Retry(Conv6BigAmount, Now))).Should().Be(IngestResult.Duplicate(Conv6BigAmount.Id));
        (await store.AppendAsync(Retry(Conv4Custom, Now))).Should().Be(IngestResult.Duplicate(Conv4Custom.Id), "an unattributed conversion's key counts too");
        (await store.AppendAsync(Retry(Conv3WindowedDeposit, Conv3WindowedDeposit.Conversion.ReceivedAt.AddHours(23))))
            .Should().Be(IngestResult.Duplicate(Conv3WindowedDeposit.Id), "inside its 24-hour window");
        (await store.AppendAsync(Retry(Conv8WindowedUnattributed, Conv8WindowedUnattributed.Conversion.ReceivedAt.AddMinutes(-59))))
            .Should().Be(IngestResult.Duplicate(Conv8WindowedUnattributed.Id), "the window reaches back too");

        var afterWindow = Retry(Conv8WindowedUnattributed, Conv8WindowedUnattributed.Conversion.ReceivedAt.AddHours(1));
        (await store.AppendAsync(afterWindow)).Should().Be(IngestResult.Written(afterWindow.Id), "a window's end is exclusive");
        var otherKey = Retry(Conv1FirstDeposit, Now);
        otherKey = otherKey with
        {
            Conversion = otherKey.Conversion with { Event = PostbackEvent.Deposit, IdempotencyKey = new IdempotencyKey($"{SetAId}:deposit:{Click1Id}:t:TX-2002", null) },
        };
        (await store.AppendAsync(otherKey)).Should().Be(IngestResult.Written(otherKey.Id) with { DepositNumber = 3 }, "it follows the numbers the upgrade gave click 1");
        (await store.Ingest.ListConversionsByClickAsync(Click1Id, None)).Select(c => c.Id)
            .Should().Equal(Conv2Registration.Id, Conv1FirstDeposit.Id, Conv3WindowedDeposit.Id, otherKey.Id);

        // The late click of conversion 8 credits it, as a click created before the upgrade credited conversion 5.
        var credited = await store.Clicks.AddAsync(
            new Click { Id = LateClickId, CampaignId = CampaignSpring, CreatedAt = Now },
            new ConversionCredit { CampaignIds = [null, CampaignSpring], NewCampaignId = CampaignSpring },
            None);
        credited.Should().Be(2, "conversion 8 and the one stored after its window");
        (await store.Ingest.GetConversionAsync(Conv8WindowedUnattributed.Id, None))!.Attribution.Should().Be(ConversionAttribution.Credited);
        (await store.Ingest.GetConversionAsync(Conv8WindowedUnattributed.Id, None))!.DepositNumber.Should().Be(2, "a late credit numbers the deposits it credits");
        (await store.Ingest.GetConversionAsync(afterWindow.Id, None))!.DepositNumber.Should().Be(3);

        // The outbox picks up where it was: only the replayed message is due and free of a live lease.
        var leased = await store.Outbox.LeaseAsync(new OutboxLeaseRequest { LeaseId = "after-upgrade", Now = Now, Duration = TimeSpan.FromMinutes(1), MaxCount = 10 }, None);
        leased.Select(m => m.Id).Should().Equal(Message6Replayed.Id);
    }

    /// <summary>Loads the dump into the test's database file.</summary>
    private void LoadVersion2()
    {
        var dump = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Upgrade", "v2-62809e0.sql"));
        using var connection = _database.OpenRaw();
        using var command = connection.CreateCommand();
        command.CommandText = dump;
        command.ExecuteNonQuery();
    }

    private static ConversionRecord Retry(ConversionRecord original, DateTimeOffset receivedAt) => original with
    {
        Id = "retry_" + Guid.NewGuid().ToString("N"),
        Conversion = original.Conversion with { ReceivedAt = receivedAt },
    };

    private static PostbackSet NewSet(string token) => new()
    {
        Id = "set_" + Guid.NewGuid().ToString("N"),
        Name = "After the upgrade",
        NetworkId = "binomo",
        Token = token,
        CreatedAt = Now,
    };
}
