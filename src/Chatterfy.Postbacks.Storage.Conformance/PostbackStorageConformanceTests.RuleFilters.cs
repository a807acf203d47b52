using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.Ingestion;

namespace Chatterfy.Postbacks.Storage.Conformance;

// Rule filters (ForwardingRuleFilter): stored with the rule; a message's deposit-number condition is checked by the store
// against the number it gives the conversion in the same transaction, and a message whose condition fails is not written.
public abstract partial class PostbackStorageConformanceTests
{
    /// <summary>A rule's filter (events and a deposit-number range) is stored and read back with the rule.</summary>
    [Fact]
    public async Task AddForwardingRule_WithFilter_GetAndListReturnTheFilter()
    {
        var store = await NewStorageAsync();
        var ranged = ForwardingTestData.SetRule() with
        {
            Filter = new ForwardingRuleFilter { Events = ["first-deposit", "deposit"], DepositNumber = new DepositNumberRange { Min = 2, Max = 3 } },
        };
        var openEnded = ForwardingTestData.CampaignRule(StoreTestData.Epoch.AddSeconds(1)) with
        {
            Filter = new ForwardingRuleFilter { DepositNumber = new DepositNumberRange { Min = 4 } },
        };
        var upToTwo = ForwardingTestData.CampaignRule(StoreTestData.Epoch.AddSeconds(2)) with
        {
            Filter = new ForwardingRuleFilter { Events = ["deposit"], DepositNumber = new DepositNumberRange { Max = 2 } },
        };

        foreach (var rule in new[] { ranged, openEnded, upToTwo })
        {
            await store.ForwardingRules.AddAsync(rule, None);
            ShouldMatch(await store.ForwardingRules.GetAsync(rule.Id, None), rule);
        }

        var listed = await store.ForwardingRules.ListAsync(None);
        listed.Select(r => r.Filter).Should().BeEquivalentTo(new[] { ranged.Filter, openEnded.Filter, upToTwo.Filter }, o => o.WithStrictOrdering());
    }

    /// <summary>A rule's status filter is stored and read back with the rule, next to a rule without one.</summary>
    [Fact]
    public async Task AddForwardingRule_WithStatuses_GetAndListReturnTheStatuses()
    {
        var store = await NewStorageAsync();
        var chargebacks = ForwardingTestData.SetRule() with
        {
            Filter = new ForwardingRuleFilter { Statuses = [ConversionStatusNames.Chargeback] },
        };
        var everything = ForwardingTestData.CampaignRule(StoreTestData.Epoch.AddSeconds(1)) with
        {
            Filter = new ForwardingRuleFilter { Events = ["deposit"], Statuses = [ConversionStatusNames.Approved, ConversionStatusNames.Rejected], DepositNumber = new DepositNumberRange { Min = 2 } },
        };
        var plain = ForwardingTestData.CampaignRule(StoreTestData.Epoch.AddSeconds(2));

        foreach (var rule in new[] { chargebacks, everything, plain })
        {
            await store.ForwardingRules.AddAsync(rule, None);
            ShouldMatch(await store.ForwardingRules.GetAsync(rule.Id, None), rule);
        }

        var listed = await store.ForwardingRules.ListAsync(None);
        listed.Select(r => r.Filter.Statuses).Should().BeEquivalentTo(
            new IReadOnlyList<string>?[] { [ConversionStatusNames.Chargeback], [ConversionStatusNames.Approved, ConversionStatusNames.Rejected], null },
            o => o.WithStrictOrdering());
    }

    /// <summary>A rule without a filter reads back with <see cref="ForwardingRuleFilter.None"/>'s values (every member null).</summary>
    [Fact]
    public async Task AddForwardingRule_WithoutFilter_ReadsBackAnEmptyFilter()
    {
        var store = await NewStorageAsync();
        var rule = ForwardingTestData.SetRule();

        await store.ForwardingRules.AddAsync(rule, None);

        (await store.ForwardingRules.GetAsync(rule.Id, None))!.Filter.IsEmpty.Should().BeTrue();
    }

