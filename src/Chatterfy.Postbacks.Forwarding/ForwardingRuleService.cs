using System.Text.Json;
using Chatterfy.Postbacks.Campaigns;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Storage;

namespace Chatterfy.Postbacks.Forwarding;

/// <summary>
/// Creates, lists and deletes forwarding rules, validating each rule's destination settings (including the outbound URL
/// policy, with DNS) before it is stored. With <see cref="ForwardingOptions.ProtectSecrets"/> on, a rule's secrets are
/// protected before it is stored, and the rules read back hold them protected. Get it from the service provider after
/// <c>AddForwarding()</c>.
/// </summary>
public sealed class ForwardingRuleService
{
    private const int MaxNameLength = DisplayNames.MaxLength;

    private readonly ForwardingRuleStore _store;
    private readonly PostbackSetStore _sets;
    private readonly IForwardingDestinationRegistry _destinations;
    private readonly ForwardingRuleCache _cache;
    private readonly RuleSecretProtector _secrets;
    private readonly TimeProvider _timeProvider;

    // Created by AddForwarding: it shares the rule cache with ingestion, so this instance's changes apply at once.
    internal ForwardingRuleService(
        ForwardingRuleStore store, PostbackSetStore sets, IForwardingDestinationRegistry destinations, ForwardingRuleCache cache, RuleSecretProtector secrets, TimeProvider timeProvider)
    {
        _store = store;
        _sets = sets;
        _destinations = destinations;
        _cache = cache;
        _secrets = secrets;
        _timeProvider = timeProvider;
    }

    /// <summary>Validates and stores a new forwarding rule.</summary>
    /// <param name="request">The scope, destination and settings.</param>
    /// <param name="cancellationToken">Cancels the operation (including DNS lookups of destination hosts).</param>
    /// <returns>The stored rule (its secrets protected when <see cref="ForwardingOptions.ProtectSecrets"/> is on).</returns>
    /// <exception cref="ForwardingRuleValidationException">
    /// The scope is not exactly one of a known set and a campaign id, the name is too long, the destination is unknown, its
    /// settings are invalid or name a URL the outbound policy refuses, or the filter names an unknown event or an invalid
    /// deposit-number range; <see cref="ForwardingRuleValidationException.Errors"/> names each field.
    /// </exception>
    public async ValueTask<ForwardingRule> CreateAsync(NewForwardingRule request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new Dictionary<string, string[]>();
        if (request.Name is { Length: > MaxNameLength })
        {
            errors["name"] = [$"A rule name is at most {MaxNameLength} characters."];
        }

        if ((request.SetId is null) == (request.CampaignId is null))
        {
            errors["setId"] = ["A rule belongs to a postback set or to a campaign: give exactly one of setId and campaignId."];
        }
        else if (request.SetId is not null
            && (request.SetId.Length == 0 || await _sets.GetAsync(request.SetId, cancellationToken).ConfigureAwait(false) is null))
        {
            errors["setId"] = [$"No postback set has id '{request.SetId}'."];
        }
        else if (request.CampaignId is not null && !CampaignService.IsValidId(request.CampaignId))
        {
            errors["campaignId"] = [$"A campaign id is 1 to {Campaign.MaxIdLength} characters of A-Z, a-z, 0-9, '_' and '-'."];
        }

        var filter = ValidateFilter(request.Filter ?? ForwardingRuleFilter.None, errors);
        var destinationId = request.DestinationId?.Trim().ToLowerInvariant() ?? "";
        var settings = request.Settings.ValueKind == JsonValueKind.Undefined ? default : request.Settings.Clone();
        if (!_destinations.TryGetDestination(destinationId, out var destination))
        {
            var known = string.Join(", ", _destinations.Destinations.Select(d => d.Id));
            errors["destination"] = [$"Unknown destination '{request.DestinationId}'; registered destinations: {known}."];
        }
        else
        {
            try
            {
                var profile = await _destinations.CreateProfileAsync(destinationId, settings, cancellationToken).ConfigureAwait(false);
                RefuseStatusesNotForwarded(profile, destination.DisplayName, request.Filter?.Statuses, errors);
            }
            catch (InvalidDestinationSettingsException invalid)
            {
                foreach (var group in invalid.Errors.GroupBy(e => e.Field, StringComparer.Ordinal))
                {
                    errors[group.Key] = [.. group.Select(e => e.Message)];
                }
            }
        }

        if (errors.Count > 0)
        {
            throw new ForwardingRuleValidationException(errors);
        }

        if (_secrets.IsEnabled && _secrets.Protect(settings, destination!.SecretSettings) is { } protectedSettings)
        {
            settings = protectedSettings;
        }

        var rule = new ForwardingRule
        {
            Id = StoreIds.New(_timeProvider),
            Name = string.IsNullOrWhiteSpace(request.Name) ? null : request.Name.Trim(),
            SetId = request.SetId,
            CampaignId = request.CampaignId,
            DestinationId = destinationId,
            Settings = settings.ValueKind == JsonValueKind.Undefined ? JsonDocument.Parse("{}").RootElement.Clone() : settings,
            CreatedAt = _timeProvider.GetUtcNow(),
            Filter = filter,
        };
        await _store.AddAsync(rule, cancellationToken).ConfigureAwait(false);
        _cache.Invalidate();
        return rule;
    }

