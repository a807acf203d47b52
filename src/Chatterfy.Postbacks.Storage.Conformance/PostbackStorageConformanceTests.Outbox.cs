using System.Collections.Concurrent;
using Chatterfy.Postbacks.Forwarding;

namespace Chatterfy.Postbacks.Storage.Conformance;

// OutboxStore: leases for dispatchers (race-free), renewals and releases, completions with their attempts, the outbox
// queries and rescheduling.
public abstract partial class PostbackStorageConformanceTests
{
    private const int ConcurrentLeasers = 8;

    private const int ConcurrentlyLeasedMessages = 200;

    // ---------------------------------------------------------------- lease

    /// <summary>An empty outbox leases nothing.</summary>
    [Fact]
    public async Task LeaseOutboxMessages_EmptyStore_ReturnsEmpty()
    {
        var store = await NewStorageAsync();

        (await store.Outbox.LeaseAsync(ForwardingTestData.Lease(StoreTestData.Epoch), None)).Should().BeEmpty();
    }

    /// <summary>Messages due at or before now are leased, later ones are not.</summary>
    [Fact]
    public async Task LeaseOutboxMessages_LeasesMessagesDueAtOrBeforeNow_NotLaterOnes()
    {
        var store = await NewStorageAsync();
        var t = StoreTestData.Epoch.AddHours(1);
        var messages = await AppendMessagesAsync(store, t.AddSeconds(-1), t, t.AddTicks(10), t.AddDays(1));

        var leased = await store.Outbox.LeaseAsync(ForwardingTestData.Lease(t), None);

        leased.Select(m => m.Id).Should().BeEquivalentTo([messages[0].Id, messages[1].Id]);
        (await store.Outbox.GetAsync(messages[2].Id, None)).Should().BeEquivalentTo(messages[2]);
        (await store.Outbox.GetAsync(messages[3].Id, None)).Should().BeEquivalentTo(messages[3]);
        (await store.Outbox.LeaseAsync(ForwardingTestData.Lease(t), None)).Should().BeEmpty();
    }

    /// <summary>Leasing sets the lease id and end, and returns the messages as stored.</summary>
    [Fact]
    public async Task LeaseOutboxMessages_SetsTheLeaseAndReturnsTheStoredMessages()
    {
        var store = await NewStorageAsync();
        var messages = await AppendMessagesAsync(store, StoreTestData.Epoch);
        var request = ForwardingTestData.Lease(StoreTestData.Epoch.AddMilliseconds(1500), TimeSpan.FromMilliseconds(90_250));

        var leased = await store.Outbox.LeaseAsync(request, None);

        var expected = messages[0] with { LeaseId = request.LeaseId, LeaseExpiresAt = StoreTestData.Epoch.AddMilliseconds(91_750) };
        leased.Should().ContainSingle().Which.Should().BeEquivalentTo(expected);
        leased[0].LeaseExpiresAt.Should().Be(request.Now + request.Duration);
        (await store.Outbox.GetAsync(expected.Id, None)).Should().BeEquivalentTo(expected);
    }

    /// <summary>Delivered and dead-lettered messages are not leased.</summary>
    [Fact]
    public async Task LeaseOutboxMessages_SkipsDeliveredAndDeadLetteredMessages()
    {
        var store = await NewStorageAsync();
        var t = StoreTestData.Epoch;
        var messages = await AppendMessagesAsync(store, t, t, t);
        var leased = await LeaseAllAsync(store, t, 3);
        var completions = new[]
        {
            Completion(leased[0], ForwardingTestData.Delivered(leased[0].Id, 1, t), OutboxMessageStatus.Delivered, t.AddSeconds(1)),
            Completion(leased[1], ForwardingTestData.Refused(leased[1].Id, 1, t), OutboxMessageStatus.DeadLettered, t.AddSeconds(1)),
            Completion(leased[2], ForwardingTestData.TimedOut(leased[2].Id, 1, t), OutboxMessageStatus.Pending, t.AddSeconds(10), t.AddSeconds(30)),
        };
        (await store.Outbox.CompleteAsync(completions, None)).Should().Be(3);

        var later = await store.Outbox.LeaseAsync(ForwardingTestData.Lease(t.AddHours(1)), None);

        later.Select(m => m.Id).Should().Equal(leased[2].Id);
        messages.Select(m => m.Id).Should().BeEquivalentTo(leased.Select(m => m.Id));
    }

    /// <summary>A lease takes at most its count, earliest due first, then by id (ordinal).</summary>
    [Fact]
    public async Task LeaseOutboxMessages_HonoursMaxCount_EarliestDueFirstThenByIdOrdinal()
    {
        var store = await NewStorageAsync();
        var t = StoreTestData.Epoch.AddHours(1);
        var conversion = StoreTestData.Conversion();
        OutboxMessage Message(string prefix, DateTimeOffset due) =>
            ForwardingTestData.Message(conversion.Id, StoreTestData.Epoch, due, id: prefix + StoreTestData.NewId());
        var b = Message("msg_b_", t.AddSeconds(-2));
        var a = Message("msg_a_", t.AddSeconds(-2));
        var c = Message("msg_c_", t.AddSeconds(-2));
        var zero = Message("msg_0_", t.AddSeconds(-1));
        var upperZ = Message("msg_Z_", t);
        var future = Message("msg_A_", t.AddSeconds(1));
        await StoreAsync(store, conversion, b, upperZ, future, a, zero, c);

        async Task<IEnumerable<string>> LeaseTwoAsync() =>
            (await store.Outbox.LeaseAsync(ForwardingTestData.Lease(t, maxCount: 2), None)).Select(m => m.Id);

        (await LeaseTwoAsync()).Should().BeEquivalentTo([a.Id, b.Id]);
        (await LeaseTwoAsync()).Should().BeEquivalentTo([c.Id, zero.Id]);
        (await LeaseTwoAsync()).Should().BeEquivalentTo([upperZ.Id]);
        (await LeaseTwoAsync()).Should().BeEmpty();
    }

    /// <summary>A message under a live lease is not leased again.</summary>
    [Fact]
    public async Task LeaseOutboxMessages_MessageUnderALiveLease_IsNotLeasedAgain()
    {
        var store = await NewStorageAsync();
        var t = StoreTestData.Epoch;
        await AppendMessagesAsync(store, t);
        var first = (await LeaseAllAsync(store, t, 1, TimeSpan.FromMinutes(1)))[0];

        var second = await store.Outbox.LeaseAsync(ForwardingTestData.Lease(t.AddMinutes(1).AddMilliseconds(-1)), None);

        second.Should().BeEmpty();
        (await store.Outbox.GetAsync(first.Id, None)).Should().BeEquivalentTo(first);
    }

    /// <summary>A lease that ends exactly now can be replaced by a new one.</summary>
    [Fact]
    public async Task LeaseOutboxMessages_LeaseThatEndsExactlyNow_CanBeReplacedByANewLease()
    {
        var store = await NewStorageAsync();
        var t = StoreTestData.Epoch;
        await AppendMessagesAsync(store, t);
        var first = (await LeaseAllAsync(store, t, 1, TimeSpan.FromSeconds(30)))[0];
        var request = ForwardingTestData.Lease(t.AddSeconds(30), TimeSpan.FromSeconds(45));

        var second = await store.Outbox.LeaseAsync(request, None);

        var expected = first with { LeaseId = request.LeaseId, LeaseExpiresAt = t.AddSeconds(75) };
        second.Should().ContainSingle().Which.Should().BeEquivalentTo(expected);
        (await store.Outbox.GetAsync(first.Id, None)).Should().BeEquivalentTo(expected);
    }

