using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.Ingestion;

namespace Chatterfy.Postbacks.Storage.Conformance;

// Conversion statuses in the store: a conversion keeps the status and word it was appended with; IngestStore.ChangeStatusAsync
// is a compare-and-set that writes the history entry, the log entry (outcome changed) and the outbox messages with it.
public abstract partial class PostbackStorageConformanceTests
{
    private const int ConcurrentStatusChanges = 16;

    /// <summary>A conversion appended with a status keeps it, its word and whether the word was unknown; one appended without a status is approved.</summary>
    [Fact]
    public async Task Append_ConversionsWithAndWithoutStatus_KeepTheirStatusAndWord()
    {
        var store = await NewStorageAsync();
        var clickId = "c" + StoreTestData.NewId()[..11];
        var pending = StoreTestData.Conversion(clickId: clickId) with { Status = ConversionStatus.Pending, StatusWord = "Hold" };
        var unknown = StoreTestData.Conversion(clickId: clickId, receivedAt: StoreTestData.Epoch.AddSeconds(1)) with { Status = ConversionStatus.Pending, StatusWord = "Warte", StatusWordUnknown = true };
        var plain = StoreTestData.Conversion(clickId: clickId, receivedAt: StoreTestData.Epoch.AddSeconds(2));

        await store.Ingest.AppendAsync([StoreTestData.Record(pending), StoreTestData.Record(unknown), StoreTestData.Record(plain)], None);

        var stored = await store.Ingest.ListConversionsByClickAsync(clickId, None);
        stored.Select(c => (c.Status, c.StatusWord, c.StatusWordUnknown)).Should().Equal(
            (ConversionStatus.Pending, "Hold", false), (ConversionStatus.Pending, "Warte", true), (ConversionStatus.Approved, (string?)null, false));
        stored.Should().OnlyContain(c => c.History.Count == 0);
        (await store.Ingest.GetConversionAsync(pending.Id, None))!.Status.Should().Be(ConversionStatus.Pending);
    }

    /// <summary>
    /// A change from the stored status is written: the conversion takes the new status and word, its history the entry, the
    /// log an entry with outcome changed and the conversion's id, and the outbox the messages.
    /// </summary>
    [Fact]
    public async Task ChangeStatus_FromTheStoredStatus_ChangesItWithHistoryLogEntryAndMessages()
    {
        var store = await NewStorageAsync();
        var conversion = StoreTestData.Conversion() with { Status = ConversionStatus.Pending, StatusWord = "Hold" };
        await store.Ingest.AppendAsync([StoreTestData.Record(conversion)], None);
        var change = StatusChange(conversion, ConversionStatus.Pending, ConversionStatus.Approved, "Paid", StoreTestData.Epoch.AddHours(2));
        var message = ForwardingTestData.Message(conversion.Id) with { HistoryEntryId = change.Change.Id };

        (await store.Ingest.ChangeStatusAsync(change with { OutboxMessages = [message] }, None)).Should().BeTrue();

        var stored = (await store.Ingest.GetConversionAsync(conversion.Id, None))!;
        stored.Status.Should().Be(ConversionStatus.Approved);
        stored.StatusWord.Should().Be("Paid");
        stored.History.Should().ContainSingle().Which.Should().BeEquivalentTo(change.Change);
        (await store.Ingest.ListConversionsByClickAsync(conversion.Conversion.ClickId, None)).Single().History.Should().ContainSingle();
        (await store.Ingest.ListConversionsAsync(new ConversionListQuery(), None)).Single().History.Should().ContainSingle();
        var logged = (await store.Log.ListAsync(new PostbackLogQuery { Outcome = PostbackOutcome.Changed }, None)).Should().ContainSingle().Subject;
        logged.Id.Should().Be(change.LogEntry.Id);
        logged.ConversionId.Should().Be(conversion.Id);
        logged.Warnings.Should().Equal(change.LogEntry.Warnings);
        (await store.Outbox.GetAsync(message.Id, None)).Should().BeEquivalentTo(message, "the message keeps the history entry it forwards");

        // A later change appends to the history, oldest first.
        var chargeback = StatusChange(conversion, ConversionStatus.Approved, ConversionStatus.Chargeback, "refund", StoreTestData.Epoch.AddDays(3));
        (await store.Ingest.ChangeStatusAsync(chargeback, None)).Should().BeTrue();
        (await store.Ingest.GetConversionAsync(conversion.Id, None))!.History.Select(h => (h.From, h.To, h.Word)).Should().Equal(
            (ConversionStatus.Pending, ConversionStatus.Approved, "Paid"), (ConversionStatus.Approved, ConversionStatus.Chargeback, "refund"));
    }

