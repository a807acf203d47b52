using System.Text.Json;
using Chatterfy.Postbacks.Campaigns;
using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.PostbackSets;

namespace Chatterfy.Postbacks.Storage;

/// <summary>
/// The storage abstraction: the one place that guarantees idempotency (a unique key), atomicity (a conversion and its
/// log entry in one transaction) and durability (a completed append is committed). Each store package derives from it
/// and must pass the shared conformance suite.
/// </summary>
/// <remarks>
/// <para>
/// Members are safe to call concurrently. Cancellation may abandon a read; a write that has begun committing may still
/// commit, which is safe because every write is idempotent or de-duplicated.
/// </para>
/// <para>
/// Ids, tokens, click ids and idempotency key values are compared ordinally (case-sensitive). A set's id, and every
/// token it ever had (current, rotated away or deleted), stay used for good, so a deleted set's history and published
/// URLs never point at another set.
/// </para>
/// </remarks>
public abstract class PostbackStore
{
    /// <summary>Adds a new postback set.</summary>
    /// <param name="postbackSet">The set; its id and token must be unused (see the remarks on <see cref="PostbackStore"/>).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the set is stored.</returns>
    /// <exception cref="InvalidOperationException">
    /// A set with the same id exists or existed, or the token is or was any set's token (including a deleted set's).
    /// </exception>
    public abstract ValueTask AddSetAsync(PostbackSet postbackSet, CancellationToken cancellationToken);

    /// <summary>Gets a set by id, enabled or not.</summary>
    /// <param name="setId">The set's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The set, or <see langword="null"/> when there is none (or it was deleted).</returns>
    public abstract ValueTask<PostbackSet?> GetSetAsync(string setId, CancellationToken cancellationToken);

    /// <summary>
    /// Tells whether a set has or had the id <paramref name="setId"/>: <see langword="true"/> for a set that exists, enabled
    /// or not, and for a deleted one (its id stays used, and its conversions and log entries are kept);
    /// <see langword="false"/> for an id no set ever had.
    /// </summary>
    /// <param name="setId">The set's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Whether the id is or was a set's.</returns>
    public abstract ValueTask<bool> IsSetIdUsedAsync(string setId, CancellationToken cancellationToken);

