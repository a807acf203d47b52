using System.Text.Json;
using Chatterfy.Postbacks.Campaigns;
using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Reconciliation;
using Chatterfy.Postbacks.Storage;

namespace Chatterfy.Postbacks.AspNetCore.Tests.Infrastructure;

/// <summary>
/// An in-memory store whose outage the test switches on: while <see cref="IsUnavailable"/> is set, every member of every
/// role throws <see cref="PostbackStoreUnavailableException"/> as a database store does when its database cannot be
/// reached. The in-memory store itself never has an outage, so this is the only way to exercise the 503 path. Register
/// <see cref="Storage"/> with <c>UseStorage</c>.
/// </summary>
internal sealed class UnavailableStore
{
    /// <summary>What the simulated database error says; the HTTP answers must never show it.</summary>
    public const string SecretMessage = "connection to db-primary.internal:5432 refused";

    private readonly PostbackStorage _inner = InMemoryPostbackStorage.Create();

    public UnavailableStore() => Storage = new PostbackStorage(
        new Sets(this), new Campaigns(this), new Clicks(this), new Ingest(this), new Log(this), new Outbox(this), new Rules(this), new Reconciliations(this));

    /// <summary>The store's roles, each guarded.</summary>
    public PostbackStorage Storage { get; }

    public bool IsUnavailable { get; set; }

    public TimeSpan? RetryAfter { get; set; }

    /// <summary>Released once per call to <see cref="OutboxStore.LeaseAsync"/>, so a test can follow a dispatcher's polls.</summary>
    public SemaphoreSlim LeaseCalls { get; } = new(0);

    private void Guard()
    {
        if (IsUnavailable)
        {
            throw new PostbackStoreUnavailableException(SecretMessage) { RetryAfter = RetryAfter };
        }
    }

    private sealed class Sets(UnavailableStore store) : PostbackSetStore
    {
        private readonly PostbackSetStore _inner = store._inner.Sets;

        protected override ValueTask AddCoreAsync(PostbackSet postbackSet, CancellationToken cancellationToken) { store.Guard(); return _inner.AddAsync(postbackSet, cancellationToken); }

        protected override ValueTask<PostbackSet?> GetCoreAsync(string setId, CancellationToken cancellationToken) { store.Guard(); return _inner.GetAsync(setId, cancellationToken); }

        protected override ValueTask<PostbackSet?> GetIncludingDeletedCoreAsync(string setId, CancellationToken cancellationToken) { store.Guard(); return _inner.GetIncludingDeletedAsync(setId, cancellationToken); }

        protected override ValueTask<bool> IsIdUsedCoreAsync(string setId, CancellationToken cancellationToken) { store.Guard(); return _inner.IsIdUsedAsync(setId, cancellationToken); }

        protected override ValueTask<PostbackSet?> FindByTokenCoreAsync(string token, DateTimeOffset now, CancellationToken cancellationToken) { store.Guard(); return _inner.FindByTokenAsync(token, now, cancellationToken); }

        protected override ValueTask<IReadOnlyList<PostbackSet>> ListCoreAsync(CancellationToken cancellationToken) { store.Guard(); return _inner.ListAsync(cancellationToken); }

        protected override ValueTask<PostbackSet?> UpdateCoreAsync(PostbackSet postbackSet, CancellationToken cancellationToken) { store.Guard(); return _inner.UpdateAsync(postbackSet, cancellationToken); }

        protected override ValueTask<PostbackSet?> RotateTokenCoreAsync(string setId, string newToken, DateTimeOffset? previousTokenValidUntil, CancellationToken cancellationToken) { store.Guard(); return _inner.RotateTokenAsync(setId, newToken, previousTokenValidUntil, cancellationToken); }

        protected override ValueTask<bool> DeleteCoreAsync(string setId, CancellationToken cancellationToken) { store.Guard(); return _inner.DeleteAsync(setId, cancellationToken); }
    }

    private sealed class Campaigns(UnavailableStore store) : CampaignStore
    {
        private readonly CampaignStore _inner = store._inner.Campaigns;

        protected override ValueTask AddCoreAsync(Campaign campaign, CancellationToken cancellationToken) { store.Guard(); return _inner.AddAsync(campaign, cancellationToken); }

        protected override ValueTask<Campaign?> GetCoreAsync(string campaignId, CancellationToken cancellationToken) { store.Guard(); return _inner.GetAsync(campaignId, cancellationToken); }

        protected override ValueTask<IReadOnlyList<Campaign>> ListCoreAsync(CancellationToken cancellationToken) { store.Guard(); return _inner.ListAsync(cancellationToken); }

