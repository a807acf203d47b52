using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Ingestion;

namespace Chatterfy.Postbacks.Storage.Conformance;

// ClickStore.BindSubjectAsync: one click per (subject, campaign), the first binding wins, race-free across instances.
public abstract partial class PostbackStorageConformanceTests
{
    private const int ConcurrentBinders = 16;

    /// <summary>
    /// Opens another instance of the store over the database of the last <see cref="CreateStorageAsync"/> call, as a
    /// second host process would, for the tests that race two instances. The default returns <paramref name="storage"/>
    /// itself: override it when instances of the store can share a database (a file, a server).
    /// </summary>
    /// <param name="storage">The store <see cref="CreateStorageAsync"/> created.</param>
    /// <param name="timeProvider">The store's clock (<see cref="Clock"/>).</param>
    /// <returns>The second instance.</returns>
    protected virtual ValueTask<PostbackStorage> OpenSecondInstanceAsync(PostbackStorage storage, TimeProvider timeProvider) => ValueTask.FromResult(storage);

    /// <summary>With no binding and no click of the subject, the new click is added and bound; a second call returns that binding unchanged and adds nothing.</summary>
    [Fact]
    public async Task BindSubject_NothingToBind_AddsTheNewClickThenReturnsItsBindingUnchanged()
    {
        var store = await NewStorageAsync();
        var subject = "tg:" + StoreTestData.NewId()[..9];
        var first = NewSubjectClick(subject, "camp-1");
        var second = NewSubjectClick(subject, "camp-1");

        var made = await store.Clicks.BindSubjectAsync(Binding(subject, "camp-1", newClick: first), None);
        var again = await store.Clicks.BindSubjectAsync(Binding(subject, "camp-1", newClick: second, at: StoreTestData.Epoch.AddHours(1)), None);

        made.Should().BeEquivalentTo(new SubjectBinding { SubjectId = subject, CampaignId = "camp-1", Click = first, BoundAt = StoreTestData.Epoch, IsNew = true, ClickCreated = true });
        again.Should().BeEquivalentTo(made! with { IsNew = false, ClickCreated = false });
        (await store.Clicks.FindAsync(first.Id, None)).Should().BeEquivalentTo(first);
        (await store.Clicks.FindAsync(second.Id, None)).Should().BeNull("a binding existed, so the second click was not added");
    }

    /// <summary>With no binding, the oldest stored click carrying the subject and the campaign is bound, not a new one nor one of another campaign.</summary>
    [Fact]
    public async Task BindSubject_ClicksCarryTheSubject_BindsTheOldestOfTheCampaign()
    {
        var store = await NewStorageAsync();
        var subject = "tg:" + StoreTestData.NewId()[..9];
        var older = StoreTestData.Click(StoreTestData.Epoch.AddDays(-2), "camp-1") with { SubjectId = subject };
        var newer = StoreTestData.Click(StoreTestData.Epoch.AddDays(-1), "camp-1") with { SubjectId = subject };
        var otherCampaign = StoreTestData.Click(StoreTestData.Epoch.AddDays(-3), "camp-2") with { SubjectId = subject };
        await AddClickAsync(store, newer);
        await AddClickAsync(store, older);
        await AddClickAsync(store, otherCampaign);
        var candidate = NewSubjectClick(subject, "camp-1");

        var binding = await store.Clicks.BindSubjectAsync(Binding(subject, "camp-1", newClick: candidate), None);

        binding!.Click.Should().BeEquivalentTo(older);
        binding.IsNew.Should().BeTrue();
        binding.ClickCreated.Should().BeFalse();
        (await store.Clicks.FindAsync(candidate.Id, None)).Should().BeNull();
    }

