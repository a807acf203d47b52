using System.Runtime.ExceptionServices;
using System.Text;
using Chatterfy.Postbacks.Campaigns;
using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Currencies;
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
/// The decisions are made here, once, for every store: the outcome a stored conversion is logged with (accepted when
/// credited to its click, unattributed otherwise), the time range in which an earlier conversion with the same key makes
/// this one a duplicate, and what the registered <see cref="IngestionHook"/>s (forwarding's outbox messages) write with
/// it. Concurrent postbacks are committed together, in batches the store prefers; each call returns only once the commit
/// that holds its postback is done.
/// </remarks>
public sealed partial class PostbackIngestor
{
    private readonly GroupCommit _appends;
    private readonly PostbackSetCache _sets;
    private readonly PostbackSetStore _setStore;
    private readonly ClickCache _clicks;
    private readonly CampaignWindowCache _campaignWindows;
    private readonly PostbackParser _parser;
    private readonly TimeProvider _timeProvider;
    private readonly ReportingCurrencyRates _reporting;
    private readonly ILogger<PostbackIngestor> _logger;
    private readonly IngestionHook[] _hooks;

    // How many times a status postback is decided again after the store refused its change (another change won).
    private const int MaxStatusRounds = 5;

    // Created by AddChatterfyPostbacks: it shares the token cache that PostbackSetService invalidates, the click cache that
    // ClickService fills, and the group commit of every ingestion of the process.
    internal PostbackIngestor(
        GroupCommit appends,
        PostbackSetCache sets,
        PostbackSetStore setStore,
        ClickCache clicks,
        CampaignWindowCache campaignWindows,
        PostbackParser parser,
        TimeProvider timeProvider,
        ReportingCurrencyRates reporting,
        ILogger<PostbackIngestor>? logger,
        IEnumerable<IngestionHook> hooks)
    {
        _appends = appends;
        _sets = sets;
        _setStore = setStore;
        _clicks = clicks;
        _campaignWindows = campaignWindows;
        _parser = parser;
        _timeProvider = timeProvider;
        _reporting = reporting;
        _logger = logger ?? NullLogger<PostbackIngestor>.Instance;
        _hooks = [.. hooks];
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
        var set = await _setStore.GetAsync(logEntry.SetId, cancellationToken).ConfigureAwait(false);
        if (set is null || !set.Enabled)
        {
            return PostbackIngestionResult.SetNotFound;
        }

        // A reconciled row replays as it was ingested: with its warning, not forwarded.
        var reconciled = string.Equals(logEntry.Request.Method, PostbackRequest.ReconcileMethod, StringComparison.Ordinal);
        return await IngestAsync(set, logEntry.Request, logEntry.ReceivedAt, cancellationToken, reconciled, forward: !reconciled).ConfigureAwait(false);
    }

    /// <summary>
    /// Ingests a row of a network's report that no postback brought (<see cref="Reconciliation.ReconciliationService.IngestMissingAsync"/>):
    /// the request's method is <see cref="PostbackRequest.ReconcileMethod"/>, its receive time the row's, it carries the
    /// <see cref="PostbackWarningCodes.Reconciled"/> warning and is de-duplicated as any postback. Without
    /// <paramref name="forward"/> no <see cref="IngestionHook"/> is asked: nothing is forwarded nor sent to reaction rules.
    /// </summary>
    internal ValueTask<PostbackIngestionResult> IngestReconciledAsync(PostbackSet set, PostbackRequest request, DateTimeOffset receivedAt, bool forward, CancellationToken cancellationToken) =>
        IngestAsync(set, request, receivedAt, cancellationToken, reconciled: true, forward);

    private async ValueTask<PostbackIngestionResult> IngestAsync(PostbackSet set, PostbackRequest request, DateTimeOffset receivedAt, CancellationToken cancellationToken, bool reconciled = false, bool forward = true)
    {
        // The request is an immutable record: log it as it is unless its body must be cut.
        var loggedBody = TruncateBody(request.Body);
        var logged = ReferenceEquals(loggedBody, request.Body) ? request : request with { Body = loggedBody };
        var parsed = _parser.Parse(set, request, receivedAt);
        if (reconciled)
        {
            PostbackWarning[] warned = [new PostbackWarning(PostbackWarningCodes.Reconciled, "The conversion comes from the network's report (reconciliation), not from a postback."), .. parsed.Warnings];
            parsed = parsed.IsValid ? PostbackParseResult.Success(parsed.Conversion, warned) : PostbackParseResult.Rejected(parsed.Rejection, warned);
        }

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
            ThrowIfFailed(await _appends.AppendAsync(new IngestRecord { LogEntry = logEntry }).ConfigureAwait(false));
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
        if (conversion.Status is not null)
        {
            return await IngestStatusAsync(set, logged, logEntryId, conversion, parsed.Warnings, forward, cancellationToken).ConfigureAwait(false);
        }

        return (await StoreNewAsync(set, logged, logEntryId, conversion, parsed.Warnings, logsDuplicate: true, forward, cancellationToken).ConfigureAwait(false))!;
    }

