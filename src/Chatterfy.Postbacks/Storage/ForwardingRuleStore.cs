using System.Text.Json;
using Chatterfy.Postbacks.Forwarding;

namespace Chatterfy.Postbacks.Storage;

/// <summary>The store role of forwarding rules.</summary>
/// <remarks>See <see cref="StoreRole"/> for what every role promises.</remarks>
public abstract class ForwardingRuleStore : StoreRole
{
    /// <summary>Adds a forwarding rule.</summary>
    /// <param name="rule">The rule; its id must be unused. Its settings are stored as their exact JSON text.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the rule is stored.</returns>
    /// <exception cref="InvalidOperationException">A rule with the same id exists.</exception>
    public ValueTask AddAsync(ForwardingRule rule, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ThrowIfInvalidId(rule.Id, nameof(rule));
        if (rule.Filter is null)
        {
            throw new ArgumentException("The rule's filter is null; use ForwardingRuleFilter.None.", nameof(rule));
        }

        return AddCoreAsync(rule, cancellationToken);
    }

    /// <summary>Gets a forwarding rule by id.</summary>
    /// <param name="ruleId">The rule's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The rule, or <see langword="null"/> (unknown or deleted).</returns>
    public ValueTask<ForwardingRule?> GetAsync(string ruleId, CancellationToken cancellationToken)
    {
        ThrowIfInvalidId(ruleId);
        return GetCoreAsync(ruleId, cancellationToken);
    }

    /// <summary>Lists all forwarding rules, oldest first by <see cref="ForwardingRule.CreatedAt"/> then id (ordinal).</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The rules.</returns>
    public ValueTask<IReadOnlyList<ForwardingRule>> ListAsync(CancellationToken cancellationToken) => ListCoreAsync(cancellationToken);

    /// <summary>
    /// Replaces a forwarding rule's settings, keeping its other values; its outbox messages are untouched (the SDK protects
    /// the plain secrets of existing rules in place with it).
    /// </summary>
    /// <param name="ruleId">The rule's id.</param>
    /// <param name="settings">The new settings, a JSON object, stored as its exact text.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when the rule exists and was updated.</returns>
    /// <exception cref="ArgumentException"><paramref name="settings"/> is not a JSON object.</exception>
    public ValueTask<bool> UpdateSettingsAsync(string ruleId, JsonElement settings, CancellationToken cancellationToken)
    {
        ThrowIfInvalidId(ruleId);
        if (settings.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException("The settings must be a JSON object.", nameof(settings));
        }

        return UpdateSettingsCoreAsync(ruleId, settings, cancellationToken);
    }

    /// <summary>
    /// Deletes a forwarding rule. Its outbox messages are kept; the dispatcher dead-letters the pending ones when it meets
    /// them (their rule is gone).
    /// </summary>
    /// <param name="ruleId">The rule's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when a rule was deleted.</returns>
    public ValueTask<bool> DeleteAsync(string ruleId, CancellationToken cancellationToken)
    {
        ThrowIfInvalidId(ruleId);
        return DeleteCoreAsync(ruleId, cancellationToken);
    }

    /// <summary>Stores a rule (see <see cref="AddAsync"/>).</summary>
    /// <param name="rule">The rule.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the rule is stored.</returns>
    protected abstract ValueTask AddCoreAsync(ForwardingRule rule, CancellationToken cancellationToken);

    /// <summary>Reads a rule (see <see cref="GetAsync"/>).</summary>
    /// <param name="ruleId">The rule's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The rule, or <see langword="null"/>.</returns>
    protected abstract ValueTask<ForwardingRule?> GetCoreAsync(string ruleId, CancellationToken cancellationToken);

    /// <summary>Lists the rules (see <see cref="ListAsync"/>).</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The rules.</returns>
    protected abstract ValueTask<IReadOnlyList<ForwardingRule>> ListCoreAsync(CancellationToken cancellationToken);

    /// <summary>Replaces a rule's settings (see <see cref="UpdateSettingsAsync"/>).</summary>
    /// <param name="ruleId">The rule's id.</param>
    /// <param name="settings">The new settings.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when the rule exists and was updated.</returns>
    protected abstract ValueTask<bool> UpdateSettingsCoreAsync(string ruleId, JsonElement settings, CancellationToken cancellationToken);

    /// <summary>Deletes a rule (see <see cref="DeleteAsync"/>).</summary>
    /// <param name="ruleId">The rule's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns><see langword="true"/> when a rule was deleted.</returns>
    protected abstract ValueTask<bool> DeleteCoreAsync(string ruleId, CancellationToken cancellationToken);
}