    /// <summary>A count outside 1 to <see cref="OutboxLeaseRequest.MaxCountLimit"/> throws and leases nothing.</summary>
    [Fact]
    public async Task LeaseOutboxMessages_MaxCountOutOfRange_ThrowsAndLeasesNothing()
    {
        var store = await NewStorageAsync();
        var t = StoreTestData.Epoch;
        var messages = await AppendMessagesAsync(store, t);

        foreach (var maxCount in new[] { 0, -1, 10_001 })
        {
            await Calling(() => store.Outbox.LeaseAsync(ForwardingTestData.Lease(t, maxCount: maxCount), None))
                .Should().ThrowAsync<ArgumentOutOfRangeException>("{0} is out of range", maxCount);
        }

        (await store.Outbox.GetAsync(messages[0].Id, None)).Should().BeEquivalentTo(messages[0]);
        (await store.Outbox.LeaseAsync(ForwardingTestData.Lease(t, maxCount: 10_000), None)).Should().ContainSingle();
    }

    /// <summary>A lease duration that is not positive throws and leases nothing.</summary>
    [Fact]
    public async Task LeaseOutboxMessages_DurationNotPositive_ThrowsAndLeasesNothing()
    {
        var store = await NewStorageAsync();
        var t = StoreTestData.Epoch;
        var messages = await AppendMessagesAsync(store, t);

        foreach (var duration in new[] { TimeSpan.Zero, TimeSpan.FromSeconds(-1) })
        {
            await Calling(() => store.Outbox.LeaseAsync(ForwardingTestData.Lease(t, duration), None))
                .Should().ThrowAsync<ArgumentOutOfRangeException>("a lease of {0} is not positive", duration);
        }

        (await store.Outbox.GetAsync(messages[0].Id, None)).Should().BeEquivalentTo(messages[0]);
    }

    /// <summary>Concurrent leases never lease a message twice, and together lease every due message.</summary>
    [Fact]
    public async Task LeaseOutboxMessages_ConcurrentLeases_NeverLeaseAMessageTwiceAndTogetherLeaseAll()
    {
        var store = await NewStorageAsync();
        var t = StoreTestData.Epoch;
        var due = Enumerable.Range(0, ConcurrentlyLeasedMessages).Select(i => t.AddSeconds(i % 7)).ToArray();
        var messages = await AppendMessagesAsync(store, due);
        var now = t.AddMinutes(1);
        var leases = new ConcurrentBag<(string LeaseId, OutboxMessage Message)>();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var workers = Enumerable.Range(0, ConcurrentLeasers).Select(_ => Task.Run(async () =>
        {
            await gate.Task;
            for (var call = 0; call < ConcurrentlyLeasedMessages; call++)
            {
                var request = ForwardingTestData.Lease(now, TimeSpan.FromHours(1), maxCount: 7);
                var batch = await store.Outbox.LeaseAsync(request, None);
                if (batch.Count == 0)
                {
                    return;
                }

                foreach (var message in batch)
                {
                    leases.Add((request.LeaseId, message));
                }
            }
        })).ToArray();

        gate.SetResult();
        await Task.WhenAll(workers).WaitAsync(ConcurrencyTimeout);

        leases.Select(l => l.Message.Id).Should().OnlyHaveUniqueItems().And.BeEquivalentTo(messages.Select(m => m.Id));
        leases.Should().OnlyContain(l => l.Message.LeaseId == l.LeaseId);
        foreach (var (leaseId, message) in leases)
        {
            (await store.Outbox.GetAsync(message.Id, None))!.LeaseId.Should().Be(leaseId);
        }

        (await store.Outbox.LeaseAsync(ForwardingTestData.Lease(now), None)).Should().BeEmpty();
    }

    /// <summary>Messages of excluded rules are skipped however early they are due, and stay due for a later lease.</summary>
    [Fact]
    public async Task LeaseOutboxMessages_ExcludedRules_AreSkipped_TheirMessagesStayDueForALaterLease()
    {
        var store = await NewStorageAsync();
        var t = StoreTestData.Epoch.AddHours(1);
        var conversion = StoreTestData.Conversion();
        var busy = ForwardingTestData.Message(conversion.Id, StoreTestData.Epoch, t.AddSeconds(-3), ruleId: "rule_busy_" + StoreTestData.NewId());
        var alsoBusy = ForwardingTestData.Message(conversion.Id, StoreTestData.Epoch, t.AddSeconds(-2), ruleId: "rule_also_busy_" + StoreTestData.NewId());
        var free = ForwardingTestData.Message(conversion.Id, StoreTestData.Epoch, t.AddSeconds(-1));
        await StoreAsync(store, conversion, busy, alsoBusy, free);

        var leased = await store.Outbox.LeaseAsync(
            ForwardingTestData.Lease(t, maxCount: 1) with { ExcludedRuleIds = [busy.RuleId, alsoBusy.RuleId, "rule_unknown"] }, None);

        leased.Select(m => m.Id).Should().Equal([free.Id], "the excluded rules' messages are due earlier but left out");
        (await store.Outbox.GetAsync(busy.Id, None)).Should().BeEquivalentTo(busy);
        (await store.Outbox.LeaseAsync(ForwardingTestData.Lease(t) with { ExcludedRuleIds = [alsoBusy.RuleId] }, None))
            .Select(m => m.Id).Should().Equal(busy.Id);
        (await store.Outbox.LeaseAsync(ForwardingTestData.Lease(t) with { ExcludedRuleIds = [] }, None))
            .Select(m => m.Id).Should().Equal(alsoBusy.Id);
    }

    // ---------------------------------------------------------------- renew and release

    /// <summary>Renewing a lease renews the listed messages that hold it, and nothing else.</summary>
    [Fact]
    public async Task ExtendOutboxLease_RenewsTheListedMessagesThatHoldTheLease_AndNothingElse()
    {
        var store = await NewStorageAsync();
        var t = StoreTestData.Epoch;
        var messages = await AppendMessagesAsync(store, t, t, t);
        var leased = await LeaseAllAsync(store, t, 3, TimeSpan.FromSeconds(30));
        var expiresAt = t.AddTicks(412_345_670);

        var renewed = await store.Outbox.ExtendLeaseAsync(leased[0].LeaseId!, [leased[0].Id, leased[1].Id, "msg_unknown"], expiresAt, None);

        renewed.Should().Be(2);
        (await store.Outbox.GetAsync(leased[0].Id, None)).Should().BeEquivalentTo(leased[0] with { LeaseExpiresAt = expiresAt });
        (await store.Outbox.GetAsync(leased[1].Id, None)).Should().BeEquivalentTo(leased[1] with { LeaseExpiresAt = expiresAt });
        (await store.Outbox.GetAsync(leased[2].Id, None)).Should().BeEquivalentTo(leased[2], "it was not listed");
        (await store.Outbox.LeaseAsync(ForwardingTestData.Lease(t.AddSeconds(30)), None))
            .Select(m => m.Id).Should().Equal([leased[2].Id], "the renewed lease still lives when the first one would have ended");
        messages.Should().HaveCount(3);
    }