    // A postback with a status (PostbackParser): it changes the stored conversion it matches when the change is allowed
    // (ConversionStatusTransitions), is a duplicate when it is not, and is stored as a new conversion in its status when it
    // matches none (event URLs only). The store's compare-and-set settles races: a change that lost, or a new conversion
    // whose key turned out stored, is decided again from a fresh read, a bounded number of times.
    private async ValueTask<PostbackIngestionResult> IngestStatusAsync(
        PostbackSet set, PostbackRequest logged, string logEntryId, Conversion conversion, IReadOnlyList<PostbackWarning> warnings, bool forward, CancellationToken cancellationToken)
    {
        var status = conversion.Status!.Value;
        for (var round = 0; round < MaxStatusRounds; round++)
        {
            var conversions = await _appends.Store.ListConversionsByClickAsync(conversion.ClickId, cancellationToken).ConfigureAwait(false);
            var target = StatusTarget.Find(conversion, conversions);
            if (target is null)
            {
                if (conversion.IsStatusOnly)
                {
                    var rejection = new PostbackRejection(
                        PostbackRejectionCodes.StatusTargetUnknown,
                        conversion.TransactionId is null
                            ? $"The click '{conversion.ClickId}' has not exactly one {ConversionStatusNames.Pending} conversion in this set: send the transaction id (tid) of the conversion to change."
                            : $"The click '{conversion.ClickId}' has not exactly one conversion with this transaction id in this set.",
                        conversion.TransactionId is null ? "clickid" : "tid");
                    return await RejectAsync(set, logged, logEntryId, conversion.ReceivedAt, rejection, warnings).ConfigureAwait(false);
                }

                // A first pending or approved postback is the conversion's original; a reversal without one is worth a warning.
                var without = status is ConversionStatus.Rejected or ConversionStatus.Chargeback
                    ? warnings.Append(new PostbackWarning(PostbackWarningCodes.StatusWithoutOriginal, $"No stored conversion matches this {ConversionStatusNames.Name(status)} postback; a new conversion is stored in that status, and it lowers nothing.", "status")).ToArray()
                    : warnings;
                if (await StoreNewAsync(set, logged, logEntryId, conversion, without, logsDuplicate: false, forward, cancellationToken).ConfigureAwait(false) is { } stored)
                {
                    return stored;
                }

                // Its key was stored meanwhile (another instance): decide again against that conversion.
                continue;
            }

            if (!ConversionStatusTransitions.IsAllowed(target.Status, status))
            {
                var ignored = warnings.Append(new PostbackWarning(PostbackWarningCodes.StatusTransitionIgnored, $"The conversion is {ConversionStatusNames.Name(target.Status)}; a change to {ConversionStatusNames.Name(status)} is not allowed, so nothing changed.", "status")).ToArray();
                var entry = new PostbackLogEntry
                {
                    Id = logEntryId,
                    ReceivedAt = conversion.ReceivedAt,
                    SetId = set.Id,
                    Request = logged,
                    Outcome = PostbackOutcome.Duplicate,
                    ConversionId = target.Id,
                    Warnings = Codes(ignored),
                };
                ThrowIfFailed(await _appends.AppendAsync(new IngestRecord { LogEntry = entry }).ConfigureAwait(false));
                LogStored(_logger, set.Id, target.Conversion.Event.Name, PostbackOutcome.Duplicate, target.Id);
                return new PostbackIngestionResult
                {
                    Outcome = PostbackOutcome.Duplicate,
                    SetId = set.Id,
                    NetworkId = set.NetworkId,
                    ConversionId = target.Id,
                    Conversion = conversion,
                    Warnings = ignored,
                    LogEntryId = logEntryId,
                    ConversionStatus = target.Status,
                };
            }

            var changedEntry = new PostbackLogEntry
            {
                Id = logEntryId,
                ReceivedAt = conversion.ReceivedAt,
                SetId = set.Id,
                Request = logged,
                Outcome = PostbackOutcome.Changed,
                ConversionId = target.Id,
                Warnings = Codes(warnings),
            };
            if (!await TryChangeStatusAsync(set, target, status, conversion.StatusWord!, conversion.StatusWordUnknown, changedEntry, forward, cancellationToken).ConfigureAwait(false))
            {
                // Another postback changed it first: decide again from its new status.
                continue;
            }

            return new PostbackIngestionResult
            {
                Outcome = PostbackOutcome.Changed,
                SetId = set.Id,
                NetworkId = set.NetworkId,
                ConversionId = target.Id,
                Conversion = conversion,
                Warnings = warnings,
                LogEntryId = logEntryId,
                ConversionStatus = status,
            };
        }

        LogStatusContended(_logger, set.Id, conversion.ClickId, MaxStatusRounds);
        throw new PostbackStoreUnavailableException($"The status postback's conversion kept changing under it ({MaxStatusRounds} attempts); retry later.");
    }


