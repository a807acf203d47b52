using System.Collections.ObjectModel;
using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.PostbackSets;

namespace Chatterfy.Postbacks.Storage;

/// <summary>
/// A <see cref="PostbackStore"/> that keeps everything in process memory, for tests and demos only: nothing survives a
/// restart and nothing is shared between instances. Use a database store in production.
/// </summary>
/// <remarks>
/// Thread-safe: every operation runs under one lock, which makes idempotency race-free within the process. Stored values
/// are copied on the way in, so later changes to the caller's dictionaries, lists or JSON documents do not reach the store.
/// All operations complete synchronously; an already cancelled token throws <see cref="OperationCanceledException"/>.
/// </remarks>
public sealed partial class InMemoryPostbackStore : PostbackStore
{
    private const int MaxLogLimit = 1000;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, SetState> _sets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SetState> _setsByToken = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Click> _clicks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ConversionRecord> _conversions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<ConversionRecord>> _conversionsByKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<ConversionRecord>> _conversionsByClick = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PostbackLogEntry> _logById = new(StringComparer.Ordinal);
    private readonly SortedSet<PostbackLogEntry> _log = new(LogOrder.Instance);

    /// <inheritdoc />
    public override ValueTask AddSetAsync(PostbackSet postbackSet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(postbackSet);
        cancellationToken.ThrowIfCancellationRequested();
        var copy = Copy(postbackSet);
        lock (_lock)
        {
            if (_sets.ContainsKey(copy.Id))
            {
                throw new InvalidOperationException($"A postback set with id '{copy.Id}' exists or existed.");
            }

            ThrowIfTokenUsed(copy.Token);
            var state = new SetState(copy);
            _sets.Add(copy.Id, state);
            _setsByToken.Add(copy.Token, state);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public override ValueTask<PostbackSet?> GetSetAsync(string setId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(setId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return new(FindLiveSet(setId)?.Set);
        }
    }

    /// <inheritdoc />
    public override ValueTask<bool> IsSetIdUsedAsync(string setId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(setId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            // A deleted set stays in _sets, marked Deleted.
            return new(_sets.ContainsKey(setId));
        }
    }

    /// <inheritdoc />
    public override ValueTask<PostbackSet?> FindSetByTokenAsync(string token, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (!_setsByToken.TryGetValue(token, out var state) || state.Deleted)
            {
                return new((PostbackSet?)null);
            }

            if (string.Equals(state.Set.Token, token, StringComparison.Ordinal))
            {
                return new(state.Set);
            }

            var inGrace = string.Equals(state.PreviousToken, token, StringComparison.Ordinal)
                && state.PreviousTokenValidUntil is { } until
                && now < until;
            return new(inGrace ? state.Set : null);
        }
    }

    /// <inheritdoc />
    public override ValueTask<IReadOnlyList<PostbackSet>> ListSetsAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        List<PostbackSet> sets;
        lock (_lock)
        {
            sets = [.. _sets.Values.Where(s => !s.Deleted).Select(s => s.Set)];
        }

        sets.Sort(static (a, b) =>
        {
            var byTime = a.CreatedAt.CompareTo(b.CreatedAt);
            return byTime != 0 ? byTime : string.CompareOrdinal(a.Id, b.Id);
        });
        return new(sets.AsReadOnly());
    }

    /// <inheritdoc />
    public override ValueTask<PostbackSet?> UpdateSetAsync(PostbackSet postbackSet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(postbackSet);
        cancellationToken.ThrowIfCancellationRequested();
        var copy = Copy(postbackSet);
        lock (_lock)
        {
            var state = FindLiveSet(copy.Id);
            if (state is null)
            {
                return new((PostbackSet?)null);
            }

            state.Set = state.Set with
            {
                Name = copy.Name,
                CampaignId = copy.CampaignId,
                Settings = copy.Settings,
                Enabled = copy.Enabled,
            };
            return new(state.Set);
        }
    }

