using Chatterfy.Postbacks.Campaigns;
using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Storage;

namespace Chatterfy.Postbacks.AspNetCore.Tests.Infrastructure;

/// <summary>
/// An in-memory store whose outage the test switches on: while <see cref="IsUnavailable"/> is set, every member throws
/// <see cref="PostbackStoreUnavailableException"/> as a database store does when its database cannot be reached. The
/// in-memory store itself never has an outage, so this is the only way to exercise the 503 path.
/// </summary>
internal sealed class UnavailableStore : PostbackStore
{
    /// <summary>What the simulated database error says; the HTTP answers must never show it.</summary>
    public const string SecretMessage = "connection to db-primary.internal:5432 refused";

    private readonly InMemoryPostbackStore _inner = new();

    public bool IsUnavailable { get; set; }

    public TimeSpan? RetryAfter { get; set; }

    /// <summary>Released once per call to <see cref="LeaseOutboxMessagesAsync"/>, so a test can follow a dispatcher's polls.</summary>
    public SemaphoreSlim LeaseCalls { get; } = new(0);

    public override ValueTask AddSetAsync(PostbackSet postbackSet, CancellationToken cancellationToken) { Guard(); return _inner.AddSetAsync(postbackSet, cancellationToken); }

    public override ValueTask<PostbackSet?> GetSetAsync(string setId, CancellationToken cancellationToken) { Guard(); return _inner.GetSetAsync(setId, cancellationToken); }

    public override ValueTask<bool> IsSetIdUsedAsync(string setId, CancellationToken cancellationToken) { Guard(); return _inner.IsSetIdUsedAsync(setId, cancellationToken); }

    public override ValueTask<PostbackSet?> FindSetByTokenAsync(string token, DateTimeOffset now, CancellationToken cancellationToken) { Guard(); return _inner.FindSetByTokenAsync(token, now, cancellationToken); }

    public override ValueTask<IReadOnlyList<PostbackSet>> ListSetsAsync(CancellationToken cancellationToken) { Guard(); return _inner.ListSetsAsync(cancellationToken); }

    public override ValueTask<PostbackSet?> UpdateSetAsync(PostbackSet postbackSet, CancellationToken cancellationToken) { Guard(); return _inner.UpdateSetAsync(postbackSet, cancellationToken); }

    public override ValueTask<PostbackSet?> RotateTokenAsync(string setId, string newToken, DateTimeOffset? previousTokenValidUntil, CancellationToken cancellationToken) { Guard(); return _inner.RotateTokenAsync(setId, newToken, previousTokenValidUntil, cancellationToken); }

    public override ValueTask<bool> DeleteSetAsync(string setId, CancellationToken cancellationToken) { Guard(); return _inner.DeleteSetAsync(setId, cancellationToken); }

    public override ValueTask AddClickAsync(Click click, CancellationToken cancellationToken) { Guard(); return _inner.AddClickAsync(click, cancellationToken); }

    public override ValueTask<Click?> FindClickAsync(string clickId, CancellationToken cancellationToken) { Guard(); return _inner.FindClickAsync(clickId, cancellationToken); }

    public override ValueTask AddForwardingRuleAsync(ForwardingRule rule, CancellationToken cancellationToken) { Guard(); return _inner.AddForwardingRuleAsync(rule, cancellationToken); }

    public override ValueTask<ForwardingRule?> GetForwardingRuleAsync(string ruleId, CancellationToken cancellationToken) { Guard(); return _inner.GetForwardingRuleAsync(ruleId, cancellationToken); }

    public override ValueTask<IReadOnlyList<ForwardingRule>> ListForwardingRulesAsync(CancellationToken cancellationToken) { Guard(); return _inner.ListForwardingRulesAsync(cancellationToken); }

    public override ValueTask<bool> DeleteForwardingRuleAsync(string ruleId, CancellationToken cancellationToken) { Guard(); return _inner.DeleteForwardingRuleAsync(ruleId, cancellationToken); }

    public override ValueTask AddCampaignAsync(Campaign campaign, CancellationToken cancellationToken) { Guard(); return _inner.AddCampaignAsync(campaign, cancellationToken); }

    public override ValueTask<Campaign?> GetCampaignAsync(string campaignId, CancellationToken cancellationToken) { Guard(); return _inner.GetCampaignAsync(campaignId, cancellationToken); }

    public override ValueTask<IReadOnlyList<Campaign>> ListCampaignsAsync(CancellationToken cancellationToken) { Guard(); return _inner.ListCampaignsAsync(cancellationToken); }

    public override ValueTask<Campaign?> UpdateCampaignAsync(Campaign campaign, CancellationToken cancellationToken) { Guard(); return _inner.UpdateCampaignAsync(campaign, cancellationToken); }