        protected override ValueTask<Campaign?> UpdateCoreAsync(Campaign campaign, CancellationToken cancellationToken) { store.Guard(); return _inner.UpdateAsync(campaign, cancellationToken); }

        protected override ValueTask<bool> DeleteCoreAsync(string campaignId, CancellationToken cancellationToken) { store.Guard(); return _inner.DeleteAsync(campaignId, cancellationToken); }
    }

    private sealed class Clicks(UnavailableStore store) : ClickStore
    {
        private readonly ClickStore _inner = store._inner.Clicks;

        protected override ValueTask<int> AddCoreAsync(Click click, ConversionCredit credit, CancellationToken cancellationToken) { store.Guard(); return _inner.AddAsync(click, credit, cancellationToken); }

        protected override ValueTask<Click?> FindCoreAsync(string clickId, CancellationToken cancellationToken) { store.Guard(); return _inner.FindAsync(clickId, cancellationToken); }

        protected override ValueTask<bool> ForgetPersonalDataCoreAsync(string clickId, CancellationToken cancellationToken) { store.Guard(); return _inner.ForgetPersonalDataAsync(clickId, cancellationToken); }

        protected override ValueTask<SubjectBinding?> BindSubjectCoreAsync(SubjectBindingRequest request, CancellationToken cancellationToken) { store.Guard(); return _inner.BindSubjectAsync(request, cancellationToken); }

        protected override ValueTask<SubjectClicks> ListSubjectClicksCoreAsync(string subjectId, CancellationToken cancellationToken) { store.Guard(); return _inner.ListSubjectClicksAsync(subjectId, cancellationToken); }
    }

    private sealed class Ingest(UnavailableStore store) : IngestStore
    {
        private readonly IngestStore _inner = store._inner.Ingest;

        public override ValueTask CheckHealthAsync(CancellationToken cancellationToken) { store.Guard(); return _inner.CheckHealthAsync(cancellationToken); }

        protected override ValueTask<IReadOnlyList<IngestResult>> AppendCoreAsync(IReadOnlyList<IngestRecord> records, CancellationToken cancellationToken) { store.Guard(); return _inner.AppendAsync(records, cancellationToken); }

        protected override ValueTask<ConversionRecord?> GetConversionCoreAsync(string conversionId, CancellationToken cancellationToken) { store.Guard(); return _inner.GetConversionAsync(conversionId, cancellationToken); }

        protected override ValueTask<IReadOnlyList<ConversionRecord>> ListConversionsByClickCoreAsync(string clickId, CancellationToken cancellationToken) { store.Guard(); return _inner.ListConversionsByClickAsync(clickId, cancellationToken); }
    }

    private sealed class Log(UnavailableStore store) : PostbackLogStore
    {
        private readonly PostbackLogStore _inner = store._inner.Log;

        protected override ValueTask<PostbackLogEntry?> GetCoreAsync(string logEntryId, CancellationToken cancellationToken) { store.Guard(); return _inner.GetAsync(logEntryId, cancellationToken); }

        protected override ValueTask<IReadOnlyList<PostbackLogEntry>> ListCoreAsync(PostbackLogQuery query, CancellationToken cancellationToken) { store.Guard(); return _inner.ListAsync(query, cancellationToken); }

        protected override ValueTask<int> PurgeCoreAsync(DateTimeOffset receivedBefore, CancellationToken cancellationToken) { store.Guard(); return _inner.PurgeAsync(receivedBefore, cancellationToken); }

        protected override ValueTask<IReadOnlyList<ConversionTotal>> GetConversionTotalsCoreAsync(ConversionTotalsQuery query, CancellationToken cancellationToken) { store.Guard(); return _inner.GetConversionTotalsAsync(query, cancellationToken); }

        protected override ValueTask<long> CountClicksCoreAsync(ClickCountQuery query, CancellationToken cancellationToken) { store.Guard(); return _inner.CountClicksAsync(query, cancellationToken); }

        protected override ValueTask<IReadOnlyList<DailyConversionCount>> GetDailyConversionCountsCoreAsync(ConversionTotalsQuery query, CancellationToken cancellationToken) { store.Guard(); return _inner.GetDailyConversionCountsAsync(query, cancellationToken); }

        protected override ValueTask<IReadOnlyList<DailyClickCount>> CountClicksByDayCoreAsync(ClickCountQuery query, CancellationToken cancellationToken) { store.Guard(); return _inner.CountClicksByDayAsync(query, cancellationToken); }

        protected override ValueTask<long> CountLogEntriesCoreAsync(LogCountQuery query, CancellationToken cancellationToken) { store.Guard(); return _inner.CountLogEntriesAsync(query, cancellationToken); }
    }

