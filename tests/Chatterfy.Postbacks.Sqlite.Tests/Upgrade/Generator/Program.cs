// Writes the database that V2Database describes through the real SQLite store of commit 62809e0 (schema version 2),
// reads everything back through that store and checks it against V2Database, then closes the store (checkpointing the
// write-ahead log into the file). Run it in a checkout of 62809e0; see Generator.csproj.
using System.Globalization;
using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.Sqlite;
using Chatterfy.Postbacks.Storage;
using FluentAssertions;

using static Chatterfy.Postbacks.Sqlite.Tests.Upgrade.V2Database;

var path = Path.GetFullPath(args.Length > 0 ? args[0] : "v2.db");
if (File.Exists(path))
{
    throw new InvalidOperationException($"'{path}' exists; the generator writes a new database.");
}

var none = CancellationToken.None;
await using (var store = new SqlitePostbackStore(new SqlitePostbackStoreOptions { DataSource = path }))
{
    await store.InitializeAsync(none);

    await store.AddCampaignAsync(Spring, none);
    await store.AddCampaignAsync(Autumn, none);
    await store.AddForwardingRuleAsync(Rule1, none);
    await store.AddForwardingRuleAsync(Rule2, none);
    await store.AddForwardingRuleAsync(Rule3, none);
    await store.AddSetAsync(SetA with { Token = SetATokenFirst }, none);
    await store.AddSetAsync(SetB with { Token = SetBTokenFirst }, none);
    await store.AddSetAsync(SetC, none);
    await store.AddClickAsync(Click1, none);
    await store.AddClickAsync(Click2, none);
    await store.AddClickAsync(Click4, none);

    await Append(Conv2Registration, Log2, Pending(Message5OfDeletedRule));
    await Append(Conv1FirstDeposit, Log1, Pending(Message1Delivered), Pending(Message4Leased));

    // Message 1: leased and delivered at its first attempt.
    await Lease(T0.AddHours(1).AddSeconds(1), "lease-1", TimeSpan.FromMinutes(1), Message1Delivered.Id, Rule2Id, Rule3Id);
    await Complete("lease-1", Message1Attempts[0], OutboxMessageStatus.Delivered, null, T0.AddHours(1).AddSeconds(2));

    // Message 4: leased for ten years and never completed.
    await Lease(T0.AddHours(1).AddMinutes(1), "lease-live", TimeSpan.FromDays(3650), Message4Leased.Id, Rule1Id, Rule3Id);

    await Append(Conv3WindowedDeposit, Log3, Pending(Message2DeadLettered), Pending(Message3Retrying));

    // Message 2: a retry, then a dead letter. Message 3: one timed-out attempt, next one far ahead.
    await Lease(T0.AddHours(2).AddSeconds(1), "lease-2", TimeSpan.FromMinutes(1), Message2DeadLettered.Id, Rule2Id, Rule3Id);
    await Complete("lease-2", Message2Attempts[0], OutboxMessageStatus.Pending, Message2DeadLettered.NextAttemptAt, T0.AddHours(2).AddSeconds(2));
    await Lease(T0.AddHours(2).AddSeconds(2), "lease-3", TimeSpan.FromMinutes(1), Message3Retrying.Id, Rule1Id, Rule3Id);
    await Complete("lease-3", Message3Attempts[0], OutboxMessageStatus.Pending, Message3Retrying.NextAttemptAt, T0.AddHours(2).AddSeconds(12));
    await Lease(T0.AddHours(2).AddMinutes(1), "lease-4", TimeSpan.FromMinutes(1), Message2DeadLettered.Id, Rule2Id, Rule3Id);
    await Complete("lease-4", Message2Attempts[1], OutboxMessageStatus.DeadLettered, null, Message2DeadLettered.CompletedAt!.Value);

    await Append(Conv4Custom, Log4);
    await Append(Conv5LateCredited with { Attribution = ConversionAttribution.Unattributed }, Log5);
    (await store.AppendConversionAsync(Conv3Retry, Log10Duplicate, none)).Should().Be(ConversionAppendResult.Duplicate(Conv3WindowedDeposit.Id));

    await Append(Conv6BigAmount, Log6, Pending(Message6Replayed));

    // Message 6: dead-lettered at once (its settings were bad), replayed later.
    await Lease(T0.AddHours(3).AddMinutes(11), "lease-6", TimeSpan.FromMinutes(1), Message6Replayed.Id, Rule2Id, Rule3Id);
    await Complete("lease-6", Message6Attempts[0], OutboxMessageStatus.DeadLettered, null, T0.AddHours(3).AddMinutes(11));

    await Append(Conv7DeletedSet, Log7);
    await Append(Conv8WindowedUnattributed, Log8);

    // Click 3 arrives after its conversion: the conversion is credited in the click's transaction.
    await store.AddClickAsync(Click3, none);

    (await store.AppendConversionAsync(Conv1Retry, Log9Duplicate, none)).Should().Be(ConversionAppendResult.Duplicate(Conv1FirstDeposit.Id));
    await store.AppendLogAsync(Log11Rejected, none);
    await store.AppendLogAsync(Log12Rejected, none);

    (await store.RetryOutboxMessageAsync(Message6Replayed.Id, T0.AddHours(6), none))!.Status.Should().Be(OutboxMessageStatus.Pending);
    (await store.RotateTokenAsync(SetAId, SetATokenCurrent, SetAGraceEnd, none)).Should().NotBeNull();
    (await store.RotateTokenAsync(SetBId, SetBTokenSecond, T0.AddMinutes(10), none)).Should().NotBeNull();
    (await store.RotateTokenAsync(SetBId, SetBTokenCurrent, SetBGraceEnd, none)).Should().NotBeNull();
    (await store.DeleteSetAsync(SetCId, none)).Should().BeTrue();
    (await store.ForgetClickPersonalDataAsync(Click4Id, none)).Should().BeTrue();
    (await store.DeleteForwardingRuleAsync(Rule3Id, none)).Should().BeTrue();

    await Verify(store);

    async Task Append(ConversionRecord conversion, PostbackLogEntry entry, params OutboxMessage[] messages) =>
        (await store.AppendConversionAsync(conversion, entry, messages, none)).Should().Be(ConversionAppendResult.Accepted(conversion.Id));

    async Task Lease(DateTimeOffset now, string leaseId, TimeSpan duration, string expected, params string[] excludedRuleIds)
    {
        var leased = await store.LeaseOutboxMessagesAsync(
            new OutboxLeaseRequest { LeaseId = leaseId, Now = now, Duration = duration, MaxCount = 1, ExcludedRuleIds = excludedRuleIds },
            none);
        leased.Select(m => m.Id).Should().Equal(expected);
    }

    async Task Complete(string leaseId, OutboxAttempt attempt, OutboxMessageStatus status, DateTimeOffset? nextAttemptAt, DateTimeOffset completedAt)
    {
        var completion = new OutboxCompletion { LeaseId = leaseId, Attempt = attempt, Status = status, NextAttemptAt = nextAttemptAt, CompletedAt = completedAt };
        (await store.CompleteOutboxAttemptsAsync([completion], none)).Should().Be(1);
    }
}