    /// <summary>A change from a status the conversion no longer has, or of an unknown conversion, writes nothing and answers false.</summary>
    [Fact]
    public async Task ChangeStatus_FromAnotherStatusOrUnknownConversion_WritesNothing()
    {
        var store = await NewStorageAsync();
        var conversion = StoreTestData.Conversion();
        await store.Ingest.AppendAsync([StoreTestData.Record(conversion)], None);
        var stale = StatusChange(conversion, ConversionStatus.Pending, ConversionStatus.Rejected, "trash", StoreTestData.Epoch.AddHours(1));
        var unknown = StatusChange(StoreTestData.Conversion(), ConversionStatus.Approved, ConversionStatus.Rejected, "trash", StoreTestData.Epoch.AddHours(1));

        (await store.Ingest.ChangeStatusAsync(stale with { OutboxMessages = [ForwardingTestData.Message(conversion.Id)] }, None)).Should().BeFalse();
        (await store.Ingest.ChangeStatusAsync(unknown, None)).Should().BeFalse();

        var stored = (await store.Ingest.GetConversionAsync(conversion.Id, None))!;
        stored.Status.Should().Be(ConversionStatus.Approved);
        stored.History.Should().BeEmpty();
        (await store.Log.ListAsync(new PostbackLogQuery { Outcome = PostbackOutcome.Changed }, None)).Should().BeEmpty();
        (await store.Outbox.ListAsync(new OutboxQuery(), None)).Should().BeEmpty();
    }

    /// <summary>A change whose log entry id is used fails alone: the conversion keeps its status and no history entry is kept.</summary>
    [Fact]
    public async Task ChangeStatus_LogEntryIdUsed_ThrowsAndChangesNothing()
    {
        var store = await NewStorageAsync();
        var conversion = StoreTestData.Conversion() with { Status = ConversionStatus.Pending, StatusWord = "pending" };
        var record = StoreTestData.Record(conversion);
        await store.Ingest.AppendAsync([record], None);
        var change = StatusChange(conversion, ConversionStatus.Pending, ConversionStatus.Approved, "approved", StoreTestData.Epoch.AddHours(1));
        change = change with
        {
            Change = change.Change with { LogEntryId = record.LogEntry.Id },
            LogEntry = change.LogEntry with { Id = record.LogEntry.Id },
        };

        var changing = async () => await store.Ingest.ChangeStatusAsync(change, None);

        await changing.Should().ThrowAsync<InvalidOperationException>();
        var stored = (await store.Ingest.GetConversionAsync(conversion.Id, None))!;
        stored.Status.Should().Be(ConversionStatus.Pending);
        stored.History.Should().BeEmpty();
    }

    /// <summary>
    /// Concurrent changes of one conversion from the same status, half on a second instance of the store over the same
    /// database: exactly one is written (one history entry, one changed log entry, its messages only).
    /// </summary>
    [Fact]
    public async Task ChangeStatus_ConcurrentlyOnTwoInstances_ExactlyOneIsWritten()
    {
        var store = await NewStorageAsync();
        var second = await OpenSecondInstanceAsync(store, Clock);
        var conversion = StoreTestData.Conversion() with { Status = ConversionStatus.Pending, StatusWord = "Hold" };
        await store.Ingest.AppendAsync([StoreTestData.Record(conversion)], None);
        var changes = Enumerable.Range(0, ConcurrentStatusChanges)
            .Select(i => StatusChange(conversion, ConversionStatus.Pending, i % 3 == 0 ? ConversionStatus.Rejected : ConversionStatus.Approved, "w" + i, StoreTestData.Epoch.AddSeconds(i)))
            .Select(c => c with { OutboxMessages = [ForwardingTestData.Message(conversion.Id)] })
            .ToArray();

        var applied = await Task.WhenAll(changes.Select((change, i) => Task.Run(async () =>
            await (i % 2 == 0 ? store : second).Ingest.ChangeStatusAsync(change, None)))).WaitAsync(ConcurrencyTimeout);

        applied.Count(a => a).Should().Be(1);
        var winner = changes[Array.IndexOf(applied, true)];
        var stored = (await second.Ingest.GetConversionAsync(conversion.Id, None))!;
        stored.Status.Should().Be(winner.Change.To);
        stored.History.Should().ContainSingle().Which.Id.Should().Be(winner.Change.Id);
        (await store.Log.ListAsync(new PostbackLogQuery { Outcome = PostbackOutcome.Changed }, None)).Should().ContainSingle().Which.Id.Should().Be(winner.LogEntry.Id);
        (await store.Outbox.ListAsync(new OutboxQuery(), None)).Should().ContainSingle().Which.Id.Should().Be(winner.OutboxMessages[0].Id);
    }