    /// <summary>Two leases under one lease id hold both batches, which one renewal and one release cover.</summary>
    [Fact]
    public async Task LeaseOutboxMessages_TwiceUnderOneLeaseId_HoldsBoth_WhichOneRenewalAndOneReleaseCover()
    {
        var store = await NewStorageAsync();
        var t = StoreTestData.Epoch;
        var messages = await AppendMessagesAsync(store, t, t.AddSeconds(5));
        var first = ForwardingTestData.Lease(t, TimeSpan.FromSeconds(30), maxCount: 10);
        (await store.Outbox.LeaseAsync(first, None)).Should().ContainSingle();
        (await store.Outbox.LeaseAsync(first with { Now = t.AddSeconds(5) }, None)).Should().ContainSingle();
        var ids = messages.Select(m => m.Id).ToArray();

        (await store.Outbox.ExtendLeaseAsync(first.LeaseId, ids, t.AddMinutes(1), None)).Should().Be(2);
        (await store.Outbox.ListAsync(new OutboxQuery(), None)).Should().OnlyContain(m => m.LeaseId == first.LeaseId && m.LeaseExpiresAt == t.AddMinutes(1));
        (await store.Outbox.ReleaseLeaseAsync(first.LeaseId, ids, None)).Should().Be(2);
        (await store.Outbox.ListAsync(new OutboxQuery(), None)).Should().BeEquivalentTo(messages);
    }

    /// <summary>A lease that ended but that nobody took over can be renewed.</summary>
    [Fact]
    public async Task ExtendOutboxLease_UnderAnEndedLeaseTheMessageStillHolds_RenewsIt()
    {
        var store = await NewStorageAsync();
        var t = StoreTestData.Epoch;
        await AppendMessagesAsync(store, t);
        var leased = (await LeaseAllAsync(store, t, 1, TimeSpan.FromSeconds(30)))[0];

        (await store.Outbox.ExtendLeaseAsync(leased.LeaseId!, [leased.Id], t.AddSeconds(70), None)).Should().Be(1);

        (await store.Outbox.GetAsync(leased.Id, None))!.LeaseExpiresAt.Should().Be(t.AddSeconds(70));
        (await store.Outbox.LeaseAsync(ForwardingTestData.Lease(t.AddSeconds(45)), None)).Should().BeEmpty();
    }

    /// <summary>Renewing another lease's message, a completed message or no message changes nothing.</summary>
    [Fact]
    public async Task ExtendOutboxLease_OfAnotherLease_OrOfACompletedMessage_ChangesNothing()
    {
        var store = await NewStorageAsync();
        var t = StoreTestData.Epoch;
        await AppendMessagesAsync(store, t, t);
        var leased = await LeaseAllAsync(store, t, 2, TimeSpan.FromSeconds(30));
        await store.Outbox.CompleteAsync(
            [Completion(leased[1], ForwardingTestData.Delivered(leased[1].Id, 1, t), OutboxMessageStatus.Delivered, t.AddSeconds(1))], None);
        var delivered = await store.Outbox.GetAsync(leased[1].Id, None);

        (await store.Outbox.ExtendLeaseAsync("lease_other", [leased[0].Id], t.AddHours(1), None)).Should().Be(0);
        (await store.Outbox.ExtendLeaseAsync(leased[1].LeaseId!, [leased[1].Id], t.AddHours(1), None)).Should().Be(0);
        (await store.Outbox.ExtendLeaseAsync(leased[0].LeaseId!, [], t.AddHours(1), None)).Should().Be(0);

        (await store.Outbox.GetAsync(leased[0].Id, None)).Should().BeEquivalentTo(leased[0]);
        (await store.Outbox.GetAsync(leased[1].Id, None)).Should().BeEquivalentTo(delivered);
    }

    /// <summary>Renewing a lease that another dispatcher took over changes nothing.</summary>
    [Fact]
    public async Task ExtendOutboxLease_AfterTheLeaseWasTakenOver_ChangesNothing()
    {
        var store = await NewStorageAsync();
        var t = StoreTestData.Epoch;
        await AppendMessagesAsync(store, t);
        var first = (await LeaseAllAsync(store, t, 1, TimeSpan.FromSeconds(30)))[0];
        var second = (await store.Outbox.LeaseAsync(ForwardingTestData.Lease(t.AddSeconds(30)), None)).Single();

        (await store.Outbox.ExtendLeaseAsync(first.LeaseId!, [first.Id], t.AddHours(1), None)).Should().Be(0);

        (await store.Outbox.GetAsync(first.Id, None)).Should().BeEquivalentTo(second);
    }

    /// <summary>Releasing clears the listed messages' lease, records no attempt, and lets them be leased again at once.</summary>
    [Fact]
    public async Task ReleaseOutboxLease_ClearsTheListedMessagesLease_SoTheyAreLeasedAgainAtOnce_KeepingEverythingElse()
    {
        var store = await NewStorageAsync();
        var t = StoreTestData.Epoch;
        var messages = await AppendMessagesAsync(store, t, t.AddSeconds(1), t.AddSeconds(2));
        var leased = await LeaseAllAsync(store, t.AddSeconds(2), 3, TimeSpan.FromMinutes(5));
        var byId = messages.ToDictionary(m => m.Id);

        var released = await store.Outbox.ReleaseLeaseAsync(leased[0].LeaseId!, [leased[0].Id, leased[2].Id, "msg_unknown"], None);

        released.Should().Be(2);
        (await store.Outbox.GetAsync(leased[0].Id, None)).Should().BeEquivalentTo(byId[leased[0].Id]);
        (await store.Outbox.GetAsync(leased[2].Id, None)).Should().BeEquivalentTo(byId[leased[2].Id]);
        (await store.Outbox.GetAsync(leased[1].Id, None)).Should().BeEquivalentTo(leased[1], "it was not listed");
        (await store.Outbox.ListAttemptsAsync(leased[0].Id, None)).Should().BeEmpty("a release records no attempt");
        (await store.Outbox.LeaseAsync(ForwardingTestData.Lease(t.AddSeconds(3)), None))
            .Select(m => m.Id).Should().BeEquivalentTo([leased[0].Id, leased[2].Id]);
    }

    /// <summary>Releasing another lease's message, a completed message or no message changes nothing.</summary>
    [Fact]
    public async Task ReleaseOutboxLease_OfAnotherLease_OrOfACompletedMessage_ChangesNothing()
    {
        var store = await NewStorageAsync();
        var t = StoreTestData.Epoch;
        await AppendMessagesAsync(store, t, t);
        var leased = await LeaseAllAsync(store, t, 2, TimeSpan.FromSeconds(30));
        await store.Outbox.CompleteAsync(
            [Completion(leased[1], ForwardingTestData.Refused(leased[1].Id, 1, t), OutboxMessageStatus.DeadLettered, t.AddSeconds(1))], None);
        var deadLetter = await store.Outbox.GetAsync(leased[1].Id, None);

        (await store.Outbox.ReleaseLeaseAsync("lease_other", [leased[0].Id], None)).Should().Be(0);
        (await store.Outbox.ReleaseLeaseAsync(leased[1].LeaseId!, [leased[1].Id], None)).Should().Be(0);
        (await store.Outbox.ReleaseLeaseAsync(leased[0].LeaseId!, [], None)).Should().Be(0);

        (await store.Outbox.GetAsync(leased[0].Id, None)).Should().BeEquivalentTo(leased[0]);
        (await store.Outbox.GetAsync(leased[1].Id, None)).Should().BeEquivalentTo(deadLetter);
    }