Console.WriteLine($"Wrote and checked {path}");

// A new message as the ingestor writes it: pending, never attempted, due at its creation.
static OutboxMessage Pending(OutboxMessage final) => final with
{
    Status = OutboxMessageStatus.Pending,
    NextAttemptAt = final.Id == Message4Leased.Id || final.Id == Message5OfDeletedRule.Id ? final.NextAttemptAt : final.CreatedAt,
    AttemptCount = 0,
    LastErrorCode = null,
    LastError = null,
    CompletedAt = null,
    LeaseId = null,
    LeaseExpiresAt = null,
    RetryFrom = final.CreatedAt,
};

static async Task Verify(SqlitePostbackStore store)
{
    var none = CancellationToken.None;
    foreach (var set in new[] { SetA, SetB })
    {
        (await store.GetSetAsync(set.Id, none)).Should().BeEquivalentTo(set, o => o.Excluding(s => s.Settings));
        (await store.GetSetAsync(set.Id, none))!.Settings?.GetRawText().Should().Be(set.Settings?.GetRawText());
    }

    (await store.GetSetAsync(SetCId, none)).Should().BeNull();
    (await store.IsSetIdUsedAsync(SetCId, none)).Should().BeTrue();
    (await store.ListSetsAsync(none)).Select(s => s.Id).Should().Equal(SetAId, SetBId);
    (await store.FindSetByTokenAsync(SetATokenFirst, Now, none))!.Id.Should().Be(SetAId);
    (await store.FindSetByTokenAsync(SetATokenCurrent, Now, none))!.Id.Should().Be(SetAId);
    (await store.FindSetByTokenAsync(SetBTokenFirst, Now, none)).Should().BeNull();
    (await store.FindSetByTokenAsync(SetBTokenSecond, Now, none)).Should().BeNull();
    (await store.FindSetByTokenAsync(SetBTokenSecond, SetBGraceEnd.AddTicks(-1), none))!.Id.Should().Be(SetBId);
    (await store.FindSetByTokenAsync(SetCToken, Now, none)).Should().BeNull();

    (await store.ListCampaignsAsync(none)).Should().BeEquivalentTo([Autumn, Spring], o => o.WithStrictOrdering());

    foreach (var click in Clicks)
    {
        (await store.FindClickAsync(click.Id, none)).Should().BeEquivalentTo(click);
    }

    foreach (var conversion in Conversions)
    {
        (await store.GetConversionAsync(conversion.Id, none)).Should().BeEquivalentTo(conversion);
    }

    (await store.GetConversionAsync(Conv1Retry.Id, none)).Should().BeNull();
    (await store.ListConversionsByClickAsync(Click1Id, none)).Should().BeEquivalentTo([Conv2Registration, Conv1FirstDeposit, Conv3WindowedDeposit], o => o.WithStrictOrdering());

    foreach (var entry in LogEntries)
    {
        (await store.GetLogEntryAsync(entry.Id, none)).Should().BeEquivalentTo(entry);
    }

    (await store.ListLogAsync(new PostbackLogQuery { Limit = 100 }, none)).Should().HaveCount(LogEntries.Count);

    foreach (var rule in Rules)
    {
        var stored = await store.GetForwardingRuleAsync(rule.Id, none);
        stored.Should().BeEquivalentTo(rule, o => o.Excluding(r => r.Settings));
        stored!.Settings.GetRawText().Should().Be(rule.Settings.GetRawText());
    }

    (await store.GetForwardingRuleAsync(Rule3Id, none)).Should().BeNull();

    foreach (var message in Messages)
    {
        (await store.GetOutboxMessageAsync(message.Id, none)).Should().BeEquivalentTo(message);
        (await store.ListOutboxAttemptsAsync(message.Id, none)).Should().BeEquivalentTo(Attempts[message.Id], o => o.WithStrictOrdering());
    }

    var failed = false;
    foreach (var (query, expected) in Stats)
    {
        var actual = await store.GetStatsAsync(query, none);
        var amounts = string.Join("; ", actual.Amounts.Select(a => string.Create(CultureInfo.InvariantCulture, $"{a.Currency} {a.FirstDeposits} {a.Deposits}")));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{query}: clicks {actual.Clicks}, reg {actual.Registrations}, ftd {actual.FirstDeposits}, dep {actual.Deposits}, unattributed {actual.Unattributed}, rejected {actual.Rejected}, amounts {amounts}"));
        try
        {
            actual.Should().BeEquivalentTo(expected, o => o.WithStrictOrdering());
        }
        catch (Exception ex) when (ex.GetType().Name.Contains("Assert", StringComparison.Ordinal) || ex is InvalidOperationException)
        {
            Console.WriteLine(ex.Message);
            failed = true;
        }
    }

    if (failed)
    {
        throw new InvalidOperationException("The stats differ from V2Database.Stats (see above).");
    }
}