    private async ValueTask<PostbackIngestionResult> RejectAsync(PostbackSet set, PostbackRequest logged, string logEntryId, DateTimeOffset receivedAt, PostbackRejection rejection, IReadOnlyList<PostbackWarning> warnings)
    {
        var logEntry = new PostbackLogEntry
        {
            Id = logEntryId,
            ReceivedAt = receivedAt,
            SetId = set.Id,
            Request = logged,
            Outcome = PostbackOutcome.Rejected,
            Code = rejection.Code,
            Warnings = Codes(warnings),
        };
        ThrowIfFailed(await _appends.AppendAsync(new IngestRecord { LogEntry = logEntry }).ConfigureAwait(false));
        LogRejected(_logger, set.Id, rejection.Code, rejection.Message);
        return new PostbackIngestionResult
        {
            Outcome = PostbackOutcome.Rejected,
            SetId = set.Id,
            NetworkId = set.NetworkId,
            Rejection = rejection,
            Warnings = warnings,
            LogEntryId = logEntryId,
        };
    }

    // Stores a new conversion (attribution, reporting amount, forwarding), or answers the duplicate of a stored one. With
    // logsDuplicate false a duplicate writes nothing and returns null (the caller decides again).
    private async ValueTask<PostbackIngestionResult?> StoreNewAsync(
        PostbackSet set, PostbackRequest logged, string logEntryId, Conversion conversion, IReadOnlyList<PostbackWarning> parsedWarnings, bool logsDuplicate, bool forward, CancellationToken cancellationToken)
    {
        var receivedAt = conversion.ReceivedAt;

        // The parser's warnings are kept as they are unless attribution adds one (a credited postback adds none).
        var warnings = parsedWarnings;
        var click = await _clicks.FindAsync(conversion.ClickId, cancellationToken).ConfigureAwait(false);
        var attribution = ConversionAttribution.Credited;
        var windowPassed = false;
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
        else if (await AttributionWindowOfAsync(set, click, cancellationToken).ConfigureAwait(false) is { } window
            && AttributionWindow.HasPassed(click.CreatedAt, receivedAt, window))
        {
            // Measured from the original receive time on a replay (receivedAt is the log entry's then).
            attribution = ConversionAttribution.Unattributed;
            windowPassed = true;
            warnings = [.. warnings, new PostbackWarning(PostbackWarningCodes.AttributionWindowPassed, $"The conversion came more than {window} seconds (the attribution window) after its click; it is stored as unattributed and not forwarded.", "clickid")];
        }

        // Converted at the receive time (a replay keeps the original), once: the stored amount never changes with the rates.
        ReportingAmount? reporting = null;
        if (conversion is { Amount: { } amount, Currency: { } currency } && _reporting.Currency is { } reportingCurrency
            && !_reporting.TryConvert(amount, currency, conversion.ReceivedAt, out reporting))
        {
            warnings = [.. warnings, new PostbackWarning(PostbackWarningCodes.ExchangeRateMissing, $"No exchange rate from {currency} to {reportingCurrency} on {DateOnly.FromDateTime(conversion.ReceivedAt.UtcDateTime).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)} or the {ReportingCurrencyConverter.LookbackDays} days before; the conversion is stored without a reporting amount.", "currency")];
        }

        var record = new ConversionRecord
        {
            Id = StoreIds.New(_timeProvider),
            Conversion = conversion,
            Attribution = attribution,
            CampaignId = attribution == ConversionAttribution.Credited ? click!.CampaignId : set.CampaignId,
            AttributionWindowPassed = windowPassed,
            ReportingAmount = reporting,
            Status = conversion.Status ?? ConversionStatus.Approved,
            StatusWord = conversion.StatusWord,
            StatusWordUnknown = conversion.StatusWordUnknown,
        };

        // A new conversion is logged as accepted when it is credited to its click, as unattributed when it is not; a
        // duplicate is logged as one, with the stored conversion's id (the store tells which).
        var storedOutcome = attribution == ConversionAttribution.Credited ? PostbackOutcome.Accepted : PostbackOutcome.Unattributed;
        var entry = new PostbackLogEntry
        {
            Id = logEntryId,
            ReceivedAt = receivedAt,
            SetId = set.Id,
            Request = logged,
            Outcome = storedOutcome,
            ConversionId = record.Id,
            Warnings = Codes(warnings),
        };

        // Offered to the hooks in whatever status it is created (a reconciled one only when asked); a forwarding rule's
        // filter decides (ForwardingRuleFilter.MatchesStatus: without statuses, only an approved conversion).
        var contributed = forward
            ? await ContributeAsync(set, record, cancellationToken).ConfigureAwait(false)
            : new Contribution([], null);

        // Once the store is asked to commit, the outcome must not depend on the caller hanging up: a network that
        // gave up retries and gets "duplicate", which is right only if this append completes.
        var appended = await _appends.AppendAsync(new IngestRecord
        {
            LogEntry = entry,
            Conversion = record,
            DuplicateRange = DuplicateWindow.Of(conversion.IdempotencyKey, conversion.ReceivedAt),
            DuplicateOutcome = PostbackOutcome.Duplicate,
            OutboxMessages = contributed.Messages,
            LogsDuplicate = logsDuplicate,
        }).ConfigureAwait(false);
        ThrowIfFailed(appended);
        if (appended.IsDuplicate && !logsDuplicate)
        {
            return null;
        }

        if (!appended.IsDuplicate)
        {
            OnStored(record with { DepositNumber = appended.DepositNumber }, contributed);
        }

        var outcome = appended.IsDuplicate ? PostbackOutcome.Duplicate : storedOutcome;
        LogStored(_logger, set.Id, conversion.Event.Name, outcome, appended.ConversionId!);
        return new PostbackIngestionResult
        {
            Outcome = outcome,
            SetId = set.Id,
            NetworkId = set.NetworkId,
            ConversionId = appended.ConversionId,
            Conversion = conversion,
            Warnings = warnings,
            LogEntryId = logEntryId,
            DepositNumber = appended.IsDuplicate ? null : appended.DepositNumber,
            ConversionStatus = appended.IsDuplicate ? null : record.Status,
        };
    }