    /// <summary>
    /// A named click (a Telegram <c>/start</c> payload's) is bound and gets the subject, keeping its fbclid, cookies, IP
    /// address and user agent; a later binding with another click returns the first binding unchanged.
    /// </summary>
    [Fact]
    public async Task BindSubject_WithClickId_BindsThatClickAndTheFirstBindingWins()
    {
        var store = await NewStorageAsync();
        var subject = "tg:" + StoreTestData.NewId()[..9];
        var redirected = StoreTestData.Click(campaignId: "camp-1") with { SubjectId = null };
        var later = StoreTestData.Click(campaignId: "camp-1") with { SubjectId = null };
        await AddClickAsync(store, redirected);
        await AddClickAsync(store, later);

        var binding = await store.Clicks.BindSubjectAsync(Binding(subject, "camp-1", clickId: redirected.Id), None);
        var second = await store.Clicks.BindSubjectAsync(Binding(subject, "camp-1", clickId: later.Id, at: StoreTestData.Epoch.AddMinutes(5)), None);

        var bound = redirected with { SubjectId = subject };
        binding.Should().BeEquivalentTo(new SubjectBinding { SubjectId = subject, CampaignId = "camp-1", Click = bound, BoundAt = StoreTestData.Epoch, IsNew = true });
        (await store.Clicks.FindAsync(redirected.Id, None)).Should().BeEquivalentTo(bound);
        second.Should().BeEquivalentTo(binding! with { IsNew = false });
        (await store.Clicks.FindAsync(later.Id, None)).Should().BeEquivalentTo(later, "the later click is neither bound nor changed");
    }

    /// <summary>A named click that is not stored binds nothing: <see langword="null"/>, and a later binding is still the first.</summary>
    [Fact]
    public async Task BindSubject_WithUnknownClickId_ReturnsNullAndBindsNothing()
    {
        var store = await NewStorageAsync();
        var subject = "tg:" + StoreTestData.NewId()[..9];

        (await store.Clicks.BindSubjectAsync(Binding(subject, "camp-1", clickId: "unknown-click"), None)).Should().BeNull();
        (await store.Clicks.BindSubjectAsync(Binding(subject, "camp-1"), None)).Should().BeNull("no click carries the subject and none was given to add");

        var candidate = NewSubjectClick(subject, "camp-1");
        (await store.Clicks.BindSubjectAsync(Binding(subject, "camp-1", newClick: candidate), None))!.IsNew.Should().BeTrue();
    }

    /// <summary>Bindings are per campaign: the same subject in another campaign gets its own click.</summary>
    [Fact]
    public async Task BindSubject_SameSubjectInAnotherCampaign_BindsSeparately()
    {
        var store = await NewStorageAsync();
        var subject = "tg:" + StoreTestData.NewId()[..9];
        var one = NewSubjectClick(subject, "camp-1");
        var two = NewSubjectClick(subject, "camp-2");

        var first = await store.Clicks.BindSubjectAsync(Binding(subject, "camp-1", newClick: one), None);
        var second = await store.Clicks.BindSubjectAsync(Binding(subject, "camp-2", newClick: two), None);

        first!.Click.Id.Should().Be(one.Id);
        second!.Click.Id.Should().Be(two.Id);
        second.ClickCreated.Should().BeTrue();
    }

    /// <summary>A click added by a binding credits the conversions that were waiting for its id, as <see cref="ClickStore.AddAsync"/> does.</summary>
    [Fact]
    public async Task BindSubject_AddingTheNewClick_CreditsItsWaitingConversions()
    {
        var store = await NewStorageAsync();
        var subject = "tg:" + StoreTestData.NewId()[..9];
        var candidate = NewSubjectClick(subject, "camp-1");
        var waiting = Make("set-unscoped", PostbackEvent.Registration, null, null, ConversionAttribution.Unattributed, clickId: candidate.Id, campaignId: null);
        await StoreAsync(store, waiting);

        await store.Clicks.BindSubjectAsync(Binding(subject, "camp-1", newClick: candidate), None);

        (await store.Ingest.GetConversionAsync(waiting.Id, None)).Should().BeEquivalentTo(
            waiting with { Attribution = ConversionAttribution.Credited, CampaignId = "camp-1" });
    }