    public override ValueTask<bool> DeleteCampaignAsync(string campaignId, CancellationToken cancellationToken) { Guard(); return _inner.DeleteCampaignAsync(campaignId, cancellationToken); }

    public override ValueTask<IReadOnlyList<OutboxMessage>> LeaseOutboxMessagesAsync(OutboxLeaseRequest request, CancellationToken cancellationToken)
    {
        LeaseCalls.Release();
        Guard();
        return _inner.LeaseOutboxMessagesAsync(request, cancellationToken);
    }

    public override ValueTask<int> CompleteOutboxAttemptsAsync(IReadOnlyList<OutboxCompletion> completions, CancellationToken cancellationToken) { Guard(); return _inner.CompleteOutboxAttemptsAsync(completions, cancellationToken); }

    public override ValueTask<int> ExtendOutboxLeaseAsync(string leaseId, IReadOnlyCollection<string> messageIds, DateTimeOffset expiresAt, CancellationToken cancellationToken) { Guard(); return _inner.ExtendOutboxLeaseAsync(leaseId, messageIds, expiresAt, cancellationToken); }

    public override ValueTask<int> ReleaseOutboxLeaseAsync(string leaseId, IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken) { Guard(); return _inner.ReleaseOutboxLeaseAsync(leaseId, messageIds, cancellationToken); }

    public override ValueTask<OutboxMessage?> GetOutboxMessageAsync(string messageId, CancellationToken cancellationToken) { Guard(); return _inner.GetOutboxMessageAsync(messageId, cancellationToken); }

    public override ValueTask<IReadOnlyList<OutboxAttempt>> ListOutboxAttemptsAsync(string messageId, CancellationToken cancellationToken) { Guard(); return _inner.ListOutboxAttemptsAsync(messageId, cancellationToken); }

    public override ValueTask<IReadOnlyList<OutboxMessage>> ListOutboxMessagesAsync(OutboxQuery query, CancellationToken cancellationToken) { Guard(); return _inner.ListOutboxMessagesAsync(query, cancellationToken); }

    public override ValueTask<OutboxMessage?> RetryOutboxMessageAsync(string messageId, DateTimeOffset now, CancellationToken cancellationToken) { Guard(); return _inner.RetryOutboxMessageAsync(messageId, now, cancellationToken); }

    public override ValueTask<ConversionAppendResult> AppendConversionAsync(ConversionRecord conversion, PostbackLogEntry logEntry, IReadOnlyList<OutboxMessage> outboxMessages, CancellationToken cancellationToken) { Guard(); return _inner.AppendConversionAsync(conversion, logEntry, outboxMessages, cancellationToken); }

    public override ValueTask<ConversionRecord?> GetConversionAsync(string conversionId, CancellationToken cancellationToken) { Guard(); return _inner.GetConversionAsync(conversionId, cancellationToken); }

    public override ValueTask<IReadOnlyList<ConversionRecord>> ListConversionsByClickAsync(string clickId, CancellationToken cancellationToken) { Guard(); return _inner.ListConversionsByClickAsync(clickId, cancellationToken); }

    public override ValueTask AppendLogAsync(PostbackLogEntry logEntry, CancellationToken cancellationToken) { Guard(); return _inner.AppendLogAsync(logEntry, cancellationToken); }

    public override ValueTask<PostbackLogEntry?> GetLogEntryAsync(string logEntryId, CancellationToken cancellationToken) { Guard(); return _inner.GetLogEntryAsync(logEntryId, cancellationToken); }

    public override ValueTask<IReadOnlyList<PostbackLogEntry>> ListLogAsync(PostbackLogQuery query, CancellationToken cancellationToken) { Guard(); return _inner.ListLogAsync(query, cancellationToken); }

    public override ValueTask<PostbackStats> GetStatsAsync(PostbackStatsQuery query, CancellationToken cancellationToken) { Guard(); return _inner.GetStatsAsync(query, cancellationToken); }

    public override ValueTask<int> PurgeLogAsync(DateTimeOffset receivedBefore, CancellationToken cancellationToken) { Guard(); return _inner.PurgeLogAsync(receivedBefore, cancellationToken); }

    public override ValueTask<bool> ForgetClickPersonalDataAsync(string clickId, CancellationToken cancellationToken) { Guard(); return _inner.ForgetClickPersonalDataAsync(clickId, cancellationToken); }

    public override ValueTask CheckHealthAsync(CancellationToken cancellationToken) { Guard(); return _inner.CheckHealthAsync(cancellationToken); }

    private void Guard()
    {
        if (IsUnavailable)
        {
            throw new PostbackStoreUnavailableException(SecretMessage) { RetryAfter = RetryAfter };
        }
    }
}