    private sealed class Outbox(UnavailableStore store) : OutboxStore
    {
        private readonly OutboxStore _inner = store._inner.Outbox;

        protected override ValueTask<IReadOnlyList<OutboxMessage>> LeaseCoreAsync(OutboxLeaseRequest request, CancellationToken cancellationToken)
        {
            store.LeaseCalls.Release();
            store.Guard();
            return _inner.LeaseAsync(request, cancellationToken);
        }

        protected override ValueTask<int> CompleteCoreAsync(IReadOnlyList<OutboxCompletion> completions, CancellationToken cancellationToken) { store.Guard(); return _inner.CompleteAsync(completions, cancellationToken); }

        protected override ValueTask<int> ExtendLeaseCoreAsync(string leaseId, IReadOnlyCollection<string> messageIds, DateTimeOffset expiresAt, CancellationToken cancellationToken) { store.Guard(); return _inner.ExtendLeaseAsync(leaseId, messageIds, expiresAt, cancellationToken); }

        protected override ValueTask<int> ReleaseLeaseCoreAsync(string leaseId, IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken) { store.Guard(); return _inner.ReleaseLeaseAsync(leaseId, messageIds, cancellationToken); }

        protected override ValueTask<OutboxMessage?> GetCoreAsync(string messageId, CancellationToken cancellationToken) { store.Guard(); return _inner.GetAsync(messageId, cancellationToken); }

        protected override ValueTask<IReadOnlyList<OutboxAttempt>> ListAttemptsCoreAsync(string messageId, CancellationToken cancellationToken) { store.Guard(); return _inner.ListAttemptsAsync(messageId, cancellationToken); }

        protected override ValueTask<IReadOnlyList<OutboxMessage>> ListCoreAsync(OutboxQuery query, CancellationToken cancellationToken) { store.Guard(); return _inner.ListAsync(query, cancellationToken); }

        protected override ValueTask<OutboxMessage?> RescheduleCoreAsync(string messageId, DateTimeOffset now, CancellationToken cancellationToken) { store.Guard(); return _inner.RescheduleAsync(messageId, now, cancellationToken); }
    }

    private sealed class Rules(UnavailableStore store) : ForwardingRuleStore
    {
        private readonly ForwardingRuleStore _inner = store._inner.ForwardingRules;

        protected override ValueTask AddCoreAsync(ForwardingRule rule, CancellationToken cancellationToken) { store.Guard(); return _inner.AddAsync(rule, cancellationToken); }

        protected override ValueTask<ForwardingRule?> GetCoreAsync(string ruleId, CancellationToken cancellationToken) { store.Guard(); return _inner.GetAsync(ruleId, cancellationToken); }

        protected override ValueTask<IReadOnlyList<ForwardingRule>> ListCoreAsync(CancellationToken cancellationToken) { store.Guard(); return _inner.ListAsync(cancellationToken); }

        protected override ValueTask<bool> UpdateSettingsCoreAsync(string ruleId, JsonElement settings, CancellationToken cancellationToken) { store.Guard(); return _inner.UpdateSettingsAsync(ruleId, settings, cancellationToken); }

        protected override ValueTask<bool> DeleteCoreAsync(string ruleId, CancellationToken cancellationToken) { store.Guard(); return _inner.DeleteAsync(ruleId, cancellationToken); }
    }

    private sealed class Reconciliations(UnavailableStore store) : ReconciliationStore
    {
        private readonly ReconciliationStore _inner = store._inner.Reconciliations;

        protected override ValueTask<ReconciliationLayout?> GetLayoutCoreAsync(string setId, CancellationToken cancellationToken) { store.Guard(); return _inner.GetLayoutAsync(setId, cancellationToken); }

        protected override ValueTask SetLayoutCoreAsync(string setId, ReconciliationLayout layout, CancellationToken cancellationToken) { store.Guard(); return _inner.SetLayoutAsync(setId, layout, cancellationToken); }

        protected override ValueTask AddCoreAsync(ReconciliationReport report, ReconciliationSummary summary, CancellationToken cancellationToken) { store.Guard(); return _inner.AddAsync(report, cancellationToken); }

        protected override ValueTask<ReconciliationReport?> GetCoreAsync(string setId, string reconciliationId, CancellationToken cancellationToken) { store.Guard(); return _inner.GetAsync(setId, reconciliationId, cancellationToken); }

        protected override ValueTask<IReadOnlyList<ReconciliationSummary>> ListCoreAsync(string setId, int limit, string? beforeId, CancellationToken cancellationToken) { store.Guard(); return _inner.ListAsync(setId, limit, beforeId, cancellationToken); }
    }
}