    /// <summary>A record that does not log its duplicate writes nothing when its key is stored, and names the stored conversion.</summary>
    [Fact]
    public async Task Append_DuplicateThatIsNotLogged_WritesNothing()
    {
        var store = await NewStorageAsync();
        var original = StoreTestData.Conversion();
        await store.Ingest.AppendAsync([StoreTestData.Record(original)], None);
        var retry = StoreTestData.Record(StoreTestData.Retry(original) with { Status = ConversionStatus.Rejected, StatusWord = "trash" }) with { LogsDuplicate = false };

        var result = (await store.Ingest.AppendAsync([retry], None)).Single();

        result.Should().Be(IngestResult.Duplicate(original.Id));
        (await store.Log.GetAsync(retry.LogEntry.Id, None)).Should().BeNull();
        (await store.Log.ListAsync(new PostbackLogQuery(), None)).Should().ContainSingle();
    }

    /// <summary>The conversion list filters by status.</summary>
    [Fact]
    public async Task ListConversions_ByStatus_ListsOnlyThatStatus()
    {
        var store = await NewStorageAsync();
        var approved = StoreTestData.Conversion();
        var pending = StoreTestData.Conversion(receivedAt: StoreTestData.Epoch.AddSeconds(1)) with { Status = ConversionStatus.Pending, StatusWord = "hold" };
        var rejected = StoreTestData.Conversion(receivedAt: StoreTestData.Epoch.AddSeconds(2)) with { Status = ConversionStatus.Rejected, StatusWord = "trash" };
        await store.Ingest.AppendAsync([StoreTestData.Record(approved), StoreTestData.Record(pending), StoreTestData.Record(rejected)], None);

        (await store.Ingest.ListConversionsAsync(new ConversionListQuery { Status = ConversionStatus.Pending }, None)).Select(c => c.Id).Should().Equal(pending.Id);
        (await store.Ingest.ListConversionsAsync(new ConversionListQuery { Status = ConversionStatus.Approved }, None)).Select(c => c.Id).Should().Equal(approved.Id);
        (await store.Ingest.ListConversionsAsync(new ConversionListQuery { Status = ConversionStatus.Chargeback }, None)).Should().BeEmpty();
        (await store.Ingest.ListConversionsAsync(new ConversionListQuery(), None)).Should().HaveCount(3);
    }