    /// <summary>Renewal and release refuse an empty lease id, no ids and a <see langword="null"/> id, and change nothing.</summary>
    [Fact]
    public async Task ExtendAndReleaseOutboxLease_InvalidArguments_ThrowAndChangeNothing()
    {
        var store = await NewStorageAsync();
        var t = StoreTestData.Epoch;
        await AppendMessagesAsync(store, t);
        var leased = (await LeaseAllAsync(store, t, 1))[0];

        await Calling(() => store.Outbox.ExtendLeaseAsync("", [leased.Id], t.AddHours(1), None)).Should().ThrowAsync<ArgumentException>();
        await Calling(() => store.Outbox.ExtendLeaseAsync(null!, [leased.Id], t.AddHours(1), None)).Should().ThrowAsync<ArgumentNullException>();
        await Calling(() => store.Outbox.ExtendLeaseAsync(leased.LeaseId!, null!, t.AddHours(1), None)).Should().ThrowAsync<ArgumentNullException>();
        await Calling(() => store.Outbox.ExtendLeaseAsync(leased.LeaseId!, [leased.Id, null!], t.AddHours(1), None)).Should().ThrowAsync<ArgumentException>();
        await Calling(() => store.Outbox.ReleaseLeaseAsync("", [leased.Id], None)).Should().ThrowAsync<ArgumentException>();
        await Calling(() => store.Outbox.ReleaseLeaseAsync(leased.LeaseId!, null!, None)).Should().ThrowAsync<ArgumentNullException>();
        await Calling(() => store.Outbox.ReleaseLeaseAsync(leased.LeaseId!, [leased.Id, null!], None)).Should().ThrowAsync<ArgumentException>();

        (await store.Outbox.GetAsync(leased.Id, None)).Should().BeEquivalentTo(leased);
    }

    // ---------------------------------------------------------------- complete

    /// <summary>A delivered completion records its attempt, sets the status, count and completion time, clears the lease and the last error, and keeps the due time.</summary>
    [Fact]
    public async Task CompleteOutboxAttempts_Delivered_SetsStatusCountAndCompletionTime_ClearsLeaseKeepsNextAttemptAt()
    {
        var store = await NewStorageAsync();
        var t = StoreTestData.Epoch;
        var message = (await AppendMessagesAsync(store, t))[0];
        var leased = (await LeaseAllAsync(store, t, 1))[0];
        var attempt = ForwardingTestData.Delivered(message.Id, 1, t.AddSeconds(1));

        var applied = await store.Outbox.CompleteAsync(
            [Completion(leased, attempt, OutboxMessageStatus.Delivered, t.AddTicks(12_345_670), t.AddHours(1))], None);

        applied.Should().Be(1);
        var expected = message with { Status = OutboxMessageStatus.Delivered, AttemptCount = 1, CompletedAt = t.AddTicks(12_345_670) };
        var stored = await store.Outbox.GetAsync(message.Id, None);
        stored.Should().BeEquivalentTo(expected);
        stored!.NextAttemptAt.Should().Be(t, "a delivered completion's next attempt time is ignored");
        stored.CompletedAt.Should().Be(t.AddTicks(12_345_670));
        stored.LeaseId.Should().BeNull();
        stored.LeaseExpiresAt.Should().BeNull();
        stored.LastErrorCode.Should().BeNull();
        stored.LastError.Should().BeNull();
        (await store.Outbox.ListAttemptsAsync(message.Id, None)).Should().ContainSingle().Which.Should().BeEquivalentTo(attempt);
    }

    /// <summary>A pending completion records its attempt, sets the next due time and the last error, and clears the lease.</summary>
    [Fact]
    public async Task CompleteOutboxAttempts_PendingRetry_SetsNextAttemptAtAndLastError_ClearsLease()
    {
        var store = await NewStorageAsync();
        var t = StoreTestData.Epoch;
        var message = (await AppendMessagesAsync(store, t))[0];
        var leased = (await LeaseAllAsync(store, t, 1))[0];
        var attempt = ForwardingTestData.TimedOut(message.Id, 1, t);
        var retryAt = t.AddSeconds(30).AddTicks(10);

        var applied = await store.Outbox.CompleteAsync(
            [Completion(leased, attempt, OutboxMessageStatus.Pending, t.AddSeconds(10), retryAt)], None);

        applied.Should().Be(1);
        var expected = message with
        {
            AttemptCount = 1,
            LastErrorCode = DeliveryErrorCodes.Timeout,
            LastError = attempt.Reason,
            NextAttemptAt = retryAt,
        };
        var stored = await store.Outbox.GetAsync(message.Id, None);
        stored.Should().BeEquivalentTo(expected);
        stored!.Status.Should().Be(OutboxMessageStatus.Pending);
        stored.CompletedAt.Should().BeNull();
        stored.NextAttemptAt.Should().Be(retryAt);
        (await store.Outbox.LeaseAsync(ForwardingTestData.Lease(retryAt.AddTicks(-10)), None)).Should().BeEmpty();
        (await store.Outbox.LeaseAsync(ForwardingTestData.Lease(retryAt), None)).Should().ContainSingle().Which.Id.Should().Be(message.Id);
    }

    /// <summary>A dead-letter completion sets the status, last error and completion time, and keeps the due time.</summary>
    [Fact]
    public async Task CompleteOutboxAttempts_DeadLetter_SetsStatusErrorAndCompletionTime_KeepsNextAttemptAt()
    {
        var store = await NewStorageAsync();
        var t = StoreTestData.Epoch;
        var message = (await AppendMessagesAsync(store, t))[0];
        var leased = (await LeaseAllAsync(store, t, 1))[0];
        var attempt = ForwardingTestData.Refused(message.Id, 1, t);

        var applied = await store.Outbox.CompleteAsync(
            [Completion(leased, attempt, OutboxMessageStatus.DeadLettered, t.AddSeconds(2), t.AddHours(1))], None);

        applied.Should().Be(1);
        var expected = message with
        {
            Status = OutboxMessageStatus.DeadLettered,
            AttemptCount = 1,
            LastErrorCode = DeliveryErrorCodes.DestinationError,
            LastError = attempt.Reason,
            CompletedAt = t.AddSeconds(2),
        };
        (await store.Outbox.GetAsync(message.Id, None)).Should().BeEquivalentTo(expected);
        (await store.Outbox.LeaseAsync(ForwardingTestData.Lease(t.AddDays(1)), None)).Should().BeEmpty();
    }

