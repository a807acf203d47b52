using System.Text;
using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Chatterfy.Postbacks.Ingestion;

/// <summary>
/// The ingestion pipeline for one request: find the set by token, parse and validate, attribute to the click, and store
/// the conversion with its log entry (de-duplicated by the store). Rejected requests are logged and change nothing else.
/// Get it from the service provider after <c>AddChatterfyPostbacks()</c>.
/// </summary>
/// <remarks>
/// With forwarding (<c>AddForwarding()</c>), a credited conversion is matched to the forwarding rules of its set and of its
/// click's campaign, and one outbox message per matched rule is written in the conversion's transaction; a duplicate
/// writes none. Unattributed conversions (unknown click, or a click of another campaign on a campaign-scoped set) are
/// never forwarded: without a click there is no campaign to match and nothing a destination could attribute them to.
/// </remarks>
public sealed partial class PostbackIngestor
{
    private readonly PostbackStore _store;
    private readonly PostbackSetCache _sets;
    private readonly PostbackParser _parser;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<PostbackIngestor> _logger;
    private readonly ForwardingRuleCache? _rules;
    private readonly OutboxSignal? _outboxSignal;

    // Created by AddChatterfyPostbacks: it shares the token cache that PostbackSetService invalidates, and (with forwarding)
    // the rule cache that ForwardingRuleService invalidates; without forwarding both of those are null.
    internal PostbackIngestor(
        PostbackStore store,
        PostbackSetCache sets,
        PostbackParser parser,
        TimeProvider timeProvider,
        ILogger<PostbackIngestor>? logger,
        ForwardingRuleCache? rules = null,
        OutboxSignal? outboxSignal = null)
    {
        _sets = sets;
        _store = store;
        _parser = parser;
        _timeProvider = timeProvider;
        _logger = logger ?? NullLogger<PostbackIngestor>.Instance;
        _rules = rules;
        _outboxSignal = outboxSignal;
    }