    /// <summary>
    /// The conversion list filters by whether the status word was unknown, within a set or across sets; paged with
    /// <see cref="ConversionListQuery.BeforeId"/> (the status remap's read), it visits each conversion still unknown once, in
    /// order, when the page's last conversion (the cursor) and one on a later page are remapped between pages: the first
    /// keeps its place as the cursor, the second is no longer listed.
    /// </summary>
    [Fact]
    public async Task ListConversions_ByUnknownStatusWord_ListsOnlyThose_AndPagesWhileTheyAreRemapped()
    {
        var store = await NewStorageAsync();
        var setId = "set_" + StoreTestData.NewId();
        var otherSetId = "set_" + StoreTestData.NewId();
        ConversionRecord Unknown(string set, int second) =>
            StoreTestData.Conversion(setId: set, receivedAt: StoreTestData.Epoch.AddSeconds(second)) with { Status = ConversionStatus.Pending, StatusWord = "Warte" + second, StatusWordUnknown = true };

        // Seven unknown words in the set (two pairs received at the same time), one known pending word, one without a
        // status, and two unknown words in another set.
        ConversionRecord[] unknown = [Unknown(setId, 1), Unknown(setId, 2), Unknown(setId, 2), Unknown(setId, 4), Unknown(setId, 5), Unknown(setId, 5), Unknown(setId, 7)];
        var known = StoreTestData.Conversion(setId: setId, receivedAt: StoreTestData.Epoch.AddSeconds(3)) with { Status = ConversionStatus.Pending, StatusWord = "Hold" };
        var plain = StoreTestData.Conversion(setId: setId, receivedAt: StoreTestData.Epoch.AddSeconds(6));
        ConversionRecord[] otherSet = [Unknown(otherSetId, 2), Unknown(otherSetId, 8)];
        await store.Ingest.AppendAsync([.. unknown.Concat([known, plain]).Concat(otherSet).Select(c => StoreTestData.Record(c))], None);
        static List<string> NewestFirst(IEnumerable<ConversionRecord> conversions) =>
            [.. conversions.OrderByDescending(c => c.Conversion.ReceivedAt).ThenByDescending(c => c.Id, StringComparer.Ordinal).Select(c => c.Id)];

        (await store.Ingest.ListConversionsAsync(new ConversionListQuery { SetId = setId, StatusWordUnknown = true }, None)).Select(c => c.Id)
            .Should().Equal(NewestFirst(unknown));
        (await store.Ingest.ListConversionsAsync(new ConversionListQuery { SetId = setId, StatusWordUnknown = false }, None)).Select(c => c.Id)
            .Should().Equal(plain.Id, known.Id);
        (await store.Ingest.ListConversionsAsync(new ConversionListQuery { StatusWordUnknown = true }, None)).Select(c => c.Id)
            .Should().Equal(NewestFirst(unknown.Concat(otherSet)));
        (await store.Ingest.ListConversionsAsync(new ConversionListQuery { SetId = setId, StatusWordUnknown = true, Status = ConversionStatus.Approved }, None)).Should().BeEmpty();

        // Pages of three; after the first page its last conversion (the cursor) and one of the next page are remapped.
        var order = NewestFirst(unknown);
        var remappedAhead = order[4];
        var pages = new List<string>();
        string? before = null;
        for (var page = 0; page < 5; page++)
        {
            var items = await store.Ingest.ListConversionsAsync(new ConversionListQuery { SetId = setId, StatusWordUnknown = true, Limit = 3, BeforeId = before }, None);
            items.Where(c => !c.StatusWordUnknown || c.Conversion.SetId != setId).Should().BeEmpty();
            pages.AddRange(items.Select(c => c.Id));
            if (items.Count < 3)
            {
                break;
            }

            before = items[^1].Id;
            if (page == 0)
            {
                foreach (var id in new[] { before, remappedAhead })
                {
                    var change = StatusChange(unknown.Single(c => c.Id == id), ConversionStatus.Pending, ConversionStatus.Approved, "Warte", StoreTestData.Epoch.AddHours(1));
                    (await store.Ingest.ChangeStatusAsync(change with { LogEntry = change.LogEntry with { Warnings = [] } }, None)).Should().BeTrue();
                }
            }
        }

        pages.Should().Equal(order.Where(id => id != remappedAhead), "a conversion remapped behind the cursor was read already, one remapped ahead of it leaves the list");
        (await store.Ingest.ListConversionsAsync(new ConversionListQuery { SetId = setId, StatusWordUnknown = true }, None)).Select(c => c.Id)
            .Should().Equal(order.Where(id => id != remappedAhead && id != order[2]));
        (await store.Ingest.ListConversionsAsync(new ConversionListQuery { SetId = setId, StatusWordUnknown = false }, None)).Select(c => c.Id)
            .Should().Equal(NewestFirst([plain, known, .. unknown.Where(c => c.Id == remappedAhead || c.Id == order[2])]));
    }

    private static StatusChangeRecord StatusChange(ConversionRecord conversion, ConversionStatus from, ConversionStatus to, string word, DateTimeOffset at)
    {
        var logEntry = StoreTestData.LogEntry(conversion.Conversion.SetId, at, PostbackOutcome.Changed) with { ConversionId = conversion.Id, Warnings = ["status_unknown"] };
        return new StatusChangeRecord
        {
            Change = new ConversionStatusChange
            {
                Id = "sh_" + StoreTestData.NewId(),
                ConversionId = conversion.Id,
                At = at,
                From = from,
                To = to,
                Word = word,
                LogEntryId = logEntry.Id,
            },
            LogEntry = logEntry,
        };
    }
}