    /// <summary>Every attempt is recorded with all its values and listed by number.</summary>
    [Fact]
    public async Task CompleteOutboxAttempts_SeveralCompletions_RecordEveryAttemptWithAllValues_ListedByNumber()
    {
        var store = await NewStorageAsync();
        var t = StoreTestData.Epoch;
        var messages = await AppendMessagesAsync(store, t, t);
        var leased = await LeaseAllAsync(store, t, 2);
        var first = ForwardingTestData.Refused(messages[0].Id, 1, t.AddTicks(10)) with { Status = DeliveryStatus.Retry };
        var other = ForwardingTestData.TimedOut(messages[1].Id, 1, t);
        await store.Outbox.CompleteAsync(
        [
            Completion(leased.Single(m => m.Id == messages[0].Id), first, OutboxMessageStatus.Pending, t.AddSeconds(2), t.AddSeconds(5)),
            Completion(leased.Single(m => m.Id == messages[1].Id), other, OutboxMessageStatus.Pending, t.AddSeconds(10), t.AddDays(1)),
        ], None);
        var second = ForwardingTestData.TimedOut(messages[0].Id, 2, t.AddSeconds(5));
        var third = ForwardingTestData.Delivered(messages[0].Id, 3, t.AddSeconds(20));

        var leasedAgain = (await LeaseAllAsync(store, t.AddSeconds(5), 1))[0];
        (await store.Outbox.CompleteAsync(
            [Completion(leasedAgain, second, OutboxMessageStatus.Pending, t.AddSeconds(15), t.AddSeconds(20))], None)).Should().Be(1);
        var leasedThird = (await LeaseAllAsync(store, t.AddSeconds(20), 1))[0];
        (await store.Outbox.CompleteAsync(
            [Completion(leasedThird, third, OutboxMessageStatus.Delivered, t.AddSeconds(21))], None)).Should().Be(1);

        var attempts = await store.Outbox.ListAttemptsAsync(messages[0].Id, None);
        attempts.Should().BeEquivalentTo([first, second, third], o => o.WithStrictOrdering());
        attempts[0].DestinationError.Should().BeEquivalentTo(first.DestinationError);
        attempts[0].Duration.Should().Be(TimeSpan.FromTicks(1_234_560));
        attempts[0].StartedAt.Should().Be(t.AddTicks(10));
        (await store.Outbox.ListAttemptsAsync(messages[1].Id, None)).Should().ContainSingle().Which.Should().BeEquivalentTo(other);
        var stored = await store.Outbox.GetAsync(messages[0].Id, None);
        stored.Should().BeEquivalentTo(messages[0] with
        {
            Status = OutboxMessageStatus.Delivered,
            AttemptCount = 3,
            NextAttemptAt = t.AddSeconds(20),
            CompletedAt = t.AddSeconds(21),
        });
    }

    /// <summary>A completion under another lease, or of an unleased message, is skipped and stores nothing.</summary>
    [Fact]
    public async Task CompleteOutboxAttempts_WithAnotherLeaseOrNoLease_IsSkippedAndStoresNothing()
    {
        var store = await NewStorageAsync();
        var t = StoreTestData.Epoch;
        var messages = await AppendMessagesAsync(store, t, t.AddDays(1));
        var leased = (await LeaseAllAsync(store, t, 1))[0];
        var wrongLease = Completion(leased, ForwardingTestData.Delivered(leased.Id, 1, t), OutboxMessageStatus.Delivered, t.AddSeconds(1))
            with { LeaseId = "lease_" + StoreTestData.NewId() };
        var unleased = new OutboxCompletion
        {
            LeaseId = leased.LeaseId!,
            Attempt = ForwardingTestData.Delivered(messages[1].Id, 1, t),
            Status = OutboxMessageStatus.Delivered,
            CompletedAt = t.AddSeconds(1),
        };

        (await store.Outbox.CompleteAsync([wrongLease, unleased], None)).Should().Be(0);

        (await store.Outbox.GetAsync(leased.Id, None)).Should().BeEquivalentTo(leased);
        (await store.Outbox.GetAsync(messages[1].Id, None)).Should().BeEquivalentTo(messages[1]);
        (await store.Outbox.ListAttemptsAsync(leased.Id, None)).Should().BeEmpty();
        (await store.Outbox.ListAttemptsAsync(messages[1].Id, None)).Should().BeEmpty();
    }

    /// <summary>A completion under a lease that was replaced is skipped.</summary>
    [Fact]
    public async Task CompleteOutboxAttempts_UnderALeaseThatWasReplaced_IsSkipped()
    {
        var store = await NewStorageAsync();
        var t = StoreTestData.Epoch;
        await AppendMessagesAsync(store, t);
        var expired = (await LeaseAllAsync(store, t, 1, TimeSpan.FromSeconds(30)))[0];
        var current = (await LeaseAllAsync(store, t.AddSeconds(31), 1))[0];

        var applied = await store.Outbox.CompleteAsync(
            [Completion(expired, ForwardingTestData.Delivered(expired.Id, 1, t), OutboxMessageStatus.Delivered, t.AddSeconds(40))], None);

        applied.Should().Be(0);
        (await store.Outbox.GetAsync(current.Id, None)).Should().BeEquivalentTo(current);
        (await store.Outbox.ListAttemptsAsync(current.Id, None)).Should().BeEmpty();
    }

    /// <summary>A completion under a lease that ended but that the message still holds applies.</summary>
    [Fact]
    public async Task CompleteOutboxAttempts_UnderAnEndedLeaseTheMessageStillHolds_Applies()
    {
        var store = await NewStorageAsync();
        var t = StoreTestData.Epoch;
        var message = (await AppendMessagesAsync(store, t))[0];
        var leased = (await LeaseAllAsync(store, t, 1, TimeSpan.FromSeconds(30)))[0];
        var attempt = ForwardingTestData.Delivered(message.Id, 1, t.AddSeconds(1));

        var applied = await store.Outbox.CompleteAsync(
            [Completion(leased, attempt, OutboxMessageStatus.Delivered, t.AddMinutes(5))], None);

        applied.Should().Be(1);
        (await store.Outbox.GetAsync(message.Id, None)).Should().BeEquivalentTo(
            message with { Status = OutboxMessageStatus.Delivered, AttemptCount = 1, CompletedAt = t.AddMinutes(5) });
    }

    /// <summary>A completion of a completed or unknown message is skipped.</summary>
    [Fact]
    public async Task CompleteOutboxAttempts_CompletedOrUnknownMessage_IsSkipped()
    {
        var store = await NewStorageAsync();
        var t = StoreTestData.Epoch;
        var message = (await AppendMessagesAsync(store, t))[0];
        var leased = (await LeaseAllAsync(store, t, 1))[0];
        var delivered = Completion(leased, ForwardingTestData.Delivered(message.Id, 1, t), OutboxMessageStatus.Delivered, t.AddSeconds(1));
        (await store.Outbox.CompleteAsync([delivered], None)).Should().Be(1);
        var stored = await store.Outbox.GetAsync(message.Id, None);
        var again = Completion(leased, ForwardingTestData.Refused(message.Id, 2, t.AddSeconds(2)), OutboxMessageStatus.DeadLettered, t.AddSeconds(3));
        var unknownId = "msg_" + StoreTestData.NewId();
        var unknown = Completion(leased, ForwardingTestData.Delivered(unknownId, 1, t), OutboxMessageStatus.Delivered, t.AddSeconds(3));

        (await store.Outbox.CompleteAsync([again, unknown], None)).Should().Be(0);

        (await store.Outbox.GetAsync(message.Id, None)).Should().BeEquivalentTo(stored);
        (await store.Outbox.ListAttemptsAsync(message.Id, None)).Should().ContainSingle().Which.Number.Should().Be(1);
        (await store.Outbox.ListAttemptsAsync(unknownId, None)).Should().BeEmpty();
        (await store.Outbox.GetAsync(unknownId, None)).Should().BeNull();
    }