    /// <summary>Processes one postback request addressed to the set with <paramref name="token"/>.</summary>
    /// <param name="token">The token from the URL.</param>
    /// <param name="request">The raw request.</param>
    /// <param name="cancellationToken">Cancels the operation before the store commits.</param>
    /// <returns>The outcome; acknowledge the network only when the returned task completed (the store has committed).</returns>
    public async ValueTask<PostbackIngestionResult> IngestAsync(string token, PostbackRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(request);
        var now = _timeProvider.GetUtcNow();

        // Malformed tokens never reach the store: brute force and scanners cost a length check.
        if (!PostbackSetToken.HasValidShape(token))
        {
            return PostbackIngestionResult.SetNotFound;
        }

        var set = await _sets.FindByTokenAsync(token, cancellationToken).ConfigureAwait(false);
        if (set is null || !set.Enabled)
        {
            return PostbackIngestionResult.SetNotFound;
        }

        return await IngestAsync(set, request, now, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Re-runs a logged request through ingestion with the set's current settings and the original receive time.</summary>
    /// <param name="logEntry">The logged request.</param>
    /// <param name="cancellationToken">Cancels the operation before the store commits.</param>
    /// <returns>The new outcome; replaying an accepted request yields a duplicate.</returns>
    public async ValueTask<PostbackIngestionResult> ReplayAsync(PostbackLogEntry logEntry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(logEntry);
        var set = await _store.GetSetAsync(logEntry.SetId, cancellationToken).ConfigureAwait(false);
        if (set is null || !set.Enabled)
        {
            return PostbackIngestionResult.SetNotFound;
        }

        return await IngestAsync(set, logEntry.Request, logEntry.ReceivedAt, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<PostbackIngestionResult> IngestAsync(PostbackSet set, PostbackRequest request, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        // The request is an immutable record: log it as it is unless its body must be cut.
        var loggedBody = TruncateBody(request.Body);
        var logged = ReferenceEquals(loggedBody, request.Body) ? request : request with { Body = loggedBody };
        var parsed = _parser.Parse(set, request, receivedAt);

        // The log entry is created once, when its warnings are known; its id is taken now, before the conversion's.
        var logEntryId = StoreIds.New(_timeProvider);
        if (!parsed.IsValid)
        {
            var logEntry = new PostbackLogEntry
            {
                Id = logEntryId,
                ReceivedAt = receivedAt,
                SetId = set.Id,
                Request = logged,
                Outcome = PostbackOutcome.Rejected,
                Code = parsed.Rejection.Code,
                Warnings = Codes(parsed.Warnings),
            };
            await _store.AppendLogAsync(logEntry, cancellationToken).ConfigureAwait(false);
            LogRejected(_logger, set.Id, parsed.Rejection.Code, parsed.Rejection.Message);
            return new PostbackIngestionResult
            {
                Outcome = PostbackOutcome.Rejected,
                SetId = set.Id,
                NetworkId = set.NetworkId,
                Rejection = parsed.Rejection,
                Warnings = parsed.Warnings,
                LogEntryId = logEntryId,
            };
        }

        var conversion = parsed.Conversion;
        // The parser's warnings are kept as they are unless attribution adds one (a credited postback adds none).
        var warnings = parsed.Warnings;
        var click = await _store.FindClickAsync(conversion.ClickId, cancellationToken).ConfigureAwait(false);
        var attribution = ConversionAttribution.Credited;
        if (click is null)
        {
            attribution = ConversionAttribution.Unattributed;
            warnings = [.. warnings, new PostbackWarning(PostbackWarningCodes.ClickUnknown, $"The click id '{conversion.ClickId}' is not known to the tracker; the conversion is stored as unattributed.", "clickid")];
        }
        else if (set.CampaignId is not null && !string.Equals(set.CampaignId, click.CampaignId, StringComparison.Ordinal))
        {
            attribution = ConversionAttribution.Unattributed;
            warnings = [.. warnings, new PostbackWarning(PostbackWarningCodes.CampaignMismatch, $"The set is scoped to campaign '{set.CampaignId}' but the click belongs to '{click.CampaignId}'; the conversion is stored as unattributed.", "clickid")];
        }

        var record = new ConversionRecord
        {
            Id = StoreIds.New(_timeProvider),
            Conversion = conversion,
            Attribution = attribution,
            CampaignId = attribution == ConversionAttribution.Credited ? click!.CampaignId : set.CampaignId,
        };
        var entry = new PostbackLogEntry
        {
            Id = logEntryId,
            ReceivedAt = receivedAt,
            SetId = set.Id,
            Request = logged,
            Outcome = PostbackOutcome.Rejected,
            Warnings = Codes(warnings),
        };

        // Without forwarding, or for an unattributed conversion, nothing is matched and nothing allocated: [] is a shared empty array.
        IReadOnlyList<OutboxMessage> messages = [];
        if (_rules is not null && attribution == ConversionAttribution.Credited)
        {
            messages = await CreateOutboxMessagesAsync(_rules, set.Id, record).ConfigureAwait(false);
        }

        // Once the store is asked to commit, the outcome must not depend on the caller hanging up: a network that
        // gave up retries and gets "duplicate", which is right only if this append completes.
        var appended = await _store.AppendConversionAsync(record, entry, messages, CancellationToken.None).ConfigureAwait(false);
        if (!appended.IsDuplicate && messages.Count > 0)
        {
            _outboxSignal?.Notify();
        }

        var outcome = appended.IsDuplicate
            ? PostbackOutcome.Duplicate
            : attribution == ConversionAttribution.Credited ? PostbackOutcome.Accepted : PostbackOutcome.Unattributed;
        LogStored(_logger, set.Id, conversion.Event.Name, outcome, appended.ConversionId);
        return new PostbackIngestionResult
        {
            Outcome = outcome,
            SetId = set.Id,
            NetworkId = set.NetworkId,
            ConversionId = appended.ConversionId,
            Conversion = conversion,
            Warnings = warnings,
            LogEntryId = logEntryId,
        };
    }

    private async ValueTask<IReadOnlyList<OutboxMessage>> CreateOutboxMessagesAsync(ForwardingRuleCache rules, string setId, ConversionRecord record)
    {
        var snapshot = await rules.GetAsync().ConfigureAwait(false);
        var matched = ForwardingRuleCache.Match(snapshot, setId, record.CampaignId, record.Conversion.Event);
        if (matched.Count == 0)
        {
            return [];
        }

        // Now, not the receive time: a replayed postback's messages are new, and their retry horizon starts today.
        var now = _timeProvider.GetUtcNow();
        var messages = new OutboxMessage[matched.Count];
        for (var i = 0; i < messages.Length; i++)
        {
            var rule = matched[i].Rule;
            messages[i] = new OutboxMessage
            {
                Id = StoreIds.New(_timeProvider),
                ConversionId = record.Id,
                RuleId = rule.Id,
                DestinationId = rule.DestinationId,
                CreatedAt = now,
                NextAttemptAt = now,
                RetryFrom = now,
            };
        }

        return messages;
    }

    private static string? TruncateBody(string? body)
    {
        if (body is null || Encoding.UTF8.GetMaxByteCount(body.Length) <= PostbackRequest.MaxBodyBytes || Encoding.UTF8.GetByteCount(body) <= PostbackRequest.MaxBodyBytes)
        {
            return body;
        }

        // Cut by characters until the UTF-8 size fits; the log keeps what the receiver was allowed to read.
        var length = Math.Min(body.Length, PostbackRequest.MaxBodyBytes);
        while (Encoding.UTF8.GetByteCount(body.AsSpan(0, length)) > PostbackRequest.MaxBodyBytes)
        {
            length -= Math.Max(1, length / 16);
        }

        return body[..length];
    }

    private static string[] Codes(IReadOnlyList<PostbackWarning> warnings)
    {
        if (warnings.Count == 0)
        {
            return [];
        }

        var codes = new string[warnings.Count];
        for (var i = 0; i < codes.Length; i++)
        {
            codes[i] = warnings[i].Code;
        }

        return codes;
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug, Message = "Postback for set {SetId} rejected with {Code}: {Reason}")]
    private static partial void LogRejected(ILogger logger, string setId, string code, string reason);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Debug, Message = "Postback for set {SetId} ({Event}) stored as {Outcome}, conversion {ConversionId}")]
    private static partial void LogStored(ILogger logger, string setId, string @event, PostbackOutcome outcome, string conversionId);
}
