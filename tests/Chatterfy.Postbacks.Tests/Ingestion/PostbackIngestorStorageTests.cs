using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Storage;
using Chatterfy.Postbacks.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Chatterfy.Postbacks.Tests.Ingestion;

/// <summary>How ingestion uses the store: batched appends, the click cache, and the ingestion hooks.</summary>
public sealed class PostbackIngestorStorageTests
{
    [Fact]
    public async Task Ingest_TwentyIdenticalPostbacksWhileACommitRuns_AreAppendedInBatchesAndCountOnce()
    {
        var inner = InMemoryPostbackStorage.Create();
        var store = new RecordingIngestStore(inner.Ingest, preferredBatchSize: 8);
        var storage = store.Around(inner);
        using var services = new TestServices(build: b => b.UseStorage(_ => storage));
        var (set, click) = await ArrangeAsync(services);
        var hold = store.HoldNextCall();

        var first = services.Ingestor.IngestAsync(set.Token, FirstDeposit(click.Id)).AsTask();
        var retries = Enumerable.Range(0, 19).Select(_ => services.Ingestor.IngestAsync(set.Token, FirstDeposit(click.Id)).AsTask()).ToList();
        hold.SetResult();
        var results = await Task.WhenAll(retries.Prepend(first));

        store.Batches.Should().Equal(1, 8, 8, 3);
        results[0].Outcome.Should().Be(PostbackOutcome.Accepted);
        results.Skip(1).Should().OnlyContain(r => r.Outcome == PostbackOutcome.Duplicate && r.ConversionId == results[0].ConversionId);
        var log = await storage.Log.ListAsync(new PostbackLogQuery { Limit = 100 }, default);
        log.Should().HaveCount(20);
        log.Count(e => e.Outcome == PostbackOutcome.Duplicate && e.ConversionId == results[0].ConversionId).Should().Be(19);
    }

    [Fact]
    public async Task Ingest_ClickCreatedOnThisInstance_IsAttributedWithoutReadingItFromTheStore()
    {
        var inner = InMemoryPostbackStorage.Create();
        var clicks = new CountingClickStore(inner.Clicks);
        using var services = new TestServices(build: b => b.UseStorage(_ => clicks.Around(inner)));
        var (set, click) = await ArrangeAsync(services);

        var first = await services.Ingestor.IngestAsync(set.Token, FirstDeposit(click.Id));
        var second = await services.Ingestor.IngestAsync(set.Token, Registration(click.Id));

        first.Outcome.Should().Be(PostbackOutcome.Accepted);
        second.Outcome.Should().Be(PostbackOutcome.Accepted);
        clicks.Finds.Should().Be(0);
    }

    [Fact]
    public async Task Ingest_ClickCreatedOnAnotherInstance_IsReadOnceFromTheStoreThenFromMemory()
    {
        var shared = InMemoryPostbackStorage.Create();
        var clicks = new CountingClickStore(shared.Clicks);
        using var a = new TestServices(sharedStore: shared);
        using var b = new TestServices(build: builder => builder.UseStorage(_ => clicks.Around(shared)), sharedTime: a.Time);
        var (set, click) = await ArrangeAsync(a);

        var first = await b.Ingestor.IngestAsync(set.Token, FirstDeposit(click.Id));
        var second = await b.Ingestor.IngestAsync(set.Token, Registration(click.Id));

        first.Outcome.Should().Be(PostbackOutcome.Accepted);
        second.Outcome.Should().Be(PostbackOutcome.Accepted);
        clicks.Finds.Should().Be(1);
    }

    [Fact]
    public async Task Ingest_UnknownClickThenCreatedOnAnotherInstance_TheNextPostbackIsCredited()
    {
        var shared = InMemoryPostbackStorage.Create();
        using var a = new TestServices(sharedStore: shared);
        using var b = new TestServices(sharedStore: shared, sharedTime: a.Time);
        var set = await a.Sets.CreateAsync(new NewPostbackSet { Name = "1Win", NetworkId = "1win" });
        var click = a.Clicks.Mint(new NewClick { CampaignId = "camp-1" });

        var before = await b.Ingestor.IngestAsync(set.Token, Registration(click.Id));
        await a.Clicks.AddAsync(click);
        var after = await b.Ingestor.IngestAsync(set.Token, FirstDeposit(click.Id));

        before.Outcome.Should().Be(PostbackOutcome.Unattributed);
        after.Outcome.Should().Be(PostbackOutcome.Accepted, "an unknown click is never remembered as unknown");
        (await b.Store.Ingest.GetConversionAsync(before.ConversionId!, default))!.Attribution
            .Should().Be(ConversionAttribution.Credited, "the click credited the conversion that waited for it");
    }