    /// <summary>Of a batch of completions, the valid ones apply and are counted; the others are skipped.</summary>
    [Fact]
    public async Task CompleteOutboxAttempts_MixedBatch_AppliesTheValidOnesAndReturnsTheirCount()
    {
        var store = await NewStorageAsync();
        var t = StoreTestData.Epoch;
        var messages = await AppendMessagesAsync(store, t, t, t, t);
        var leased = await LeaseAllAsync(store, t, 4);
        OutboxCompletion[] completions =
        [
            Completion(leased[0], ForwardingTestData.Delivered(leased[0].Id, 1, t), OutboxMessageStatus.Delivered, t.AddSeconds(1)),
            Completion(leased[1], ForwardingTestData.TimedOut(leased[1].Id, 1, t), OutboxMessageStatus.Pending, t.AddSeconds(1), t.AddMinutes(1)),
            Completion(leased[2], ForwardingTestData.Delivered(leased[2].Id, 1, t), OutboxMessageStatus.Delivered, t.AddSeconds(1))
                with { LeaseId = "lease_" + StoreTestData.NewId() },
            Completion(leased[3], ForwardingTestData.Refused(leased[3].Id, 1, t), OutboxMessageStatus.DeadLettered, t.AddSeconds(1)),
            Completion(leased[0], ForwardingTestData.Delivered("msg_" + StoreTestData.NewId(), 1, t), OutboxMessageStatus.Delivered, t.AddSeconds(1)),
        ];

        (await store.Outbox.CompleteAsync(completions, None)).Should().Be(3);

        (await store.Outbox.GetAsync(leased[0].Id, None))!.Status.Should().Be(OutboxMessageStatus.Delivered);
        (await store.Outbox.GetAsync(leased[1].Id, None))!.NextAttemptAt.Should().Be(t.AddMinutes(1));
        (await store.Outbox.GetAsync(leased[2].Id, None)).Should().BeEquivalentTo(leased[2]);
        (await store.Outbox.GetAsync(leased[3].Id, None))!.Status.Should().Be(OutboxMessageStatus.DeadLettered);
        (await store.Outbox.ListAttemptsAsync(leased[2].Id, None)).Should().BeEmpty();
        messages.Should().HaveCount(4);
    }

    /// <summary>A pending completion without a next attempt time throws and applies nothing of the batch.</summary>
    [Fact]
    public async Task CompleteOutboxAttempts_PendingWithoutNextAttemptAt_ThrowsAndAppliesNothing()
    {
        var store = await NewStorageAsync();
        var t = StoreTestData.Epoch;
        await AppendMessagesAsync(store, t, t);
        var leased = await LeaseAllAsync(store, t, 2);
        OutboxCompletion[] completions =
        [
            Completion(leased[0], ForwardingTestData.Delivered(leased[0].Id, 1, t), OutboxMessageStatus.Delivered, t.AddSeconds(1)),
            Completion(leased[1], ForwardingTestData.TimedOut(leased[1].Id, 1, t), OutboxMessageStatus.Pending, t.AddSeconds(1)),
        ];

        await Calling(() => store.Outbox.CompleteAsync(completions, None)).Should().ThrowAsync<ArgumentException>();

        await ShouldBeUntouchedAsync(store, leased);
    }

    /// <summary>Two completions for one message throw and apply nothing of the batch.</summary>
    [Fact]
    public async Task CompleteOutboxAttempts_TwoCompletionsForOneMessage_ThrowsAndAppliesNothing()
    {
        var store = await NewStorageAsync();
        var t = StoreTestData.Epoch;
        await AppendMessagesAsync(store, t, t);
        var leased = await LeaseAllAsync(store, t, 2);
        OutboxCompletion[] completions =
        [
            Completion(leased[0], ForwardingTestData.Delivered(leased[0].Id, 1, t), OutboxMessageStatus.Delivered, t.AddSeconds(1)),
            Completion(leased[1], ForwardingTestData.TimedOut(leased[1].Id, 1, t), OutboxMessageStatus.Pending, t.AddSeconds(1), t.AddMinutes(1)),
            Completion(leased[1], ForwardingTestData.Delivered(leased[1].Id, 2, t), OutboxMessageStatus.Delivered, t.AddSeconds(2)),
        ];

        await Calling(() => store.Outbox.CompleteAsync(completions, None)).Should().ThrowAsync<ArgumentException>();

        await ShouldBeUntouchedAsync(store, leased);
    }

    // ---------------------------------------------------------------- get and list

    /// <summary>An unknown or differently cased message id finds nothing and has no attempts.</summary>
    [Fact]
    public async Task GetOutboxMessage_UnknownId_ReturnsNullAndHasNoAttempts()
    {
        var store = await NewStorageAsync();
        var messages = await AppendMessagesAsync(store, StoreTestData.Epoch);

        (await store.Outbox.GetAsync("msg_" + StoreTestData.NewId(), None)).Should().BeNull();
        (await store.Outbox.GetAsync(messages[0].Id.ToUpperInvariant(), None)).Should().BeNull();
        (await store.Outbox.ListAttemptsAsync("msg_" + StoreTestData.NewId(), None)).Should().BeEmpty();
    }

    /// <summary>An empty outbox lists nothing.</summary>
    [Fact]
    public async Task ListOutboxMessages_EmptyStore_ReturnsEmpty()
    {
        var store = await NewStorageAsync();

        (await store.Outbox.ListAsync(new OutboxQuery(), None)).Should().BeEmpty();
    }

    /// <summary>Messages are listed newest first, ties broken by id descending (ordinal).</summary>
    [Fact]
    public async Task ListOutboxMessages_ReturnsNewestFirst_TiesBrokenByIdDescending()
    {
        var store = await NewStorageAsync();
        var t = StoreTestData.Epoch;
        var first = StoreTestData.Conversion();
        var second = StoreTestData.Conversion();
        OutboxMessage[] firstMessages =
        [
            ForwardingTestData.Message(first.Id, t.AddSeconds(1), id: "msg_a_" + StoreTestData.NewId()),
            ForwardingTestData.Message(first.Id, t, id: "msg_Z_" + StoreTestData.NewId()),
            ForwardingTestData.Message(first.Id, t.AddSeconds(1), id: "msg_B_" + StoreTestData.NewId()),
        ];
        OutboxMessage[] secondMessages =
        [
            ForwardingTestData.Message(second.Id, t, id: "msg_y_" + StoreTestData.NewId()),
            ForwardingTestData.Message(second.Id, t.AddMilliseconds(1), id: "msg_0_" + StoreTestData.NewId()),
        ];
        await StoreAsync(store, first, firstMessages);
        await StoreAsync(store, second, secondMessages);

        var listed = await store.Outbox.ListAsync(new OutboxQuery(), None);

        listed.Select(m => m.Id).Should().Equal(
            firstMessages[0].Id, firstMessages[2].Id, secondMessages[1].Id, secondMessages[0].Id, firstMessages[1].Id);
        listed[0].Should().BeEquivalentTo(firstMessages[0]);
    }

    /// <summary>The outbox listing filters by status.</summary>
    [Fact]
    public async Task ListOutboxMessages_FiltersByStatus()
    {
        var store = await NewStorageAsync();
        var t = StoreTestData.Epoch;
        var messages = await AppendMessagesAsync(store, t, t, t, t.AddHours(1), t.AddHours(1));
        var leased = await LeaseAllAsync(store, t, 3);
        await store.Outbox.CompleteAsync(
        [
            Completion(leased[0], ForwardingTestData.Delivered(leased[0].Id, 1, t), OutboxMessageStatus.Delivered, t.AddSeconds(1)),
            Completion(leased[1], ForwardingTestData.Refused(leased[1].Id, 1, t), OutboxMessageStatus.DeadLettered, t.AddSeconds(1)),
        ], None);

        async Task<IEnumerable<string>> ListAsync(OutboxMessageStatus status) =>
            (await store.Outbox.ListAsync(new OutboxQuery { Status = status }, None)).Select(m => m.Id);

        (await ListAsync(OutboxMessageStatus.Delivered)).Should().Equal(leased[0].Id);
        (await ListAsync(OutboxMessageStatus.DeadLettered)).Should().Equal(leased[1].Id);
        (await ListAsync(OutboxMessageStatus.Pending)).Should().BeEquivalentTo([leased[2].Id, messages[3].Id, messages[4].Id]);
        (await store.Outbox.ListAsync(new OutboxQuery(), None)).Should().HaveCount(5);
    }

