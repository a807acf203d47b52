using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Chatterfy.Postbacks.Tests.Ingestion;

/// <summary>
/// Status postbacks through the ingestor, on a real store: matching, transitions, the status URL, forwarding once at the
/// first approval, and two instances racing. Each store's test project runs these on its store (in-memory and SQLite in
/// Chatterfy.Postbacks.Tests, PostgreSQL in Chatterfy.Postbacks.PostgreSql.Tests, which compiles this file).
/// </summary>
/// <remarks>
/// Forwarding's decisions are the core's: a recording hook gives one outbox message each time the core asks for them,
/// so the outbox shows when a conversion was forwarded.
/// </remarks>
public abstract class StatusIngestionScenarios : IAsyncDisposable
{
    private const int ConcurrentStatusPostbacks = 16;

    private readonly List<ServiceProvider> _providers = [];

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));

    public async ValueTask DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        await DisposeStoreAsync();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task PendingThenApprovedThenChargeback_ChangesTheOneConversion_AndForwardsOnlyAtTheApproval()
    {
        var host = await StartAsync();
        var (set, click) = await ArrangeAsync(host);

        var pending = await host.IngestAsync(set, "first-deposit", $"clickid={click}&amount=25.50&tid=T-1&status=Hold");
        Time.Advance(TimeSpan.FromHours(2));
        var approved = await host.IngestAsync(set, "first-deposit", $"clickid={click}&amount=25.50&tid=T-1&status=confirmed");
        Time.Advance(TimeSpan.FromDays(3));
        var chargeback = await host.IngestAsync(set, "first-deposit", $"clickid={click}&amount=25.50&tid=T-1&status=refund");

        pending.Outcome.Should().Be(PostbackOutcome.Accepted);
        pending.ConversionStatus.Should().Be(ConversionStatus.Pending);
        pending.Warnings.Should().BeEmpty("a first pending postback is the conversion's original");
        approved.Should().Match<PostbackIngestionResult>(r => r.Outcome == PostbackOutcome.Changed && r.ConversionId == pending.ConversionId && r.ConversionStatus == ConversionStatus.Approved);
        chargeback.Should().Match<PostbackIngestionResult>(r => r.Outcome == PostbackOutcome.Changed && r.ConversionId == pending.ConversionId && r.ConversionStatus == ConversionStatus.Chargeback);
        var stored = (await host.Storage.Ingest.GetConversionAsync(pending.ConversionId!, default))!;
        stored.Status.Should().Be(ConversionStatus.Chargeback);
        stored.StatusWord.Should().Be("refund");
        stored.History.Select(h => (h.From, h.To, h.Word, (string?)h.LogEntryId, h.At)).Should().Equal(
            (ConversionStatus.Pending, ConversionStatus.Approved, "confirmed", approved.LogEntryId, Time.GetUtcNow().AddDays(-3)),
            (ConversionStatus.Approved, ConversionStatus.Chargeback, "refund", chargeback.LogEntryId, Time.GetUtcNow()));
        (await host.Storage.Ingest.ListConversionsByClickAsync(click, default)).Should().ContainSingle();
        var log = await host.Storage.Log.ListAsync(new PostbackLogQuery { Limit = 10 }, default);
        log.Select(e => e.Outcome).Should().Equal(PostbackOutcome.Changed, PostbackOutcome.Changed, PostbackOutcome.Accepted);
        log.Should().OnlyContain(e => e.ConversionId == pending.ConversionId);
        var message = (await MessagesAsync(host)).Should().ContainSingle("only the approval is forwarded").Subject;
        message.ConversionId.Should().Be(pending.ConversionId);
        message.HistoryEntryId.Should().Be(stored.History[0].Id, "the message records the history entry it forwards");
    }

    [Fact]
    public async Task PendingThenApprovedThenChargeback_RulesWithStatusesForwardEachEntryIntoTheirStatuses()
    {
        var host = await StartAsync(new OneMessageHook(
            Time,
            ("first-approval", ForwardingRuleFilter.None),
            ("chargebacks", new ForwardingRuleFilter { Statuses = [ConversionStatusNames.Chargeback] }),
            ("every-step", new ForwardingRuleFilter { Statuses = [ConversionStatusNames.Pending, ConversionStatusNames.Approved, ConversionStatusNames.Chargeback] })));
        var (set, click) = await ArrangeAsync(host);

        var pending = await host.IngestAsync(set, "first-deposit", $"clickid={click}&amount=25.50&tid=T-1&status=hold");
        await host.IngestAsync(set, "first-deposit", $"clickid={click}&amount=25.50&tid=T-1&status=approved");
        await host.IngestAsync(set, "first-deposit", $"clickid={click}&amount=25.50&tid=T-1&status=chargeback");

        var history = (await host.Storage.Ingest.GetConversionAsync(pending.ConversionId!, default))!.History;
        (await MessagesAsync(host)).Select(m => Entry(m, history)).Should().BeEquivalentTo(
            "first-approval: approved", "chargebacks: chargeback", "every-step: created", "every-step: approved", "every-step: chargeback");
    }

    [Fact]
    public async Task ApprovedThenRejectedThenApprovedAgain_ARuleWithApprovedForwardsEachApproval()
    {
        var host = await StartAsync(new OneMessageHook(
            Time,
            ("first-approval", ForwardingRuleFilter.None),
            ("approvals", new ForwardingRuleFilter { Statuses = [ConversionStatusNames.Approved] })));
        var (set, click) = await ArrangeAsync(host);

        var first = await host.IngestAsync(set, "first-deposit", $"clickid={click}&amount=25.50");
        await host.IngestAsync(set, "first-deposit", $"clickid={click}&amount=25.50&status=rejected");
        await host.IngestAsync(set, "first-deposit", $"clickid={click}&amount=25.50&status=approved");

        var history = (await host.Storage.Ingest.GetConversionAsync(first.ConversionId!, default))!.History;
        (await MessagesAsync(host)).Select(m => Entry(m, history)).Should().BeEquivalentTo(
            "first-approval: created", "approvals: created", "approvals: approved");
    }

    [Fact]
    public async Task AFirstApprovalOfAPendingDeposit_WritesOnlyTheMessagesWhoseDepositNumberRangeHoldsItsNumber()
    {
        var host = await StartAsync(new RangedMessagesHook(Time));
        var (set, click) = await ArrangeAsync(host);

        var first = await host.IngestAsync(set, "first-deposit", $"clickid={click}&amount=10.00&tid=F-1");
        var pending = await host.IngestAsync(set, "deposit", $"clickid={click}&amount=20.00&tid=D-1&status=hold");
        var approved = await host.IngestAsync(set, "deposit", $"clickid={click}&amount=20.00&tid=D-1&status=approved");

        pending.DepositNumber.Should().Be(2);
        approved.Outcome.Should().Be(PostbackOutcome.Changed);
        var messages = await MessagesAsync(host);
        messages.Where(m => m.ConversionId == first.ConversionId).Select(m => m.RuleId).Should().Equal(["first"], "the first deposit is number 1");
        messages.Where(m => m.ConversionId == pending.ConversionId).Select(m => m.RuleId).Should().Equal(
            ["second"], "the approval forwards deposit number 2 only to the rule whose range holds 2");
    }

    [Fact]
    public async Task ApprovedThenRejectedThenApprovedAgain_IsForwardedOnlyWhenFirstStored()
    {
        var host = await StartAsync();
        var (set, click) = await ArrangeAsync(host);

        var first = await host.IngestAsync(set, "first-deposit", $"clickid={click}&amount=25.50");
        var rejected = await host.IngestAsync(set, "first-deposit", $"clickid={click}&amount=25.50&cnv_status=declined");
        var again = await host.IngestAsync(set, "first-deposit", $"clickid={click}&amount=25.50&conv_status=approved");

        first.ConversionStatus.Should().Be(ConversionStatus.Approved);
        rejected.Outcome.Should().Be(PostbackOutcome.Changed);
        again.Outcome.Should().Be(PostbackOutcome.Changed);
        again.ConversionStatus.Should().Be(ConversionStatus.Approved);
        (await MessagesAsync(host)).Should().ContainSingle("a later approval of a conversion that was approved sends nothing again")
            .Which.HistoryEntryId.Should().BeNull("it was written with the new conversion");
    }

    [Fact]
    public async Task TheSameStatusAgainOrATransitionNotInTheList_IsADuplicateWithStatusTransitionIgnored_AndChangesNothing()
    {
        var host = await StartAsync();
        var (set, click) = await ArrangeAsync(host);
        var stored = await host.IngestAsync(set, "registration", $"clickid={click}&status=approved");

        Time.Advance(TimeSpan.FromMinutes(1));
        var same = await host.IngestAsync(set, "registration", $"clickid={click}&status=paid");
        Time.Advance(TimeSpan.FromMinutes(1));
        var backwards = await host.IngestAsync(set, "registration", $"clickid={click}&status=pending");
        Time.Advance(TimeSpan.FromMinutes(1));
        var withoutStatus = await host.IngestAsync(set, "registration", $"clickid={click}");

        foreach (var ignored in new[] { same, backwards })
        {
            ignored.Outcome.Should().Be(PostbackOutcome.Duplicate);
            ignored.ConversionId.Should().Be(stored.ConversionId);
            ignored.ConversionStatus.Should().Be(ConversionStatus.Approved);
            ignored.Warnings.Select(w => w.Code).Should().Equal(PostbackWarningCodes.StatusTransitionIgnored);
        }

        withoutStatus.Outcome.Should().Be(PostbackOutcome.Duplicate, "a postback without a status is a duplicate, as before statuses");
        withoutStatus.Warnings.Should().BeEmpty();
        var conversion = (await host.Storage.Ingest.GetConversionAsync(stored.ConversionId!, default))!;
        conversion.Status.Should().Be(ConversionStatus.Approved);
        conversion.History.Should().BeEmpty();
        var log = await host.Storage.Log.ListAsync(new PostbackLogQuery { Limit = 10 }, default);
        log.Select(e => e.Outcome).Should().Equal(PostbackOutcome.Duplicate, PostbackOutcome.Duplicate, PostbackOutcome.Duplicate, PostbackOutcome.Accepted);
        log[1].Warnings.Should().Equal(PostbackWarningCodes.StatusTransitionIgnored);
    }

    [Fact]
    public async Task AStatusPostbackThatMatchesNothing_IsANewConversionInThatStatus_WithStatusWithoutOriginal_NotForwarded()
    {
        var host = await StartAsync();
        var (set, click) = await ArrangeAsync(host);

        var result = await host.IngestAsync(set, "deposit", $"clickid={click}&amount=10&tid=D-9&status=chargeback");

        result.Outcome.Should().Be(PostbackOutcome.Accepted);
        result.ConversionStatus.Should().Be(ConversionStatus.Chargeback);
        result.Warnings.Select(w => w.Code).Should().Equal(PostbackWarningCodes.StatusWithoutOriginal);
        (await host.Storage.Ingest.GetConversionAsync(result.ConversionId!, default))!.Status.Should().Be(ConversionStatus.Chargeback);
        (await MessagesAsync(host)).Should().BeEmpty();
    }

    [Fact]
    public async Task ARejectionWithATransactionId_MatchesTheClicksDepositWithThatTransactionId_WhateverEventItNames()
    {
        var host = await StartAsync();
        var (set, click) = await ArrangeAsync(host);
        var first = await host.IngestAsync(set, "first-deposit", $"clickid={click}&amount=50&tid=F-1");
        Time.Advance(TimeSpan.FromMinutes(1));
        var repeat = await host.IngestAsync(set, "deposit", $"clickid={click}&amount=20&tid=D-2");

        var chargeback = await host.IngestAsync(set, "deposit", $"clickid={click}&amount=50&tid=F-1&status=chargeback");
        var rejected = await host.IngestAsync(set, "registration", $"clickid={click}&tid=D-2&status=rejected");
        var pendingOfFirst = await host.IngestAsync(set, "first-deposit", $"clickid={click}&amount=50&tid=OTHER&status=pending");

        chargeback.Should().Match<PostbackIngestionResult>(r => r.Outcome == PostbackOutcome.Changed && r.ConversionId == first.ConversionId);
        rejected.Should().Match<PostbackIngestionResult>(r => r.Outcome == PostbackOutcome.Changed && r.ConversionId == repeat.ConversionId);
        pendingOfFirst.ConversionId.Should().Be(first.ConversionId, "a first deposit is matched by (set, event, click), whatever its transaction id");
        pendingOfFirst.Outcome.Should().Be(PostbackOutcome.Duplicate, "chargeback to pending is not a transition");
        (await host.Storage.Ingest.ListConversionsByClickAsync(click, default)).Select(c => c.Status).Should().Equal(ConversionStatus.Chargeback, ConversionStatus.Rejected);
    }

    [Fact]
    public async Task TheStatusUrl_ChangesTheConversionWithTheTransactionId_OrTheClicksOnlyPendingOne()
    {
        var host = await StartAsync();
        var (set, click) = await ArrangeAsync(host);
        var registration = await host.IngestAsync(set, "registration", $"clickid={click}&status=pending");
        var deposit = await host.IngestAsync(set, "deposit", $"clickid={click}&amount=20&tid=D-2&status=hold");

        var byTransaction = await host.IngestAsync(set, "status", $"clickid={click}&tid=D-2&status=approved");
        var onlyPending = await host.IngestAsync(set, null, $"clickid={click}&goal_status=approved");

        byTransaction.Should().Match<PostbackIngestionResult>(r => r.Outcome == PostbackOutcome.Changed && r.ConversionId == deposit.ConversionId);
        onlyPending.Should().Match<PostbackIngestionResult>(r => r.Outcome == PostbackOutcome.Changed && r.ConversionId == registration.ConversionId,
            "the bare URL with a status and no event is the status URL");
        (await host.Storage.Ingest.ListConversionsByClickAsync(click, default)).Should().HaveCount(2).And.OnlyContain(c => c.Status == ConversionStatus.Approved);
    }

    [Fact]
    public async Task TheStatusUrl_WithNoneOrSeveralTargets_IsRejectedWithStatusTargetUnknown_AndLogged()
    {
        var host = await StartAsync();
        var (set, click) = await ArrangeAsync(host);
        await host.IngestAsync(set, "registration", $"clickid={click}&status=pending");
        await host.IngestAsync(set, "deposit", $"clickid={click}&amount=20&tid=D-2&status=pending");

        var several = await host.IngestAsync(set, "status", $"clickid={click}&status=approved");
        var none = await host.IngestAsync(set, "status", $"clickid={click}&tid=NOPE&status=approved");
        var noStatus = await host.IngestAsync(set, "status", $"clickid={click}&tid=D-2");

        several.Rejection!.Code.Should().Be(PostbackRejectionCodes.StatusTargetUnknown);
        none.Rejection!.Code.Should().Be(PostbackRejectionCodes.StatusTargetUnknown);
        noStatus.Outcome.Should().Be(PostbackOutcome.Rejected);
        noStatus.Rejection!.Field.Should().Be("status");
        var rejected = await host.Storage.Log.ListAsync(new PostbackLogQuery { Outcome = PostbackOutcome.Rejected }, default);
        rejected.Should().HaveCount(3);
        rejected.Count(e => e.Code == PostbackRejectionCodes.StatusTargetUnknown).Should().Be(2);
        (await host.Storage.Ingest.ListConversionsByClickAsync(click, default)).Should().OnlyContain(c => c.Status == ConversionStatus.Pending);
    }

    [Fact]
    public async Task ConcurrentApprovalsOfOnePendingConversionOnTwoInstances_ChangeItOnce_WithOneHistoryEntryAndOneMessage()
    {
        var first = await StartAsync();
        var second = await StartAsync();
        var (set, click) = await ArrangeAsync(first);
        var pending = await first.IngestAsync(set, "first-deposit", $"clickid={click}&amount=25.50&tid=T-1&status=pending");
        var hosts = new[] { first, second };
        using var go = new ManualResetEventSlim();

        var ingests = Enumerable.Range(0, ConcurrentStatusPostbacks).Select(i => Task.Run(async () =>
        {
            go.Wait();
            return await hosts[i % 2].IngestAsync(set, "first-deposit", $"clickid={click}&amount=25.50&tid=T-1&status=approved");
        })).ToArray();
        go.Set();
        var results = await Task.WhenAll(ingests).WaitAsync(TimeSpan.FromMinutes(2));

        results.Count(r => r.Outcome == PostbackOutcome.Changed).Should().Be(1);
        results.Where(r => r.Outcome != PostbackOutcome.Changed).Should().OnlyContain(r =>
            r.Outcome == PostbackOutcome.Duplicate && r.Warnings.Single().Code == PostbackWarningCodes.StatusTransitionIgnored);
        results.Should().OnlyContain(r => r.ConversionId == pending.ConversionId);
        var stored = (await second.Storage.Ingest.GetConversionAsync(pending.ConversionId!, default))!;
        stored.Status.Should().Be(ConversionStatus.Approved);
        stored.History.Should().ContainSingle();
        (await MessagesAsync(first)).Should().ContainSingle();
        (await first.Storage.Log.ListAsync(new PostbackLogQuery { Outcome = PostbackOutcome.Changed }, default)).Should().ContainSingle();
    }

    [Fact]
    public async Task ConcurrentStatusPostbacksWithoutAnOriginalOnTwoInstances_StoreOneConversion_AndTheOthersAreDecidedAgainstIt()
    {
        var first = await StartAsync();
        var second = await StartAsync();
        var (set, click) = await ArrangeAsync(first);
        var hosts = new[] { first, second };
        using var go = new ManualResetEventSlim();

        // Half say pending, half approved: whichever is stored first, an approval changes a pending one once.
        var ingests = Enumerable.Range(0, ConcurrentStatusPostbacks).Select(i => Task.Run(async () =>
        {
            go.Wait();
            return await hosts[i % 2].IngestAsync(set, "registration", $"clickid={click}&status={(i % 4 < 2 ? "pending" : "approved")}");
        })).ToArray();
        go.Set();
        var results = await Task.WhenAll(ingests).WaitAsync(TimeSpan.FromMinutes(2));

        results.Count(r => r.Outcome == PostbackOutcome.Accepted).Should().Be(1);
        results.Select(r => r.ConversionId).Distinct().Should().ContainSingle();
        var stored = (await first.Storage.Ingest.ListConversionsByClickAsync(click, default)).Should().ContainSingle().Subject;
        stored.Status.Should().Be(ConversionStatus.Approved, "an approval either came first or changed the pending one");
        results.Count(r => r.Outcome == PostbackOutcome.Changed).Should().Be(stored.History.Count).And.BeLessThanOrEqualTo(1);
        (await first.Storage.Log.ListAsync(new PostbackLogQuery { Limit = 100 }, default)).Should().HaveCount(ConcurrentStatusPostbacks);
    }

    [Fact]
    public async Task ARemapAfterTheMapNamesAnUnknownWord_ChangesTheConversionOnce_WithAHistoryEntryAndARemapLogEntry_AndForwardsIt()
    {
        var host = await StartAsync();
        var (set, click) = await ArrangeAsync(host);
        var unknown = await host.IngestAsync(set, "first-deposit", $"clickid={click}&amount=10&tid=T-1&status=Won");
        await host.Storage.Sets.UpdateAsync(set with { StatusMap = Map("Won") }, default);
        Time.Advance(TimeSpan.FromHours(1));

        var remapped = await host.RemapAsync(set);
        var again = await host.RemapAsync(set);

        remapped.Should().Be(1);
        again.Should().Be(0);
        (await host.Services.GetRequiredService<PostbackIngestor>().RemapStatusesAsync("set_unknown")).Should().BeNull();
        var stored = (await host.Storage.Ingest.GetConversionAsync(unknown.ConversionId!, default))!;
        stored.Should().Match<ConversionRecord>(c => c.Status == ConversionStatus.Approved && !c.StatusWordUnknown && c.StatusWord == "Won");
        var change = stored.History.Should().ContainSingle().Subject;
        change.Should().Match<ConversionStatusChange>(h => h.From == ConversionStatus.Pending && h.To == ConversionStatus.Approved && h.Word == "Won" && h.At == Time.GetUtcNow());
        var log = (await host.Storage.Log.ListAsync(new PostbackLogQuery { Limit = 10 }, default))[0];
        log.Should().Match<PostbackLogEntry>(e => e.Id == change.LogEntryId && e.Outcome == PostbackOutcome.Changed && e.Request.Method == PostbackRequest.RemapMethod);
        (await MessagesAsync(host)).Should().ContainSingle("the remap is the first approval").Which.HistoryEntryId.Should().Be(change.Id);
    }

    [Fact]
    public async Task ConcurrentRemapsOnTwoInstancesAndAStatusPostback_ChangeTheConversionOnce()
    {
        var first = await StartAsync();
        var second = await StartAsync();
        var (set, click) = await ArrangeAsync(first);
        var unknown = await first.IngestAsync(set, "first-deposit", $"clickid={click}&amount=10&tid=T-1&status=Won");
        await first.Storage.Sets.UpdateAsync(set with { StatusMap = Map("Won") }, default);
        using var go = new ManualResetEventSlim();

        var remaps = Enumerable.Range(0, 4).Select(i => Task.Run(async () => { go.Wait(); return await (i % 2 == 0 ? first : second).RemapAsync(set); })).ToArray();
        var postback = Task.Run(async () => { go.Wait(); return await second.IngestAsync(set, "first-deposit", $"clickid={click}&amount=10&tid=T-1&status=approved"); });
        go.Set();
        var counts = await Task.WhenAll(remaps).WaitAsync(TimeSpan.FromMinutes(2));
        var changed = await postback.WaitAsync(TimeSpan.FromMinutes(2));

        var stored = (await first.Storage.Ingest.GetConversionAsync(unknown.ConversionId!, default))!;
        stored.Status.Should().Be(ConversionStatus.Approved);
        stored.History.Should().ContainSingle("one change wins");
        (counts.Sum() + (changed.Outcome == PostbackOutcome.Changed ? 1 : 0)).Should().Be(1);
        (await MessagesAsync(first)).Should().ContainSingle();
    }

    private static ConversionStatusMap Map(string approvedWord)
    {
        ConversionStatusMap.TryCreate(new Dictionary<ConversionStatus, IReadOnlyList<string>> { [ConversionStatus.Approved] = [approvedWord, "approved"], [ConversionStatus.Pending] = ["pending"] }, out var map, out var error)
            .Should().BeTrue(error);
        return map!;
    }

    /// <summary>Configures the store of one instance; every call for one test uses the same database.</summary>
    /// <param name="builder">The SDK's builder.</param>
    protected abstract void UseStore(IChatterfyPostbacksBuilder builder);

    /// <summary>Prepares the store of a new instance (creates or migrates the database).</summary>
    /// <param name="services">The instance's services.</param>
    /// <returns>A task.</returns>
    protected virtual Task InitializeStoreAsync(IServiceProvider services) => Task.CompletedTask;

    /// <summary>Deletes the test's database.</summary>
    /// <returns>A task.</returns>
    protected virtual ValueTask DisposeStoreAsync() => ValueTask.CompletedTask;

    // "rule: created" for a message written with the new conversion, else "rule: <the status its history entry moved to>".
    private static string Entry(OutboxMessage message, IReadOnlyList<ConversionStatusChange> history) =>
        $"{message.RuleId}: {(message.HistoryEntryId is null ? "created" : ConversionStatusNames.Name(history.Single(h => h.Id == message.HistoryEntryId).To))}";

    private static async Task<IReadOnlyList<OutboxMessage>> MessagesAsync(Host host) =>
        await host.Storage.Outbox.ListAsync(new OutboxQuery(), default);

    private static async Task<(PostbackSet Set, string ClickId)> ArrangeAsync(Host host)
    {
        var set = await host.Services.GetRequiredService<PostbackSetService>().CreateAsync(new NewPostbackSet { Name = "Network", NetworkId = "1win" });
        var click = await host.Services.GetRequiredService<ClickService>().CreateAsync(new NewClick { CampaignId = "camp-1" });
        return (set, click.Id);
    }

    private async Task<Host> StartAsync(IngestionHook? hook = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton(hook ?? new OneMessageHook(Time));
        UseStore(services.AddChatterfyPostbacks(o => o.PublicBaseUrl = "https://pb.example.com"));
        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        await InitializeStoreAsync(provider);
        return new Host(provider);
    }

    private sealed class Host(IServiceProvider services)
    {
        public IServiceProvider Services => services;

        public PostbackStorage Storage => services.GetRequiredService<PostbackStorage>();

        public async Task<int?> RemapAsync(PostbackSet set) =>
            await services.GetRequiredService<PostbackIngestor>().RemapStatusesAsync(set.Id);

        public async Task<PostbackIngestionResult> IngestAsync(PostbackSet set, string? eventSegment, string query) =>
            await services.GetRequiredService<PostbackIngestor>().IngestAsync(set.Token, new PostbackRequest { EventSegment = eventSegment, QueryString = "?" + query });
    }

    // One message per rule whose filter forwards this entry into the status, as forwarding's hook decides with the core's
    // ForwardingRuleFilter: the outbox records every forwarding decision. The default is one rule without a filter.
    private sealed class OneMessageHook(TimeProvider time, params (string RuleId, ForwardingRuleFilter Filter)[] rules) : IngestionHook
    {
        public OneMessageHook(TimeProvider time)
            : this(time, ("rule-1", ForwardingRuleFilter.None))
        {
        }

        public override ValueTask<IReadOnlyList<OutboxMessage>> CreateOutboxMessagesAsync(PostbackSet postbackSet, ConversionRecord conversion, CancellationToken cancellationToken)
        {
            var now = time.GetUtcNow();
            return new([.. rules.Where(rule => rule.Filter.MatchesStatus(conversion)).Select(rule => new OutboxMessage
            {
                Id = Guid.NewGuid().ToString("N"),
                ConversionId = conversion.Id,
                RuleId = rule.RuleId,
                DestinationId = "postback",
                CreatedAt = now,
                NextAttemptAt = now,
                RetryFrom = now,
            })]);
        }
    }

    // Three rules by deposit number (1, 2, 3), as the core makes them for rules with a depositNumber filter.
    private sealed class RangedMessagesHook(TimeProvider time) : IngestionHook
    {
        public override ValueTask<IReadOnlyList<OutboxMessage>> CreateOutboxMessagesAsync(PostbackSet postbackSet, ConversionRecord conversion, CancellationToken cancellationToken)
        {
            if (!ForwardingRuleFilter.None.MatchesStatus(conversion))
            {
                return new(Array.Empty<OutboxMessage>());
            }

            var now = time.GetUtcNow();
            return new([.. new[] { ("first", 1), ("second", 2), ("third", 3) }.Select(rule => new OutboxMessage
            {
                Id = Guid.NewGuid().ToString("N"),
                ConversionId = conversion.Id,
                RuleId = rule.Item1,
                DestinationId = "postback",
                CreatedAt = now,
                NextAttemptAt = now,
                RetryFrom = now,
                DepositNumberCondition = new DepositNumberRange { Min = rule.Item2, Max = rule.Item2 },
            })]);
        }
    }
}