    // A status the destination cannot take (Meta has no event for a chargeback) would only fill the dead letters.
    private static void RefuseStatusesNotForwarded(DestinationProfile profile, string destination, IReadOnlyList<string>? statusNames, Dictionary<string, string[]> errors)
    {
        for (var i = 0; i < (statusNames?.Count ?? 0); i++)
        {
            if (ConversionStatusNames.TryParse(statusNames![i], out var status) && !profile.ForwardsStatus(status))
            {
                errors[$"statuses[{i}]"] = [$"{destination} does not forward {statusNames[i]} conversions (it has no event for them); leave '{statusNames[i]}' out."];
            }
        }
    }

    // The filter as stored: event names canonical and without repeats. Errors are keyed by the HTTP member names.
    private static ForwardingRuleFilter ValidateFilter(ForwardingRuleFilter filter, Dictionary<string, string[]> errors)
    {
        List<string>? events = null;
        if (filter.Events is { } names)
        {
            events = [];
            if (names.Count == 0)
            {
                errors["events"] = ["Give at least one event, or leave events out to forward every event the destination forwards."];
            }

            for (var i = 0; i < names.Count; i++)
            {
                if (!PostbackEvent.TryParse(names[i], out var parsed))
                {
                    errors[$"events[{i}]"] = [$"'{names[i]}' is not an event name; use {EventNameHint.Text}."];
                }
                else if (!events.Contains(parsed.Name, StringComparer.Ordinal))
                {
                    events.Add(parsed.Name);
                }
            }
        }

        if (filter.DepositNumber is { } range)
        {
            if (range.Min is null && range.Max is null)
            {
                errors["depositNumber"] = ["A deposit-number range needs min, max or both."];
            }

            if (range.Min < DepositNumbering.First)
            {
                errors["depositNumber.min"] = [$"min is at least {DepositNumbering.First} (the first deposit's number)."];
            }

            if (range.Max < DepositNumbering.First)
            {
                errors["depositNumber.max"] = [$"max is at least {DepositNumbering.First} (the first deposit's number)."];
            }
            else if (range.Max < range.Min)
            {
                errors["depositNumber.max"] = ["max is at least min."];
            }
        }

        List<string>? statuses = null;
        if (filter.Statuses is { } statusNames)
        {
            statuses = [];
            if (statusNames.Count == 0)
            {
                errors["statuses"] = ["Give at least one status, or leave statuses out to forward a conversion once, when it is first approved."];
            }

            for (var i = 0; i < statusNames.Count; i++)
            {
                if (!ConversionStatusNames.TryParse(statusNames[i], out var status))
                {
                    errors[$"statuses[{i}]"] = [$"'{statusNames[i]}' is not a status; use one of {string.Join(", ", ConversionStatusNames.All.Select(ConversionStatusNames.Name))}."];
                }
                else if (!statuses.Contains(ConversionStatusNames.Name(status), StringComparer.Ordinal))
                {
                    statuses.Add(ConversionStatusNames.Name(status));
                }
            }
        }

        return filter with { Events = events?.AsReadOnly(), Statuses = statuses?.AsReadOnly() };
    }

    /// <summary>
    /// Gets a rule by id with its settings as stored, secrets included (protected when <see cref="ForwardingOptions.ProtectSecrets"/>
    /// was on when they were stored); use <see cref="MaskSecrets"/> before showing its settings.
    /// </summary>
    /// <param name="ruleId">The rule's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The rule, or <see langword="null"/>.</returns>
    public ValueTask<ForwardingRule?> GetAsync(string ruleId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ruleId);
        return _store.GetAsync(ruleId, cancellationToken);
    }

    /// <summary>
    /// Lists all rules, oldest first, with their settings as stored, secrets included (protected when
    /// <see cref="ForwardingOptions.ProtectSecrets"/> was on when they were stored); use <see cref="MaskSecrets"/> before showing their settings.
    /// </summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The rules.</returns>
    public ValueTask<IReadOnlyList<ForwardingRule>> ListAsync(CancellationToken cancellationToken = default) =>
        _store.ListAsync(cancellationToken);

    /// <summary>
    /// Deletes a rule: conversions accepted from now on are not forwarded by it, and its pending outbox messages are
    /// dead-lettered when the dispatcher meets them.
    /// </summary>
    /// <param name="ruleId">The rule's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when a rule was deleted.</returns>
    public async ValueTask<bool> DeleteAsync(string ruleId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ruleId);
        var deleted = await _store.DeleteAsync(ruleId, cancellationToken).ConfigureAwait(false);
        _cache.Invalidate();
        return deleted;
    }

    /// <summary>
    /// Returns the rule's settings with its destination's secrets masked (<see cref="ForwardingDestination.MaskSecrets"/>),
    /// for API answers and logs. When the destination is no longer registered, every string value is masked. A protected
    /// secret is unprotected first, so its mask ends with the real secret's last characters; one that cannot be unprotected
    /// masks as <c>****</c>.
    /// </summary>
    /// <param name="rule">The rule.</param>
    /// <returns>The masked settings.</returns>
    public JsonElement MaskSecrets(ForwardingRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (_destinations.TryGetDestination(rule.DestinationId, out var destination))
        {
            return destination.MaskSecrets(_secrets.RevealForMasking(rule.Settings, destination.SecretSettings));
        }

        // Without the destination, which settings are secret is unknown: mask them all rather than leak one.
        var names = rule.Settings.ValueKind == JsonValueKind.Object ? rule.Settings.EnumerateObject().Select(p => p.Name).ToArray() : [];
        return SecretMasker.Mask(_secrets.RevealForMasking(rule.Settings, names), names);
    }
}