    /// <summary>The outbox listing filters by conversion and by rule (case-sensitive).</summary>
    [Fact]
    public async Task ListOutboxMessages_FiltersByConversionAndRule()
    {
        var store = await NewStorageAsync();
        var t = StoreTestData.Epoch;
        var ruleA = "rule_" + StoreTestData.NewId();
        var ruleB = "rule_" + StoreTestData.NewId();
        var first = StoreTestData.Conversion();
        var second = StoreTestData.Conversion();
        var firstA = ForwardingTestData.Message(first.Id, t, ruleId: ruleA);
        var firstB = ForwardingTestData.Message(first.Id, t.AddSeconds(1), ruleId: ruleB);
        var secondA = ForwardingTestData.Message(second.Id, t.AddSeconds(2), ruleId: ruleA);
        await StoreAsync(store, first, firstA, firstB);
        await StoreAsync(store, second, secondA);

        async Task<IEnumerable<string>> ListAsync(string? conversionId, string? ruleId) =>
            (await store.Outbox.ListAsync(new OutboxQuery { ConversionId = conversionId, RuleId = ruleId }, None)).Select(m => m.Id);

        (await ListAsync(first.Id, null)).Should().Equal(firstB.Id, firstA.Id);
        (await ListAsync(second.Id, null)).Should().Equal(secondA.Id);
        (await ListAsync(null, ruleA)).Should().Equal(secondA.Id, firstA.Id);
        (await ListAsync(null, ruleB)).Should().Equal(firstB.Id);
        (await ListAsync(first.Id, ruleA)).Should().Equal(firstA.Id);
        (await ListAsync(second.Id, ruleB)).Should().BeEmpty();
        (await ListAsync("conv_" + StoreTestData.NewId(), null)).Should().BeEmpty();
        (await ListAsync(first.Id.ToUpperInvariant(), null)).Should().BeEmpty();
    }

    /// <summary>Paging with <see cref="OutboxQuery.BeforeId"/> visits every match once, and a cursor that does not match still marks its place.</summary>
    [Fact]
    public async Task ListOutboxMessages_BeforeId_PagesThroughTheMatchesAndAcceptsACursorThatDoesNotMatch()
    {
        var store = await NewStorageAsync();
        var t = StoreTestData.Epoch;
        var rule = "rule_" + StoreTestData.NewId();
        var conversion = StoreTestData.Conversion();
        var messages = Enumerable.Range(0, 9)
            .Select(i => ForwardingTestData.Message(conversion.Id, t.AddSeconds(i / 2), ruleId: i % 3 == 0 ? "rule_" + StoreTestData.NewId() : rule))
            .ToArray();
        await StoreAsync(store, conversion, messages);
        var all = NewestFirstMessages(messages);
        var matching = NewestFirstMessages(messages.Where(m => m.RuleId == rule));
        var query = new OutboxQuery { RuleId = rule, Status = OutboxMessageStatus.Pending, Limit = 2 };

        var page1 = await store.Outbox.ListAsync(query, None);
        var page2 = await store.Outbox.ListAsync(query with { BeforeId = page1[^1].Id }, None);
        var page3 = await store.Outbox.ListAsync(query with { BeforeId = page2[^1].Id }, None);
        var page4 = await store.Outbox.ListAsync(query with { BeforeId = page3[^1].Id }, None);

        page1.Concat(page2).Concat(page3).Concat(page4).Select(m => m.Id).Should().Equal(matching);
        (await store.Outbox.ListAsync(query with { BeforeId = matching[^1] }, None)).Should().BeEmpty();
        var cursor = all.First(id => !matching.Contains(id) && id != all[0]);
        var afterCursor = all.SkipWhile(id => id != cursor).Skip(1).Where(matching.Contains).Take(2);
        (await store.Outbox.ListAsync(query with { BeforeId = cursor }, None)).Select(m => m.Id).Should().Equal(afterCursor);
    }

    /// <summary>A cursor naming no message lists nothing.</summary>
    [Fact]
    public async Task ListOutboxMessages_BeforeAnUnknownId_ReturnsEmpty()
    {
        var store = await NewStorageAsync();
        await AppendMessagesAsync(store, StoreTestData.Epoch, StoreTestData.Epoch);

        (await store.Outbox.ListAsync(new OutboxQuery { BeforeId = "msg_" + StoreTestData.NewId() }, None)).Should().BeEmpty();
    }

    /// <summary>The outbox listing returns at most the limit, and refuses a limit outside 1 to <see cref="OutboxQuery.MaxLimit"/>.</summary>
    [Fact]
    public async Task ListOutboxMessages_AppliesTheLimit_AndRejectsALimitOutOfRange()
    {
        var store = await NewStorageAsync();
        var t = StoreTestData.Epoch;
        var messages = await AppendMessagesAsync(store, t, t, t);
        var conversion = StoreTestData.Conversion();
        var newest = ForwardingTestData.Message(conversion.Id, t.AddSeconds(1));
        await StoreAsync(store, conversion, newest);

        (await store.Outbox.ListAsync(new OutboxQuery { Limit = 1 }, None)).Select(m => m.Id).Should().Equal(newest.Id);
        (await store.Outbox.ListAsync(new OutboxQuery { Limit = 1000 }, None)).Should().HaveCount(messages.Length + 1);
        await Calling(() => store.Outbox.ListAsync(new OutboxQuery { Limit = 0 }, None)).Should().ThrowAsync<ArgumentOutOfRangeException>();
        await Calling(() => store.Outbox.ListAsync(new OutboxQuery { Limit = 1001 }, None)).Should().ThrowAsync<ArgumentOutOfRangeException>();
    }

    // ---------------------------------------------------------------- reschedule

    /// <summary>A rescheduled dead letter is pending and due now with a new retry horizon, and keeps its attempts and last error.</summary>
    [Fact]
    public async Task RescheduleOutboxMessage_DeadLetter_BecomesPendingNowWithANewHorizon_KeepsAttemptsAndLastError()
    {
        var store = await NewStorageAsync();
        var t = StoreTestData.Epoch;
        var message = (await AppendMessagesAsync(store, t))[0];
        var leased = (await LeaseAllAsync(store, t, 1))[0];
        var attempt = ForwardingTestData.Refused(message.Id, 1, t);
        await store.Outbox.CompleteAsync([Completion(leased, attempt, OutboxMessageStatus.DeadLettered, t.AddSeconds(2))], None);
        var now = t.AddHours(1).AddTicks(10);

        var retried = await store.Outbox.RescheduleAsync(message.Id, now, None);

        var expected = message with
        {
            Status = OutboxMessageStatus.Pending,
            NextAttemptAt = now,
            RetryFrom = now,
            AttemptCount = 1,
            LastErrorCode = DeliveryErrorCodes.DestinationError,
            LastError = attempt.Reason,
            CompletedAt = null,
        };
        retried.Should().BeEquivalentTo(expected);
        (await store.Outbox.GetAsync(message.Id, None)).Should().BeEquivalentTo(expected);
        (await store.Outbox.ListAttemptsAsync(message.Id, None)).Should().ContainSingle();
        (await store.Outbox.LeaseAsync(ForwardingTestData.Lease(now), None)).Should().ContainSingle().Which.Id.Should().Be(message.Id);
    }