    // The campaign's window wins over the set's (AttributionWindow.Of); a click without a campaign has only the set's.
    private async ValueTask<long?> AttributionWindowOfAsync(PostbackSet set, CachedClick click, CancellationToken cancellationToken)
    {
        var campaignSeconds = click.CampaignId is null
            ? null
            : await _campaignWindows.GetWindowSecondsAsync(click.CampaignId, cancellationToken).ConfigureAwait(false);
        return AttributionWindow.Of(campaignSeconds, set.AttributionWindowSeconds);
    }

    // Without hooks (no forwarding) nothing is asked and nothing allocated: [] is a shared empty array.
    private async ValueTask<Contribution> ContributeAsync(PostbackSet set, ConversionRecord record, CancellationToken cancellationToken)
    {
        switch (_hooks.Length)
        {
            case 0:
                return new Contribution([], null);
            case 1:
                return new Contribution(await _hooks[0].CreateOutboxMessagesAsync(set, record, cancellationToken).ConfigureAwait(false), null);
            default:
                var byHook = new IReadOnlyList<OutboxMessage>[_hooks.Length];
                var all = new List<OutboxMessage>();
                for (var i = 0; i < _hooks.Length; i++)
                {
                    byHook[i] = await _hooks[i].CreateOutboxMessagesAsync(set, record, cancellationToken).ConfigureAwait(false);
                    all.AddRange(byHook[i]);
                }

                return new Contribution(all, byHook);
        }
    }

    private void OnStored(ConversionRecord record, Contribution contributed)
    {
        for (var i = 0; i < _hooks.Length; i++)
        {
            _hooks[i].OnStored(record, contributed.ByHook?[i] ?? contributed.Messages);
        }
    }

    private static void ThrowIfFailed(IngestResult result)
    {
        if (result.Failure is { } failure)
        {
            ExceptionDispatchInfo.Throw(failure);
        }
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

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Status postback for set {SetId}, click {ClickId}: the conversion kept changing under it for {Rounds} attempts; answered 503 so the network retries")]
    private static partial void LogStatusContended(ILogger logger, string setId, string clickId, int rounds);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Debug, Message = "Postback for set {SetId} ({Event}) stored as {Outcome}, conversion {ConversionId}")]
    private static partial void LogStored(ILogger logger, string setId, string @event, PostbackOutcome outcome, string conversionId);

    /// <summary>What the hooks gave for a conversion: all messages, and (with more than one hook) each hook's own.</summary>
    private readonly record struct Contribution(IReadOnlyList<OutboxMessage> Messages, IReadOnlyList<OutboxMessage>[]? ByHook);
}
