using Chatterfy.Postbacks.Campaigns;
using Chatterfy.Postbacks.Forwarding;

namespace Chatterfy.Postbacks.Sqlite;

// TODO(issue 4): forwarding rules, campaigns and the outbox are not stored yet.
public sealed partial class SqlitePostbackStore
{
    /// <inheritdoc />
    public override ValueTask AddForwardingRuleAsync(ForwardingRule rule, CancellationToken cancellationToken) => throw new NotSupportedException();

    /// <inheritdoc />
    public override ValueTask<ForwardingRule?> GetForwardingRuleAsync(string ruleId, CancellationToken cancellationToken) => throw new NotSupportedException();

    /// <inheritdoc />
    public override ValueTask<IReadOnlyList<ForwardingRule>> ListForwardingRulesAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

    /// <inheritdoc />
    public override ValueTask<bool> DeleteForwardingRuleAsync(string ruleId, CancellationToken cancellationToken) => throw new NotSupportedException();

    /// <inheritdoc />
    public override ValueTask AddCampaignAsync(Campaign campaign, CancellationToken cancellationToken) => throw new NotSupportedException();

    /// <inheritdoc />
    public override ValueTask<Campaign?> GetCampaignAsync(string campaignId, CancellationToken cancellationToken) => throw new NotSupportedException();

    /// <inheritdoc />
    public override ValueTask<IReadOnlyList<Campaign>> ListCampaignsAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

    /// <inheritdoc />
    public override ValueTask<Campaign?> UpdateCampaignAsync(Campaign campaign, CancellationToken cancellationToken) => throw new NotSupportedException();

    /// <inheritdoc />
    public override ValueTask<bool> DeleteCampaignAsync(string campaignId, CancellationToken cancellationToken) => throw new NotSupportedException();

    /// <inheritdoc />
    public override ValueTask<IReadOnlyList<OutboxMessage>> LeaseOutboxMessagesAsync(OutboxLeaseRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

    /// <inheritdoc />
    public override ValueTask<int> CompleteOutboxAttemptsAsync(IReadOnlyList<OutboxCompletion> completions, CancellationToken cancellationToken) => throw new NotSupportedException();

    /// <inheritdoc />
    public override ValueTask<OutboxMessage?> GetOutboxMessageAsync(string messageId, CancellationToken cancellationToken) => throw new NotSupportedException();

    /// <inheritdoc />
    public override ValueTask<IReadOnlyList<OutboxAttempt>> ListOutboxAttemptsAsync(string messageId, CancellationToken cancellationToken) => throw new NotSupportedException();

    /// <inheritdoc />
    public override ValueTask<IReadOnlyList<OutboxMessage>> ListOutboxMessagesAsync(OutboxQuery query, CancellationToken cancellationToken) => throw new NotSupportedException();

    /// <inheritdoc />
    public override ValueTask<OutboxMessage?> RetryOutboxMessageAsync(string messageId, DateTimeOffset now, CancellationToken cancellationToken) => throw new NotSupportedException();
}