    /// <summary>A rescheduled pending, unleased message is due now and keeps everything else.</summary>
    [Fact]
    public async Task RescheduleOutboxMessage_PendingAndUnleased_IsDueNow_KeepsEverythingElse()
    {
        var store = await NewStorageAsync();
        var t = StoreTestData.Epoch;
        var message = (await AppendMessagesAsync(store, t))[0];
        var leased = (await LeaseAllAsync(store, t, 1))[0];
        var attempt = ForwardingTestData.TimedOut(message.Id, 1, t);
        await store.Outbox.CompleteAsync(
            [Completion(leased, attempt, OutboxMessageStatus.Pending, t.AddSeconds(10), t.AddDays(1))], None);
        var waiting = await store.Outbox.GetAsync(message.Id, None);
        var now = t.AddSeconds(15);

        var retried = await store.Outbox.RescheduleAsync(message.Id, now, None);

        var expected = waiting! with { NextAttemptAt = now };
        retried.Should().BeEquivalentTo(expected);
        retried!.RetryFrom.Should().Be(message.RetryFrom);
        retried.AttemptCount.Should().Be(1);
        (await store.Outbox.GetAsync(message.Id, None)).Should().BeEquivalentTo(expected);
        (await store.Outbox.LeaseAsync(ForwardingTestData.Lease(now), None)).Should().ContainSingle().Which.Id.Should().Be(message.Id);
    }

    /// <summary>A rescheduled pending message under an ended lease is due now.</summary>
    [Fact]
    public async Task RescheduleOutboxMessage_PendingUnderAnEndedLease_IsDueNow()
    {
        var store = await NewStorageAsync();
        var t = StoreTestData.Epoch;
        var message = (await AppendMessagesAsync(store, t))[0];
        await LeaseAllAsync(store, t, 1, TimeSpan.FromSeconds(10));
        var now = t.AddSeconds(10);

        var retried = await store.Outbox.RescheduleAsync(message.Id, now, None);

        retried!.Status.Should().Be(OutboxMessageStatus.Pending);
        retried.NextAttemptAt.Should().Be(now);
        retried.RetryFrom.Should().Be(message.RetryFrom);
        (await store.Outbox.GetAsync(message.Id, None))!.NextAttemptAt.Should().Be(now);
    }

    /// <summary>A message under a live lease is left as it is.</summary>
    [Fact]
    public async Task RescheduleOutboxMessage_UnderALiveLease_IsLeftAsItIs()
    {
        var store = await NewStorageAsync();
        var t = StoreTestData.Epoch;
        var conversion = StoreTestData.Conversion();
        var message = ForwardingTestData.Message(conversion.Id, t.AddSeconds(-5), t);
        await StoreAsync(store, conversion, message);
        var leased = (await LeaseAllAsync(store, t, 1, TimeSpan.FromMinutes(1)))[0];

        var retried = await store.Outbox.RescheduleAsync(message.Id, t.AddSeconds(30), None);

        retried.Should().BeEquivalentTo(leased);
        (await store.Outbox.GetAsync(message.Id, None)).Should().BeEquivalentTo(leased);
    }

    /// <summary>A delivered message is left as it is.</summary>
    [Fact]
    public async Task RescheduleOutboxMessage_Delivered_IsLeftAsItIs()
    {
        var store = await NewStorageAsync();
        var t = StoreTestData.Epoch;
        var message = (await AppendMessagesAsync(store, t))[0];
        var leased = (await LeaseAllAsync(store, t, 1))[0];
        await store.Outbox.CompleteAsync(
            [Completion(leased, ForwardingTestData.Delivered(message.Id, 1, t), OutboxMessageStatus.Delivered, t.AddSeconds(1))], None);
        var delivered = await store.Outbox.GetAsync(message.Id, None);

        var retried = await store.Outbox.RescheduleAsync(message.Id, t.AddHours(1), None);

        retried.Should().BeEquivalentTo(delivered);
        retried!.Status.Should().Be(OutboxMessageStatus.Delivered);
        (await store.Outbox.GetAsync(message.Id, None)).Should().BeEquivalentTo(delivered);
        (await store.Outbox.LeaseAsync(ForwardingTestData.Lease(t.AddHours(1)), None)).Should().BeEmpty();
    }

    /// <summary>Rescheduling an unknown message returns <see langword="null"/>.</summary>
    [Fact]
    public async Task RescheduleOutboxMessage_UnknownId_ReturnsNull()
    {
        var store = await NewStorageAsync();
        await AppendMessagesAsync(store, StoreTestData.Epoch);

        (await store.Outbox.RescheduleAsync("msg_" + StoreTestData.NewId(), StoreTestData.Epoch, None)).Should().BeNull();
        (await store.Outbox.ListAsync(new OutboxQuery(), None)).Should().ContainSingle();
    }

    // ---------------------------------------------------------------- helpers

    private static async Task<OutboxMessage[]> AppendMessagesAsync(PostbackStorage store, params DateTimeOffset[] dueAt)
    {
        var conversion = StoreTestData.Conversion();
        var messages = dueAt.Select(due => ForwardingTestData.Message(conversion.Id, StoreTestData.Epoch.AddDays(-1), due)).ToArray();
        await StoreAsync(store, conversion, messages);
        return messages;
    }

    /// <summary>Leases every due message, expecting exactly <paramref name="count"/>, in id order.</summary>
    private static async Task<OutboxMessage[]> LeaseAllAsync(PostbackStorage store, DateTimeOffset now, int count, TimeSpan? duration = null)
    {
        var leased = await store.Outbox.LeaseAsync(ForwardingTestData.Lease(now, duration, maxCount: 10_000), None);
        leased.Should().HaveCount(count);
        return [.. leased.OrderBy(m => m.Id, StringComparer.Ordinal)];
    }

    private static OutboxCompletion Completion(
        OutboxMessage leased,
        OutboxAttempt attempt,
        OutboxMessageStatus status,
        DateTimeOffset completedAt,
        DateTimeOffset? nextAttemptAt = null) => new()
        {
            LeaseId = leased.LeaseId!,
            Attempt = attempt,
            Status = status,
            CompletedAt = completedAt,
            NextAttemptAt = nextAttemptAt,
        };

    private static async Task ShouldBeUntouchedAsync(PostbackStorage store, IEnumerable<OutboxMessage> leased)
    {
        foreach (var message in leased)
        {
            (await store.Outbox.GetAsync(message.Id, None)).Should().BeEquivalentTo(message);
            (await store.Outbox.ListAttemptsAsync(message.Id, None)).Should().BeEmpty();
        }
    }

    private static string[] NewestFirstMessages(IEnumerable<OutboxMessage> messages) =>
    [
        .. messages
            .OrderByDescending(m => m.CreatedAt)
            .ThenByDescending(m => m.Id, StringComparer.Ordinal)
            .Select(m => m.Id),
    ];
}