    /// <summary>
    /// Finds the set whose current token is <paramref name="token"/>, or whose previous token it is while that token's
    /// grace period (see <see cref="RotateTokenAsync"/>) has not ended at <paramref name="now"/> (it works while
    /// <paramref name="now"/> is before the end). Disabled sets are returned too; the caller decides. Deleted sets are not.
    /// </summary>
    /// <param name="token">The token from the URL.</param>
    /// <param name="now">The current time, for grace periods.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The set, or <see langword="null"/>.</returns>
    public abstract ValueTask<PostbackSet?> FindSetByTokenAsync(string token, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Lists all sets that are not deleted, enabled or not, oldest first by <see cref="PostbackSet.CreatedAt"/> then id (ordinal).</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The sets.</returns>
    public abstract ValueTask<IReadOnlyList<PostbackSet>> ListSetsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Replaces a set's name, campaign, settings and enabled flag; its id, token, network and creation time are kept from the
    /// stored set (whatever <paramref name="postbackSet"/> carries for them). The previous token's grace period is kept too.
    /// </summary>
    /// <param name="postbackSet">The set with its new values.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The stored set after the update, or <see langword="null"/> when no set has that id (or it was deleted).</returns>
    public abstract ValueTask<PostbackSet?> UpdateSetAsync(PostbackSet postbackSet, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces a set's token. The previous token keeps working until <paramref name="previousTokenValidUntil"/>
    /// (exclusive). A set has at most one previous token: rotating again retires the one before at once, whatever its
    /// grace period.
    /// </summary>
    /// <param name="setId">The set's id.</param>
    /// <param name="newToken">The new, unused token (see the remarks on <see cref="PostbackStore"/>).</param>
    /// <param name="previousTokenValidUntil">When the previous token stops working; <see langword="null"/> for at once.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The set with its new token, or <see langword="null"/> when no set has that id (or it was deleted).</returns>
    /// <exception cref="InvalidOperationException"><paramref name="newToken"/> is or was a token of any set.</exception>
    public abstract ValueTask<PostbackSet?> RotateTokenAsync(string setId, string newToken, DateTimeOffset? previousTokenValidUntil, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes a set: it is no longer found by id or token, nor listed. Its conversions and log entries are kept, and its id
    /// and tokens stay used.
    /// </summary>
    /// <param name="setId">The set's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when a set was deleted; <see langword="false"/> when none has that id or it was already deleted.</returns>
    public abstract ValueTask<bool> DeleteSetAsync(string setId, CancellationToken cancellationToken);

    /// <summary>
    /// Adds a click, and in the same transaction credits the unattributed conversions already stored for its id (their
    /// click was unknown when they arrived) whose <see cref="ConversionRecord.CampaignId"/> is <see langword="null"/> or
    /// equals the click's campaign: their attribution becomes <see cref="ConversionAttribution.Credited"/> and their
    /// campaign the click's. Their log entries keep the outcome they were answered with.
    /// </summary>
    /// <param name="click">The click; its id must be unused.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the click is stored.</returns>
    /// <exception cref="InvalidOperationException">A click with the same id exists.</exception>
    public abstract ValueTask AddClickAsync(Click click, CancellationToken cancellationToken);

    /// <summary>Finds a click by id (case-sensitive).</summary>
    /// <param name="clickId">The click id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The click, or <see langword="null"/>.</returns>
    public abstract ValueTask<Click?> FindClickAsync(string clickId, CancellationToken cancellationToken);

    /// <summary>
    /// Appends a conversion unless one with the same idempotency key is stored (for a windowed key: one received less
    /// than the window before or after this one), and writes <paramref name="logEntry"/> in the same
    /// transaction with its <see cref="PostbackLogEntry.Outcome"/> and <see cref="PostbackLogEntry.ConversionId"/> set
    /// to what happened. Race-free: of any number of concurrent identical appends, exactly one is accepted.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Keys are matched on <see cref="Ingestion.IdempotencyKey.Value"/> alone (ordinal, across all sets: the value
    /// already names the set). The window used is the one of the incoming conversion's key.
    /// </para>
    /// <para>
    /// Without a window, the append is a duplicate of the earliest stored conversion with the same value, if any.
    /// With a window, the append is a duplicate of the earliest stored conversion <c>c</c> (by receive time, then id)
    /// with the same value and <c>|receivedAt - c.ReceivedAt| &lt; window</c>. Otherwise it is stored. Only stored
    /// conversions count, never duplicates, so the window is measured from the first occurrence; and it reaches both
    /// ways, so a replay stamped with its original, earlier receive time still finds the retry accepted after it.
    /// </para>
    /// <para>
    /// A duplicate is not stored. The log entry is always stored, with outcome <see cref="PostbackOutcome.Duplicate"/>
    /// and the original's id for a duplicate, otherwise <see cref="PostbackOutcome.Accepted"/> (credited) or
    /// <see cref="PostbackOutcome.Unattributed"/> (unattributed) and the new conversion's id. Its other values are
    /// stored as given.
    /// </para>
    /// </remarks>
    /// <param name="conversion">The conversion with its new id.</param>
    /// <param name="logEntry">The request's log entry; outcome and conversion id are overwritten by the store.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Whether it was accepted or a duplicate, and the conversion id (the original's for a duplicate).</returns>
    /// <exception cref="InvalidOperationException">
    /// A log entry with the id of <paramref name="logEntry"/> exists, or the conversion is not a duplicate and a conversion
    /// with its id exists. Nothing is stored.
    /// </exception>
    public ValueTask<ConversionAppendResult> AppendConversionAsync(ConversionRecord conversion, PostbackLogEntry logEntry, CancellationToken cancellationToken) =>
        AppendConversionAsync(conversion, logEntry, [], cancellationToken);

    /// <summary>
    /// Appends a conversion, its log entry and its outbox messages in one transaction: as
    /// <see cref="AppendConversionAsync(ConversionRecord, PostbackLogEntry, CancellationToken)"/>, and when the conversion is
    /// stored (not a duplicate) every message of <paramref name="outboxMessages"/> is stored with it, as given. A duplicate
    /// stores none of them.
    /// </summary>
    /// <param name="conversion">The conversion with its new id.</param>
    /// <param name="logEntry">The request's log entry; outcome and conversion id are overwritten by the store.</param>
    /// <param name="outboxMessages">
    /// The messages to write with the conversion, each with a new id, <see cref="OutboxMessage.ConversionId"/> equal to the
    /// conversion's id and status <see cref="OutboxMessageStatus.Pending"/>; may be empty.
    /// </param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Whether it was accepted or a duplicate, and the conversion id (the original's for a duplicate).</returns>
    /// <exception cref="ArgumentException">A message belongs to another conversion or is not pending. Nothing is stored.</exception>
    /// <exception cref="InvalidOperationException">
    /// A log entry with the id of <paramref name="logEntry"/> exists, or the conversion is not a duplicate and a conversion
    /// or an outbox message with its id exists. Nothing is stored.
    /// </exception>
    public abstract ValueTask<ConversionAppendResult> AppendConversionAsync(ConversionRecord conversion, PostbackLogEntry logEntry, IReadOnlyList<OutboxMessage> outboxMessages, CancellationToken cancellationToken);

    /// <summary>Gets a conversion by id.</summary>
    /// <param name="conversionId">The conversion's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The conversion, or <see langword="null"/>.</returns>
    public abstract ValueTask<ConversionRecord?> GetConversionAsync(string conversionId, CancellationToken cancellationToken);

    /// <summary>
    /// Lists the stored conversions reported for a click id (case-sensitive), by any set, credited or not, oldest first by
    /// <see cref="Ingestion.Conversion.ReceivedAt"/> then id (ordinal). Duplicates are not stored, so not listed.
    /// </summary>
    /// <param name="clickId">The click id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The conversions.</returns>
    public abstract ValueTask<IReadOnlyList<ConversionRecord>> ListConversionsByClickAsync(string clickId, CancellationToken cancellationToken);

    /// <summary>Appends a postback log entry that has no conversion (a rejected request), as given.</summary>
    /// <param name="logEntry">The entry.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the entry is stored.</returns>
    /// <exception cref="InvalidOperationException">A log entry with the same id exists.</exception>
    public abstract ValueTask AppendLogAsync(PostbackLogEntry logEntry, CancellationToken cancellationToken);

    /// <summary>Gets a postback log entry by id.</summary>
    /// <param name="logEntryId">The entry's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The entry, or <see langword="null"/> (unknown or purged).</returns>
    public abstract ValueTask<PostbackLogEntry?> GetLogEntryAsync(string logEntryId, CancellationToken cancellationToken);

    /// <summary>
    /// Lists postback log entries matching the query's filters, newest first: by <see cref="PostbackLogEntry.ReceivedAt"/>
    /// descending, then id descending (ordinal). With <see cref="PostbackLogQuery.BeforeId"/>, only entries after that
    /// entry in this order are listed (whether or not it matches the filters); when no entry has that id, none are.
    /// </summary>
    /// <param name="query">Filters and paging.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The entries, at most <see cref="PostbackLogQuery.Limit"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="PostbackLogQuery.Limit"/> is not from 1 to 1000.</exception>
    public abstract ValueTask<IReadOnlyList<PostbackLogEntry>> ListLogAsync(PostbackLogQuery query, CancellationToken cancellationToken);

    /// <summary>Counts clicks, conversions and rejections, and sums credited deposits per currency.</summary>
    /// <param name="query">The filters; see <see cref="PostbackStatsQuery"/> for what each figure counts.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The figures.</returns>
    public abstract ValueTask<PostbackStats> GetStatsAsync(PostbackStatsQuery query, CancellationToken cancellationToken);

    /// <summary>Deletes postback log entries received before <paramref name="receivedBefore"/> (retention).</summary>
    /// <param name="receivedBefore">The cut-off; entries received exactly then are kept.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>How many entries were deleted.</returns>
    public abstract ValueTask<int> PurgeLogAsync(DateTimeOffset receivedBefore, CancellationToken cancellationToken);

    /// <summary>Erases a click's personal data (IP address and user agent); everything else is kept.</summary>
    /// <param name="clickId">The click id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when the click exists.</returns>
    public abstract ValueTask<bool> ForgetClickPersonalDataAsync(string clickId, CancellationToken cancellationToken);

    /// <summary>Adds a forwarding rule.</summary>
    /// <param name="rule">The rule; its id must be unused.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the rule is stored.</returns>
    /// <exception cref="InvalidOperationException">A rule with the same id exists.</exception>
    public abstract ValueTask AddForwardingRuleAsync(ForwardingRule rule, CancellationToken cancellationToken);

    /// <summary>Gets a forwarding rule by id.</summary>
    /// <param name="ruleId">The rule's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The rule, or <see langword="null"/> (unknown or deleted).</returns>
    public abstract ValueTask<ForwardingRule?> GetForwardingRuleAsync(string ruleId, CancellationToken cancellationToken);

    /// <summary>Lists all forwarding rules, oldest first by <see cref="ForwardingRule.CreatedAt"/> then id (ordinal).</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The rules.</returns>
    public abstract ValueTask<IReadOnlyList<ForwardingRule>> ListForwardingRulesAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Replaces a forwarding rule's settings, keeping its other values; its outbox messages are untouched. The SDK uses it to
    /// protect the plain secrets of existing rules in place (<see cref="ForwardingOptions.ProtectSecrets"/>).
    /// </summary>
    /// <remarks>
    /// Stores that predate this member throw <see cref="NotSupportedException"/>; the SDK calls it only when
    /// <see cref="ForwardingOptions.ProtectSecrets"/> is on, and then a host on such a store does not start.
    /// </remarks>
    /// <param name="ruleId">The rule's id.</param>
    /// <param name="settings">The new settings, a JSON object, stored as its exact text as <see cref="AddForwardingRuleAsync"/> does.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when the rule exists and was updated; <see langword="false"/> when none has that id (or it was deleted).</returns>
    /// <exception cref="NotSupportedException">The store does not implement it.</exception>
    public virtual ValueTask<bool> UpdateForwardingRuleSettingsAsync(string ruleId, JsonElement settings, CancellationToken cancellationToken) =>
        throw new NotSupportedException(
            $"{GetType().FullName} does not implement UpdateForwardingRuleSettingsAsync, which protecting the secrets of existing forwarding rules " +
            "(Postbacks:Forwarding:ProtectSecrets) needs. Update the store package, or turn ProtectSecrets off.");

    /// <summary>
    /// Deletes a forwarding rule. Its outbox messages are kept; the dispatcher dead-letters the pending ones when it meets
    /// them (their rule is gone).
    /// </summary>
    /// <param name="ruleId">The rule's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when a rule was deleted.</returns>
    public abstract ValueTask<bool> DeleteForwardingRuleAsync(string ruleId, CancellationToken cancellationToken);

    /// <summary>Adds a campaign.</summary>
    /// <param name="campaign">The campaign; its id must be unused (ordinal).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the campaign is stored.</returns>
    /// <exception cref="InvalidOperationException">A campaign with the same id exists.</exception>
    public abstract ValueTask AddCampaignAsync(Campaign campaign, CancellationToken cancellationToken);

    /// <summary>Gets a campaign by id (case-sensitive).</summary>
    /// <param name="campaignId">The campaign's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The campaign, or <see langword="null"/>.</returns>
    public abstract ValueTask<Campaign?> GetCampaignAsync(string campaignId, CancellationToken cancellationToken);

    /// <summary>Lists all campaigns by id (ordinal).</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The campaigns.</returns>
    public abstract ValueTask<IReadOnlyList<Campaign>> ListCampaignsAsync(CancellationToken cancellationToken);

    /// <summary>Replaces a campaign's name and destination template; its id and creation time are kept from the stored campaign.</summary>
    /// <param name="campaign">The campaign with its new values.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The stored campaign after the update, or <see langword="null"/> when none has that id.</returns>
    public abstract ValueTask<Campaign?> UpdateCampaignAsync(Campaign campaign, CancellationToken cancellationToken);

    /// <summary>Deletes a campaign; its id may be used again. Clicks and rules that name it are kept.</summary>
    /// <param name="campaignId">The campaign's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when a campaign was deleted.</returns>
    public abstract ValueTask<bool> DeleteCampaignAsync(string campaignId, CancellationToken cancellationToken);

    /// <summary>
    /// Leases due outbox messages for one dispatcher: up to <see cref="OutboxLeaseRequest.MaxCount"/> messages that are
    /// <see cref="OutboxMessageStatus.Pending"/>, due (<see cref="OutboxMessage.NextAttemptAt"/> at or before
    /// <see cref="OutboxLeaseRequest.Now"/>), not under a live lease (none, or one whose
    /// <see cref="OutboxMessage.LeaseExpiresAt"/> is at or before <see cref="OutboxLeaseRequest.Now"/>) and not of a rule in
    /// <see cref="OutboxLeaseRequest.ExcludedRuleIds"/>, earliest due first then by id (ordinal). Their
    /// <see cref="OutboxMessage.LeaseId"/> and <see cref="OutboxMessage.LeaseExpiresAt"/> are set.
    /// </summary>
    /// <remarks>
    /// Race-free: concurrent calls, from this process or (for a shared database) from other instances, never lease the same
    /// message while its lease lives.
    /// </remarks>
    /// <param name="request">The lease's id, the current time, the lease's duration and the most messages to lease.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The leased messages, as stored after the lease.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="OutboxLeaseRequest.MaxCount"/> is not from 1 to 10,000, or the duration is not positive.</exception>
    public abstract ValueTask<IReadOnlyList<OutboxMessage>> LeaseOutboxMessagesAsync(OutboxLeaseRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Records attempts and applies their outcomes in one transaction. A completion applies only when its message exists, is
    /// <see cref="OutboxMessageStatus.Pending"/> and still holds the completion's lease (<see cref="OutboxMessage.LeaseId"/>
    /// equals <see cref="OutboxCompletion.LeaseId"/>); otherwise it is skipped and nothing of it is stored. Applying one stores
    /// its attempt, sets <see cref="OutboxMessage.AttemptCount"/> to the attempt's number, <see cref="OutboxMessage.Status"/>,
    /// <see cref="OutboxMessage.LastErrorCode"/> and <see cref="OutboxMessage.LastError"/> to the attempt's error code and reason
    /// (<see langword="null"/> when delivered), <see cref="OutboxMessage.NextAttemptAt"/> to the completion's when pending
    /// (unchanged otherwise), <see cref="OutboxMessage.CompletedAt"/> to the completion's when delivered or dead-lettered
    /// (<see langword="null"/> when pending), and clears the lease.
    /// </summary>
    /// <param name="completions">The completions, at most one per message.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>How many completions were applied.</returns>
    /// <exception cref="ArgumentException">A pending completion has no <see cref="OutboxCompletion.NextAttemptAt"/>, or two completions name the same message.</exception>
    public abstract ValueTask<int> CompleteOutboxAttemptsAsync(IReadOnlyList<OutboxCompletion> completions, CancellationToken cancellationToken);

    /// <summary>
    /// Renews a lease its holder still holds: each message of <paramref name="messageIds"/> that is
    /// <see cref="OutboxMessageStatus.Pending"/> and holds <paramref name="leaseId"/> (whether or not that lease has ended:
    /// nobody took it over) gets <see cref="OutboxMessage.LeaseExpiresAt"/> = <paramref name="expiresAt"/>. Other messages
    /// and unknown ids are left as they are. A dispatcher renews the lease of what it is sending, so a long send keeps its
    /// messages while a crashed dispatcher's messages are free again soon.
    /// </summary>
    /// <param name="leaseId">The lease's id.</param>
    /// <param name="messageIds">The messages to renew; may be empty.</param>
    /// <param name="expiresAt">The new end of the lease.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>How many messages were renewed.</returns>
    /// <exception cref="ArgumentException"><paramref name="leaseId"/> is empty, or an id is <see langword="null"/>.</exception>
    public abstract ValueTask<int> ExtendOutboxLeaseAsync(string leaseId, IReadOnlyCollection<string> messageIds, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>
    /// Gives a lease up: each message of <paramref name="messageIds"/> that is <see cref="OutboxMessageStatus.Pending"/> and
    /// holds <paramref name="leaseId"/> has <see cref="OutboxMessage.LeaseId"/> and <see cref="OutboxMessage.LeaseExpiresAt"/>
    /// cleared, so any dispatcher may lease it again at once (when it is due); nothing else of it changes and no attempt is
    /// recorded. Other messages and unknown ids are left as they are.
    /// </summary>
    /// <param name="leaseId">The lease's id.</param>
    /// <param name="messageIds">The messages to release; may be empty.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>How many messages were released.</returns>
    /// <exception cref="ArgumentException"><paramref name="leaseId"/> is empty, or an id is <see langword="null"/>.</exception>
    public abstract ValueTask<int> ReleaseOutboxLeaseAsync(string leaseId, IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken);

    /// <summary>Gets an outbox message by id.</summary>
    /// <param name="messageId">The message's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The message, or <see langword="null"/>.</returns>
    public abstract ValueTask<OutboxMessage?> GetOutboxMessageAsync(string messageId, CancellationToken cancellationToken);

    /// <summary>Lists the recorded attempts of an outbox message by number.</summary>
    /// <param name="messageId">The message's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The attempts; empty for an unknown message.</returns>
    public abstract ValueTask<IReadOnlyList<OutboxAttempt>> ListOutboxAttemptsAsync(string messageId, CancellationToken cancellationToken);

    /// <summary>
    /// Lists outbox messages matching the query's filters, newest first: by <see cref="OutboxMessage.CreatedAt"/> descending,
    /// then id descending (ordinal). With <see cref="OutboxQuery.BeforeId"/>, only messages after that message in this order
    /// are listed (whether or not it matches the filters); when no message has that id, none are.
    /// </summary>
    /// <param name="query">Filters and paging.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The messages, at most <see cref="OutboxQuery.Limit"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="OutboxQuery.Limit"/> is not from 1 to 1000.</exception>
    public abstract ValueTask<IReadOnlyList<OutboxMessage>> ListOutboxMessagesAsync(OutboxQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Schedules an outbox message for delivery now. A dead letter becomes <see cref="OutboxMessageStatus.Pending"/> with
    /// <see cref="OutboxMessage.NextAttemptAt"/> and <see cref="OutboxMessage.RetryFrom"/> set to <paramref name="now"/>
    /// (a new retry horizon) and <see cref="OutboxMessage.CompletedAt"/> cleared; its attempt count and last error are kept.
    /// A pending message not under a live lease gets <see cref="OutboxMessage.NextAttemptAt"/> = <paramref name="now"/>.
    /// A leased or delivered message is left as it is.
    /// </summary>
    /// <param name="messageId">The message's id.</param>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The message after the call (check its status), or <see langword="null"/> when none has that id.</returns>
    public abstract ValueTask<OutboxMessage?> RetryOutboxMessageAsync(string messageId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Checks that the store can serve requests (for health checks): that it can be read, and that writes succeed. Reads
    /// alone are not enough: a store that reads but cannot write (a full disk, a lock held elsewhere, a read-only server)
    /// answers every postback 503. A store that knows its writes are failing throws too, and may commit a small probe
    /// write to find out whether they work again. Throws <see cref="PostbackStoreUnavailableException"/>, saying why, when
    /// the store cannot serve requests. The default does nothing (a store in memory is always available).
    /// </summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the store answered.</returns>
    public virtual ValueTask CheckHealthAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>
    /// Checks the outbox messages of an append as <see cref="AppendConversionAsync(ConversionRecord, PostbackLogEntry, IReadOnlyList{OutboxMessage}, CancellationToken)"/>
    /// requires, before anything is written: each is not <see langword="null"/>, belongs to the conversion and is pending.
    /// For store implementations, so every store refuses the same input with the same message.
    /// </summary>
    /// <param name="conversionId">The id of the conversion being appended.</param>
    /// <param name="outboxMessages">The messages to write with it.</param>
    /// <exception cref="ArgumentException">A message is <see langword="null"/>, belongs to another conversion or is not pending.</exception>
    protected static void ValidateNewOutboxMessages(string conversionId, IReadOnlyList<OutboxMessage> outboxMessages)
    {
        ArgumentNullException.ThrowIfNull(outboxMessages);
        foreach (var message in outboxMessages)
        {
            if (message is null)
            {
                throw new ArgumentException("An outbox message is null.", nameof(outboxMessages));
            }

            if (!string.Equals(message.ConversionId, conversionId, StringComparison.Ordinal))
            {
                throw new ArgumentException($"Outbox message '{message.Id}' belongs to conversion '{message.ConversionId}', not '{conversionId}'.", nameof(outboxMessages));
            }

            if (message.Status != OutboxMessageStatus.Pending)
            {
                throw new ArgumentException($"Outbox message '{message.Id}' is {message.Status}; new messages are pending.", nameof(outboxMessages));
            }
        }
    }

    /// <summary>
    /// Checks the arguments of <see cref="ExtendOutboxLeaseAsync"/> and <see cref="ReleaseOutboxLeaseAsync"/> before anything
    /// is written: the lease id is not empty and no message id is <see langword="null"/>. For store implementations, so every
    /// store refuses the same input with the same message.
    /// </summary>
    /// <param name="leaseId">The lease's id.</param>
    /// <param name="messageIds">The message ids.</param>
    /// <exception cref="ArgumentException">The lease id is empty, or a message id is <see langword="null"/>.</exception>
    protected static void ValidateLeaseMessages(string leaseId, IReadOnlyCollection<string> messageIds)
    {
        ArgumentException.ThrowIfNullOrEmpty(leaseId);
        ArgumentNullException.ThrowIfNull(messageIds);
        foreach (var messageId in messageIds)
        {
            if (messageId is null)
            {
                throw new ArgumentException("A message id is null.", nameof(messageIds));
            }
        }
    }

    /// <summary>
    /// Checks completions as <see cref="CompleteOutboxAttemptsAsync"/> requires, before anything is written: none is
    /// <see langword="null"/>, a pending one has a next attempt time, and no two name the same message. For store
    /// implementations, so every store refuses the same input with the same message.
    /// </summary>
    /// <param name="completions">The completions.</param>
    /// <exception cref="ArgumentException">A completion is invalid, or two name the same message.</exception>
    protected static void ValidateCompletions(IReadOnlyList<OutboxCompletion> completions)
    {
        ArgumentNullException.ThrowIfNull(completions);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var completion in completions)
        {
            ArgumentNullException.ThrowIfNull(completion, nameof(completions));
            ArgumentNullException.ThrowIfNull(completion.Attempt, nameof(completions));
            if (completion.Status == OutboxMessageStatus.Pending && completion.NextAttemptAt is null)
            {
                throw new ArgumentException($"The completion of message '{completion.Attempt.MessageId}' is pending but has no next attempt time.", nameof(completions));
            }

            if (!seen.Add(completion.Attempt.MessageId))
            {
                throw new ArgumentException($"Two completions name message '{completion.Attempt.MessageId}'.", nameof(completions));
            }
        }
    }
}