    /// <summary>
    /// Concurrent bindings of one subject, half on a second instance of the store over the same database, each with its
    /// own new click, make one binding and add one click: every call returns the same click.
    /// </summary>
    [Fact]
    public async Task BindSubject_ConcurrentlyOnTwoInstances_AddsOneClickAndOneBinding()
    {
        var store = await NewStorageAsync();
        var second = await OpenSecondInstanceAsync(store, Clock);
        var subject = "tg:" + StoreTestData.NewId()[..9];
        var candidates = Enumerable.Range(0, ConcurrentBinders).Select(_ => NewSubjectClick(subject, "camp-1")).ToArray();

        var bindings = await Task.WhenAll(candidates.Select((candidate, i) => Task.Run(async () =>
            await (i % 2 == 0 ? store : second).Clicks.BindSubjectAsync(Binding(subject, "camp-1", newClick: candidate), None)))).WaitAsync(ConcurrencyTimeout);

        bindings.Select(b => b!.Click.Id).Distinct().Should().ContainSingle();
        bindings.Count(b => b!.IsNew).Should().Be(1);
        bindings.Count(b => b!.ClickCreated).Should().Be(1);
        var stored = 0;
        foreach (var candidate in candidates)
        {
            stored += await store.Clicks.FindAsync(candidate.Id, None) is null ? 0 : 1;
        }

        stored.Should().Be(1, "only the winner's click was added");
    }

    /// <summary>
    /// A subject's clicks: its bindings ordered by campaign (a click bound without a subject got it), and the clicks carrying
    /// it newest first; another subject's are not listed, and an unknown subject has none.
    /// </summary>
    [Fact]
    public async Task ListSubjectClicks_BoundAndCarryingClicks_ListsBindingsByCampaignAndClicksNewestFirst()
    {
        var store = await NewStorageAsync();
        var subject = "tg:" + StoreTestData.NewId()[..9];
        var older = StoreTestData.Click(StoreTestData.Epoch.AddDays(-2), "camp-2") with { SubjectId = subject };
        var newer = StoreTestData.Click(StoreTestData.Epoch.AddDays(-1), "camp-3") with { SubjectId = subject };
        var redirected = StoreTestData.Click(StoreTestData.Epoch.AddDays(-3), "camp-1") with { SubjectId = null };
        var someoneElse = StoreTestData.Click(StoreTestData.Epoch, "camp-1") with { SubjectId = subject + "0" };
        foreach (var click in new[] { older, newer, redirected, someoneElse })
        {
            await AddClickAsync(store, click);
        }

        await store.Clicks.BindSubjectAsync(Binding(subject, "camp-2", at: StoreTestData.Epoch.AddMinutes(2)), None);
        await store.Clicks.BindSubjectAsync(Binding(subject, "camp-1", clickId: redirected.Id, at: StoreTestData.Epoch.AddMinutes(1)), None);

        var listed = await store.Clicks.ListSubjectClicksAsync(subject, None);

        var bound = redirected with { SubjectId = subject };
        listed.Bindings.Should().BeEquivalentTo(
            [
                new SubjectBinding { SubjectId = subject, CampaignId = "camp-1", Click = bound, BoundAt = StoreTestData.Epoch.AddMinutes(1) },
                new SubjectBinding { SubjectId = subject, CampaignId = "camp-2", Click = older, BoundAt = StoreTestData.Epoch.AddMinutes(2) },
            ],
            o => o.WithStrictOrdering());
        listed.Clicks.Select(c => c.Id).Should().Equal(newer.Id, older.Id, bound.Id);
        listed.Clicks[0].Should().BeEquivalentTo(newer);
        var unknown = await store.Clicks.ListSubjectClicksAsync("tg:" + StoreTestData.NewId()[..9], None);
        unknown.Bindings.Should().BeEmpty();
        unknown.Clicks.Should().BeEmpty();
    }

    private static Click NewSubjectClick(string subjectId, string campaignId) =>
        StoreTestData.Click(campaignId: campaignId) with { SubjectId = subjectId };

    private static SubjectBindingRequest Binding(string subjectId, string campaignId, string? clickId = null, Click? newClick = null, DateTimeOffset? at = null) => new()
    {
        SubjectId = subjectId,
        CampaignId = campaignId,
        BoundAt = at ?? StoreTestData.Epoch,
        ClickId = clickId,
        NewClick = newClick,
        NewClickCredit = newClick is null ? null : StoreTestData.Credit(newClick),
    };
}