    [Fact]
    public async Task ClickCache_MoreClicksThanTwoGenerationsHold_ForgetsTheOldestAndReadsItAgain()
    {
        var clicks = new CountingClickStore(InMemoryPostbackStorage.Create().Clicks);
        var cache = new ClickCache(clicks);
        var oldest = Click("c-oldest");
        await clicks.AddAsync(oldest, ClickService.CreditFor(oldest), default);
        cache.Remember(oldest);
        (await cache.FindAsync(oldest.Id, default)).Should().NotBeNull();
        for (var i = 0; i < 2 * ClickCache.GenerationSize; i++)
        {
            cache.Remember(Click("c" + i));
        }

        var found = await cache.FindAsync(oldest.Id, default);

        found.Should().Be(CachedClick.Of(oldest));
        clicks.Finds.Should().Be(1, "the oldest click fell out of both generations");
    }

    [Fact]
    public async Task Ingest_WithTwoHooks_WritesTheirMessagesWithTheConversionAndTellsEachOnceStored_ButNotForADuplicate()
    {
        var one = new RecordingHook("rule-one");
        var two = new RecordingHook("rule-two");
        using var services = new TestServices(build: b =>
        {
            // Two instances of one type: TryAddEnumerable would keep only the first.
            b.Services.AddSingleton<IngestionHook>(one);
            b.Services.AddSingleton<IngestionHook>(two);
        });
        var (set, click) = await ArrangeAsync(services);

        var stored = await services.Ingestor.IngestAsync(set.Token, FirstDeposit(click.Id));
        var duplicate = await services.Ingestor.IngestAsync(set.Token, FirstDeposit(click.Id));

        stored.Outcome.Should().Be(PostbackOutcome.Accepted);
        duplicate.Outcome.Should().Be(PostbackOutcome.Duplicate);
        var messages = await services.Store.Outbox.ListAsync(new OutboxQuery { ConversionId = stored.ConversionId }, default);
        messages.Select(m => m.RuleId).Should().BeEquivalentTo("rule-one", "rule-two");
        one.Asked.Should().Be(2, "every valid postback is asked before the store tells duplicates apart");
        one.Stored.Should().ContainSingle().Which.Should().Equal(messages.Where(m => m.RuleId == "rule-one"));
        two.Stored.Should().ContainSingle().Which.Should().Equal(messages.Where(m => m.RuleId == "rule-two"));
    }

    [Fact]
    public async Task Ingest_HookThrows_NothingIsWrittenAndTheErrorReachesTheCaller()
    {
        var failing = new RecordingHook("rule") { Failure = new InvalidOperationException("hook failed") };
        using var services = new TestServices(build: b => b.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IngestionHook>(failing)));
        var (set, click) = await ArrangeAsync(services);

        await FluentActions.Awaiting(async () => await services.Ingestor.IngestAsync(set.Token, FirstDeposit(click.Id)))
            .Should().ThrowAsync<InvalidOperationException>().WithMessage("hook failed");

        (await services.Store.Log.ListAsync(new PostbackLogQuery(), default)).Should().BeEmpty();
        (await services.Store.Ingest.ListConversionsByClickAsync(click.Id, default)).Should().BeEmpty();
    }

    private static Click Click(string id) => new() { Id = id, CampaignId = "camp-1", CreatedAt = TestServices.Start };

    private static async Task<(PostbackSet Set, Click Click)> ArrangeAsync(TestServices services)
    {
        var set = await services.Sets.CreateAsync(new NewPostbackSet { Name = "1Win", NetworkId = "1win" });
        var click = await services.Clicks.CreateAsync(new NewClick { CampaignId = "camp-1" });
        return (set, click);
    }

    private static PostbackRequest FirstDeposit(string clickId) => new()
    {
        EventSegment = "first-deposit",
        QueryString = $"?clickid={clickId}&amount=10&tid=t1",
    };

    private static PostbackRequest Registration(string clickId) => new()
    {
        EventSegment = "registration",
        QueryString = $"?clickid={clickId}",
    };

    /// <summary>A hook that gives one message per conversion for its rule, and records what it is told.</summary>
    private sealed class RecordingHook(string ruleId) : IngestionHook
    {
        private int _asked;

        public int Asked => _asked;

        public List<IReadOnlyList<OutboxMessage>> Stored { get; } = [];

        public Exception? Failure { get; init; }

        public override ValueTask<IReadOnlyList<OutboxMessage>> CreateOutboxMessagesAsync(PostbackSet postbackSet, ConversionRecord conversion, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _asked);
            if (Failure is not null)
            {
                throw Failure;
            }

            IReadOnlyList<OutboxMessage> messages =
            [
                new OutboxMessage
                {
                    Id = Guid.NewGuid().ToString("N"),
                    ConversionId = conversion.Id,
                    RuleId = ruleId,
                    DestinationId = "http-postback",
                    CreatedAt = TestServices.Start,
                    NextAttemptAt = TestServices.Start,
                    RetryFrom = TestServices.Start,
                },
            ];
            return new(messages);
        }

        public override void OnStored(ConversionRecord conversion, IReadOnlyList<OutboxMessage> outboxMessages) => Stored.Add(outboxMessages);
    }
}