    /// <inheritdoc />
    public override ValueTask<PostbackSet?> RotateTokenAsync(string setId, string newToken, DateTimeOffset? previousTokenValidUntil, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(setId);
        ArgumentNullException.ThrowIfNull(newToken);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            var state = FindLiveSet(setId);
            if (state is null)
            {
                return new((PostbackSet?)null);
            }

            ThrowIfTokenUsed(newToken);
            state.PreviousToken = state.Set.Token;
            state.PreviousTokenValidUntil = previousTokenValidUntil;
            state.Set = state.Set with { Token = newToken };
            _setsByToken.Add(newToken, state);
            return new(state.Set);
        }
    }

    /// <inheritdoc />
    public override ValueTask<bool> DeleteSetAsync(string setId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(setId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            var state = FindLiveSet(setId);
            if (state is null)
            {
                return new(false);
            }

            state.Deleted = true;
            return new(true);
        }
    }

    /// <inheritdoc />
    public override ValueTask AddClickAsync(Click click, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(click);
        cancellationToken.ThrowIfCancellationRequested();
        var copy = click with { Fields = Copy(click.Fields) };
        lock (_lock)
        {
            if (!_clicks.TryAdd(copy.Id, copy))
            {
                throw new InvalidOperationException($"A click with id '{copy.Id}' exists.");
            }

            if (_conversionsByClick.TryGetValue(copy.Id, out var waiting))
            {
                foreach (var record in waiting.ToArray())
                {
                    if (record.Attribution == ConversionAttribution.Unattributed
                        && (record.CampaignId is null || string.Equals(record.CampaignId, copy.CampaignId, StringComparison.Ordinal)))
                    {
                        Replace(record, record with { Attribution = ConversionAttribution.Credited, CampaignId = copy.CampaignId });
                    }
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public override ValueTask<Click?> FindClickAsync(string clickId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clickId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return new(_clicks.GetValueOrDefault(clickId));
        }
    }

    /// <inheritdoc />
    public override ValueTask<ConversionAppendResult> AppendConversionAsync(ConversionRecord conversion, PostbackLogEntry logEntry, IReadOnlyList<OutboxMessage> outboxMessages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(conversion);
        ArgumentNullException.ThrowIfNull(logEntry);
        ArgumentNullException.ThrowIfNull(conversion.Conversion);
        ArgumentNullException.ThrowIfNull(outboxMessages);
        cancellationToken.ThrowIfCancellationRequested();
        ValidateNewOutboxMessages(conversion.Id, outboxMessages);
        OutboxMessage[] messages = [.. outboxMessages];
        var record = conversion with
        {
            Conversion = conversion.Conversion with { Attributes = Copy(conversion.Conversion.Attributes) },
        };
        var entry = Copy(logEntry);
        var key = record.Conversion.IdempotencyKey;
        ArgumentNullException.ThrowIfNull(key.Value, nameof(conversion));

        lock (_lock)
        {
            if (_logById.ContainsKey(entry.Id))
            {
                throw new InvalidOperationException($"A postback log entry with id '{entry.Id}' exists.");
            }

            var original = FindOriginal(key, record.Conversion.ReceivedAt);
            if (original is not null)
            {
                AddLog(entry with { Outcome = PostbackOutcome.Duplicate, ConversionId = original.Id });
                return new(ConversionAppendResult.Duplicate(original.Id));
            }

            if (_conversions.ContainsKey(record.Id))
            {
                throw new InvalidOperationException($"A conversion with id '{record.Id}' exists.");
            }

            ThrowIfOutboxMessageExists(messages);
            _conversions.Add(record.Id, record);
            AddOutboxMessages(messages);
            Append(_conversionsByKey, key.Value, record);
            Append(_conversionsByClick, record.Conversion.ClickId, record);
            var outcome = record.Attribution == ConversionAttribution.Credited ? PostbackOutcome.Accepted : PostbackOutcome.Unattributed;
            AddLog(entry with { Outcome = outcome, ConversionId = record.Id });
            return new(ConversionAppendResult.Accepted(record.Id));
        }
    }

    /// <inheritdoc />
    public override ValueTask<ConversionRecord?> GetConversionAsync(string conversionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(conversionId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return new(_conversions.GetValueOrDefault(conversionId));
        }
    }

    /// <inheritdoc />
    public override ValueTask<IReadOnlyList<ConversionRecord>> ListConversionsByClickAsync(string clickId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clickId);
        cancellationToken.ThrowIfCancellationRequested();
        List<ConversionRecord> conversions;
        lock (_lock)
        {
            conversions = _conversionsByClick.TryGetValue(clickId, out var list) ? [.. list] : [];
        }

        conversions.Sort(static (a, b) =>
        {
            var byTime = a.Conversion.ReceivedAt.CompareTo(b.Conversion.ReceivedAt);
            return byTime != 0 ? byTime : string.CompareOrdinal(a.Id, b.Id);
        });
        return new(conversions.AsReadOnly());
    }

    /// <inheritdoc />
    public override ValueTask AppendLogAsync(PostbackLogEntry logEntry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(logEntry);
        cancellationToken.ThrowIfCancellationRequested();
        var entry = Copy(logEntry);
        lock (_lock)
        {
            if (_logById.ContainsKey(entry.Id))
            {
                throw new InvalidOperationException($"A postback log entry with id '{entry.Id}' exists.");
            }

            AddLog(entry);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public override ValueTask<IReadOnlyList<PostbackLogEntry>> ListLogAsync(PostbackLogQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Limit, MaxLogLimit, nameof(query));
        cancellationToken.ThrowIfCancellationRequested();
        var page = new List<PostbackLogEntry>(Math.Min(query.Limit, 64));
        lock (_lock)
        {
            IEnumerable<PostbackLogEntry> candidates = _log;
            if (query.BeforeId is not null)
            {
                if (!_logById.TryGetValue(query.BeforeId, out var cursor))
                {
                    return new(Array.Empty<PostbackLogEntry>());
                }

                // The view starts at the cursor itself (inclusive); skip it.
                candidates = _log.GetViewBetween(cursor, _log.Max!).Skip(1);
            }

            foreach (var entry in candidates)
            {
                if ((query.SetId is null || string.Equals(entry.SetId, query.SetId, StringComparison.Ordinal))
                    && (query.Outcome is null || entry.Outcome == query.Outcome))
                {
                    page.Add(entry);
                    if (page.Count == query.Limit)
                    {
                        break;
                    }
                }
            }
        }

        return new(page.AsReadOnly());
    }

    /// <inheritdoc />
    public override ValueTask<PostbackLogEntry?> GetLogEntryAsync(string logEntryId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(logEntryId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return new(_logById.GetValueOrDefault(logEntryId));
        }
    }

    /// <inheritdoc />
    public override ValueTask<PostbackStats> GetStatsAsync(PostbackStatsQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            long registrations = 0, firstDeposits = 0, deposits = 0, unattributed = 0, rejected = 0, clicks = 0;
            var amounts = new SortedDictionary<string, (decimal FirstDeposits, decimal Deposits)>(StringComparer.Ordinal);
            foreach (var record in _conversions.Values)
            {
                var conversion = record.Conversion;
                if (!InRange(conversion.ReceivedAt, query)
                    || (query.SetId is not null && !string.Equals(conversion.SetId, query.SetId, StringComparison.Ordinal))
                    || (query.CampaignId is not null && !string.Equals(record.CampaignId, query.CampaignId, StringComparison.Ordinal)))
                {
                    continue;
                }

                if (record.Attribution == ConversionAttribution.Unattributed)
                {
                    unattributed++;
                    continue;
                }

                switch (conversion.Event.Kind)
                {
                    case PostbackEventKind.Registration:
                        registrations++;
                        break;
                    case PostbackEventKind.FirstDeposit:
                        firstDeposits++;
                        AddAmount(amounts, conversion, firstDeposit: true);
                        break;
                    case PostbackEventKind.Deposit:
                        deposits++;
                        AddAmount(amounts, conversion, firstDeposit: false);
                        break;
                    default:
                        break;
                }
            }

            foreach (var entry in _log)
            {
                if (entry.Outcome == PostbackOutcome.Rejected
                    && InRange(entry.ReceivedAt, query)
                    && (query.SetId is null || string.Equals(entry.SetId, query.SetId, StringComparison.Ordinal))
                    && (query.CampaignId is null || (_sets.TryGetValue(entry.SetId, out var set) && string.Equals(set.Set.CampaignId, query.CampaignId, StringComparison.Ordinal))))
                {
                    rejected++;
                }
            }

            var clickCampaign = query.CampaignId;
            if (clickCampaign is null && query.SetId is not null && _sets.TryGetValue(query.SetId, out var scoped))
            {
                clickCampaign = scoped.Set.CampaignId;
            }

            foreach (var click in _clicks.Values)
            {
                if (InRange(click.CreatedAt, query) && (clickCampaign is null || string.Equals(click.CampaignId, clickCampaign, StringComparison.Ordinal)))
                {
                    clicks++;
                }
            }

            var totals = new List<CurrencyAmounts>(amounts.Count);
            foreach (var (currency, sums) in amounts)
            {
                totals.Add(new CurrencyAmounts(currency, sums.FirstDeposits, sums.Deposits));
            }

            return new(new PostbackStats
            {
                Clicks = clicks,
                Registrations = registrations,
                FirstDeposits = firstDeposits,
                Deposits = deposits,
                Unattributed = unattributed,
                Rejected = rejected,
                Amounts = totals.AsReadOnly(),
            });
        }
    }

    /// <inheritdoc />
    public override ValueTask<int> PurgeLogAsync(DateTimeOffset receivedBefore, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            var purged = _log.RemoveWhere(e => e.ReceivedAt < receivedBefore);
            foreach (var id in _logById.Where(e => e.Value.ReceivedAt < receivedBefore).Select(e => e.Key).ToList())
            {
                _logById.Remove(id);
            }

            return new(purged);
        }
    }

    /// <inheritdoc />
    public override ValueTask<bool> ForgetClickPersonalDataAsync(string clickId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clickId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (!_clicks.TryGetValue(clickId, out var click))
            {
                return new(false);
            }

            _clicks[clickId] = click with { IpAddress = null, UserAgent = null };
            return new(true);
        }
    }

    private static bool InRange(DateTimeOffset time, PostbackStatsQuery query) =>
        (query.From is not { } from || time >= from) && (query.To is not { } to || time < to);

    private static void AddAmount(SortedDictionary<string, (decimal FirstDeposits, decimal Deposits)> amounts, Conversion conversion, bool firstDeposit)
    {
        if (conversion.Amount is not { } amount || conversion.Currency is not { } currency)
        {
            return;
        }

        var sums = amounts.GetValueOrDefault(currency);
        amounts[currency] = firstDeposit ? (sums.FirstDeposits + amount, sums.Deposits) : (sums.FirstDeposits, sums.Deposits + amount);
    }

    // Must be called under the lock: a record is immutable, so every index holding it gets the new instance.
    private void Replace(ConversionRecord old, ConversionRecord updated)
    {
        _conversions[old.Id] = updated;
        ReplaceIn(_conversionsByKey[old.Conversion.IdempotencyKey.Value]);
        ReplaceIn(_conversionsByClick[old.Conversion.ClickId]);

        void ReplaceIn(List<ConversionRecord> list) => list[list.IndexOf(old)] = updated;
    }

    private static PostbackSet Copy(PostbackSet set) => set with { Settings = set.Settings?.Clone() };

    private static PostbackLogEntry Copy(PostbackLogEntry entry) => entry with { Warnings = Array.AsReadOnly([.. entry.Warnings]) };

    private static ReadOnlyDictionary<string, string> Copy(IReadOnlyDictionary<string, string> values) =>
        new Dictionary<string, string>(values, StringComparer.Ordinal).AsReadOnly();

    private static void Append(Dictionary<string, List<ConversionRecord>> index, string key, ConversionRecord record)
    {
        if (!index.TryGetValue(key, out var list))
        {
            list = [];
            index.Add(key, list);
        }

        list.Add(record);
    }

    private SetState? FindLiveSet(string setId) =>
        _sets.TryGetValue(setId, out var state) && !state.Deleted ? state : null;

    private void ThrowIfTokenUsed(string token)
    {
        if (_setsByToken.ContainsKey(token))
        {
            throw new InvalidOperationException("The token is or was used by a postback set.");
        }
    }

    // Must be called under the lock.
    private ConversionRecord? FindOriginal(IdempotencyKey key, DateTimeOffset receivedAt)
    {
        if (!_conversionsByKey.TryGetValue(key.Value, out var stored))
        {
            return null;
        }

        ConversionRecord? best = null;
        foreach (var candidate in stored)
        {
            // Windowed keys match both ways, so a replay with its original, earlier time still finds a later retry.
            if (key.Window is { } window && (candidate.Conversion.ReceivedAt - receivedAt).Duration() >= window)
            {
                continue;
            }

            if (best is null || IsEarlier(candidate, best))
            {
                best = candidate;
            }
        }

        return best;
    }

    private static bool IsEarlier(ConversionRecord a, ConversionRecord b)
    {
        var byTime = a.Conversion.ReceivedAt.CompareTo(b.Conversion.ReceivedAt);
        return byTime < 0 || (byTime == 0 && string.CompareOrdinal(a.Id, b.Id) < 0);
    }

    private void AddLog(PostbackLogEntry entry)
    {
        _logById.Add(entry.Id, entry);
        _log.Add(entry);
    }

    private sealed class SetState(PostbackSet set)
    {
        public PostbackSet Set { get; set; } = set;

        public string? PreviousToken { get; set; }

        public DateTimeOffset? PreviousTokenValidUntil { get; set; }

        public bool Deleted { get; set; }
    }

    /// <summary>Newest first: receive time descending, then id descending (ordinal). Ids are unique, so the order is total.</summary>
    private sealed class LogOrder : IComparer<PostbackLogEntry>
    {
        public static LogOrder Instance { get; } = new();

        public int Compare(PostbackLogEntry? x, PostbackLogEntry? y)
        {
            if (ReferenceEquals(x, y))
            {
                return 0;
            }

            if (x is null)
            {
                return 1;
            }

            if (y is null)
            {
                return -1;
            }

            var byTime = y.ReceivedAt.CompareTo(x.ReceivedAt);
            return byTime != 0 ? byTime : string.CompareOrdinal(y.Id, x.Id);
        }
    }
}