    /// <summary>
    /// Deposits of one click, each with a message for deposit numbers 2..2, one for 3 and up, and one without a condition:
    /// the store writes each conditioned message only with the conversion whose number is in its range; a registration's
    /// conditioned message (no number) is never written.
    /// </summary>
    [Fact]
    public async Task Append_MessagesWithDepositNumberConditions_AreWrittenOnlyWhenTheNumberIsInRange()
    {
        var store = await NewStorageAsync();
        var clickId = "c" + StoreTestData.NewId()[..11];
        var second = new DepositNumberRange { Min = 2, Max = 2 };
        var thirdAndLater = new DepositNumberRange { Min = 3 };
        var conversions = new[]
        {
            Numbered(PostbackEvent.Registration, clickId, "set-a", 0),
            Numbered(PostbackEvent.Deposit, clickId, "set-a", 1),
            Numbered(PostbackEvent.FirstDeposit, clickId, "set-a", 2),
            Numbered(PostbackEvent.Deposit, clickId, "set-b", 3),
        };

        // The first two appended alone, the last two in one batch (numbered in batch order).
        var written = new List<string>();
        var all = new List<string>();
        foreach (var batch in new[] { conversions[..1], conversions[1..2], conversions[2..] })
        {
            var records = batch.Select(conversion => StoreTestData.Record(
                conversion,
                ForwardingTestData.Message(conversion.Id, ruleId: "rule-second") with { DepositNumberCondition = second },
                ForwardingTestData.Message(conversion.Id, ruleId: "rule-later") with { DepositNumberCondition = thirdAndLater },
                ForwardingTestData.Message(conversion.Id, ruleId: "rule-any"))).ToArray();
            var results = await store.Ingest.AppendAsync(records, None);
            for (var i = 0; i < records.Length; i++)
            {
                var number = results[i].DepositNumber;
                all.AddRange(records[i].OutboxMessages.Select(m => m.Id));
                written.AddRange(records[i].OutboxMessages.Where(m => m.DepositNumberCondition is not { } condition || condition.Contains(number)).Select(m => m.Id));
            }
        }

        written.Should().HaveCount(6, "the numbers are none, 2, 1 and 3: one message for 2, one for 3 and up, four without a condition");
        var stored = await store.Outbox.ListAsync(new OutboxQuery(), None);
        stored.Select(m => m.Id).Should().BeEquivalentTo(written);
        stored.Where(m => m.RuleId == "rule-second").Should().ContainSingle().Which.ConversionId.Should().Be(conversions[1].Id);
        stored.Where(m => m.RuleId == "rule-later").Should().ContainSingle().Which.ConversionId.Should().Be(conversions[3].Id);
        stored.Should().OnlyContain(m => m.DepositNumberCondition == null, "the condition is not stored");
        foreach (var id in all.Except(written))
        {
            (await store.Outbox.GetAsync(id, None)).Should().BeNull();
        }
    }

    /// <summary>
    /// Concurrent deposits of one click, each appended alone with a message for deposit number 2 only: exactly one message is
    /// written, with the conversion that took 2.
    /// </summary>
    [Fact]
    public async Task Append_ConcurrentDepositsWithAConditionForNumberTwo_WriteExactlyOneMessage()
    {
        var store = await NewStorageAsync();
        var clickId = "c" + StoreTestData.NewId()[..11];
        var onlySecond = new DepositNumberRange { Min = 2, Max = 2 };
        var records = Enumerable.Range(0, ConcurrentAppends)
            .Select(i => Numbered(i == 0 ? PostbackEvent.FirstDeposit : PostbackEvent.Deposit, clickId, "set-" + (i % 3), i))
            .Select(c => StoreTestData.Record(c, ForwardingTestData.Message(c.Id, ruleId: "rule-second") with { DepositNumberCondition = onlySecond }))
            .ToArray();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = records.Select(r => Task.Run(async () =>
        {
            await gate.Task;
            return (await store.Ingest.AppendAsync([r], None))[0];
        })).ToArray();

        gate.SetResult();
        var results = await Task.WhenAll(tasks).WaitAsync(ConcurrencyTimeout);

        results.Should().OnlyContain(r => r.Failure == null && !r.IsDuplicate);
        var second = (await store.Ingest.ListConversionsByClickAsync(clickId, None)).Should().ContainSingle(c => c.DepositNumber == 2).Subject;
        (await store.Outbox.ListAsync(new OutboxQuery { RuleId = "rule-second" }, None))
            .Should().ContainSingle().Which.ConversionId.Should().Be(second.Id);
    }
}
