using System.Collections.Concurrent;
using System.Text.Json;
using Chatterfy.Postbacks.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Chatterfy.Postbacks.Forwarding;

/// <summary>
/// The forwarding rules in memory with their destination profiles, reloaded from the store when older than
/// <see cref="ForwardingOptions.RuleCacheDuration"/>, so matching a conversion to its rules never queries the database on
/// the hot path. <see cref="ForwardingRuleService"/> invalidates this instance at once; other instances see a change when
/// their copy expires. Protected secrets (<see cref="ForwardingOptions.ProtectSecrets"/>) are unprotected here, so the
/// cached rules and their profiles hold plain settings; a rule whose secret cannot be unprotected gets an
/// <see cref="UnreadableSecretProfile"/>, which never sends.
/// </summary>
internal sealed partial class ForwardingRuleCache(
    ForwardingRuleStore store,
    IForwardingDestinationRegistry destinations,
    RuleSecretProtector secrets,
    IOptionsMonitor<ForwardingOptions> options,
    TimeProvider timeProvider,
    ILogger<ForwardingRuleCache> logger)
{
    // Rules whose unreadable secret was logged, so a reload every few seconds does not log it again.
    private readonly ConcurrentDictionary<string, byte> _unreadable = new(StringComparer.Ordinal);
    private Task<Snapshot>? _loading;
    private Snapshot? _current;

    /// <summary>Drops the cached rules; the next call reloads them.</summary>
    public void Invalidate()
    {
        Volatile.Write(ref _current, null);
        Volatile.Write(ref _loading, null);
    }

    /// <summary>Gets the rules, reloading them when the cached copy expired.</summary>
    public ValueTask<Snapshot> GetAsync()
    {
        var current = Volatile.Read(ref _current);
        if (current is not null && current.ExpiresAt > timeProvider.GetUtcNow())
        {
            return new(current);
        }

        return new(LoadOnceAsync());
    }

    /// <summary>
    /// The rules a credited conversion matches: its set's rules that forward its event (destination and rule filter), then its
    /// campaign's rules that forward it and whose destination has no rule on the set (the set's rules win per destination).
    /// A rule's statuses are checked against the conversion's entry into its current status
    /// (<see cref="ForwardingRuleFilter.MatchesStatus"/>); its deposit-number range is left to the store
    /// (<see cref="OutboxMessage.DepositNumberCondition"/>).
    /// </summary>
    public static IReadOnlyList<ActiveRule> Match(Snapshot snapshot, string setId, ConversionRecord conversion)
    {
        var campaignId = conversion.CampaignId;
        var setRules = snapshot.BySet.GetValueOrDefault(setId);
        var campaignRules = campaignId is null ? null : snapshot.ByCampaign.GetValueOrDefault(campaignId);
        if (setRules is null && campaignRules is null)
        {
            // Every credited conversion asks, and most sets and campaigns have no rules: nothing is allocated then.
            return [];
        }

        var matched = new List<ActiveRule>();
        foreach (var rule in setRules ?? [])
        {
            if (Forwards(rule, conversion))
            {
                matched.Add(rule);
            }
        }

        foreach (var rule in campaignRules ?? [])
        {
            if (Forwards(rule, conversion)
                && setRules?.Exists(r => string.Equals(r.Rule.DestinationId, rule.Rule.DestinationId, StringComparison.Ordinal)) != true)
            {
                matched.Add(rule);
            }
        }

        return matched;
    }

    // The rule's destination forwards the event, and the rule's filter lets the conversion's event and status entry through.
    private static bool Forwards(ActiveRule rule, ConversionRecord conversion) =>
        rule.Profile is { } profile
        && profile.Forwards(conversion.Conversion.Event)
        && rule.Rule.Filter.Matches(conversion.Conversion.Event)
        && rule.Rule.Filter.MatchesStatus(conversion);

    /// <summary>
    /// Names, in one warning, the stored rules whose fixed URLs the outbound policy refuses without DNS (scheme, port, a
    /// literal or <c>localhost</c> address): rules stored before the policy or the options changed. Their messages are
    /// dead-lettered when sent; this tells the operator at startup instead of one dead letter at a time.
    /// </summary>
    public async Task WarnOfRefusedRulesAsync(OutboundUrlPolicy policy)
    {
        var snapshot = await GetAsync().ConfigureAwait(false);
        var refused = new List<string>();
        foreach (var rule in snapshot.ById.Values)
        {
            if (rule.Profile is { } profile && profile.Endpoints.Any(endpoint => !policy.CheckUrl(endpoint.Url, rule.Rule.DestinationId).IsAllowed))
            {
                refused.Add(rule.Rule.Id);
            }
        }

        if (refused.Count > 0)
        {
            refused.Sort(StringComparer.Ordinal);
            LogRefusedRules(logger, refused.Count, string.Join(", ", refused));
        }
    }

    private Task<Snapshot> LoadOnceAsync()
    {
        // Concurrent callers share one load; a failed load is forgotten so the next call tries again.
        var loading = Volatile.Read(ref _loading);
        if (loading is not null && !loading.IsFaulted && !loading.IsCanceled)
        {
            if (!loading.IsCompleted || loading.Result.ExpiresAt > timeProvider.GetUtcNow())
            {
                return loading;
            }
        }

        // Not the caller's token: the load is shared, and one caller hanging up must not fail the others.
        var task = LoadAsync(CancellationToken.None);
        Interlocked.CompareExchange(ref _loading, task, loading);
        return task;
    }

    private async Task<Snapshot> LoadAsync(CancellationToken cancellationToken)
    {
        var rules = await store.ListAsync(cancellationToken).ConfigureAwait(false);
        var bySet = new Dictionary<string, List<ActiveRule>>(StringComparer.Ordinal);
        var byCampaign = new Dictionary<string, List<ActiveRule>>(StringComparer.Ordinal);
        var byId = new Dictionary<string, ActiveRule>(StringComparer.Ordinal);
        foreach (var rule in rules)
        {
            var active = Activate(rule);
            byId[rule.Id] = active;
            var (index, key) = rule.SetId is not null ? (bySet, rule.SetId) : (byCampaign, rule.CampaignId);
            if (key is null)
            {
                continue;
            }

            if (!index.TryGetValue(key, out var list))
            {
                index[key] = list = [];
            }

            list.Add(active);
        }

        var snapshot = new Snapshot(bySet, byCampaign, byId, timeProvider.GetUtcNow() + options.CurrentValue.RuleCacheDuration);
        Volatile.Write(ref _current, snapshot);
        return snapshot;
    }

    private ActiveRule Activate(ForwardingRule rule)
    {
        if (!destinations.TryGetDestination(rule.DestinationId, out var destination))
        {
            LogUnknownDestination(logger, rule.Id, rule.DestinationId);
            return new ActiveRule(rule, null);
        }

        if (!secrets.TryReveal(rule.Settings, destination.SecretSettings, out var settings))
        {
            if (_unreadable.TryAdd(rule.Id, 0))
            {
                LogSecretUnreadable(logger, rule.Id, rule.DestinationId);
            }

            return new ActiveRule(rule, new UnreadableSecretProfile(rule.Id, TryCreateProfile(destination, rule.Settings, out _)));
        }

        _unreadable.TryRemove(rule.Id, out _);
        var profile = TryCreateProfile(destination, settings, out var refusal);
        if (refusal is not null)
        {
            LogInvalidSettings(logger, rule.Id, rule.DestinationId, refusal.Message);
        }

        return new ActiveRule(rule with { Settings = settings }, profile);
    }

    private static DestinationProfile? TryCreateProfile(ForwardingDestination destination, JsonElement settings, out InvalidDestinationSettingsException? refusal)
    {
        refusal = null;
        try
        {
            return destination.CreateRuleProfile(settings);
        }
        catch (InvalidDestinationSettingsException exception)
        {
            refusal = exception;
            return null;
        }
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "Forwarding rule {RuleId} names destination '{DestinationId}', which is not registered; it forwards nothing until the destination is added")]
    private static partial void LogUnknownDestination(ILogger logger, string ruleId, string destinationId);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "Forwarding rule {RuleId} for destination '{DestinationId}' has settings the destination refuses, so it forwards nothing: {Reason}")]
    private static partial void LogInvalidSettings(ILogger logger, string ruleId, string destinationId, string reason);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning, Message = "{Count} stored forwarding rule(s) call a destination the outbound policy refuses (scheme, port or address), so their messages are dead-lettered (address_forbidden or url_forbidden) when sent; fix or re-create them, or change the forwarding options: {RuleIds}")]
    private static partial void LogRefusedRules(ILogger logger, int count, string ruleIds);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Error, Message = "Forwarding rule {RuleId} for destination '{DestinationId}' has a protected secret that this host's Data Protection key ring cannot unprotect (keys lost, or another application's); its messages are dead-lettered as secret_unreadable until the key ring is restored or the rule re-created")]
    private static partial void LogSecretUnreadable(ILogger logger, string ruleId, string destinationId);

    /// <summary>
    /// A rule, with its secrets unprotected when they could be, and its profile; the profile is <see langword="null"/> when
    /// the destination is missing or refuses the settings, and an <see cref="UnreadableSecretProfile"/> when a secret cannot be unprotected.
    /// </summary>
    internal sealed record ActiveRule(ForwardingRule Rule, DestinationProfile? Profile);

    /// <summary>The rules indexed by set, campaign and id, and when this copy expires.</summary>
    internal sealed record Snapshot(
        Dictionary<string, List<ActiveRule>> BySet,
        Dictionary<string, List<ActiveRule>> ByCampaign,
        Dictionary<string, ActiveRule> ById,
        DateTimeOffset ExpiresAt);
}
