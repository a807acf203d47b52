using System.Text.Json;
using Chatterfy.Postbacks.Forwarding;

namespace Chatterfy.Postbacks.Storage.InMemory;

/// <summary>The in-memory store's forwarding rules; settings are cloned on the way in.</summary>
internal sealed class InMemoryForwardingRuleStore(InMemoryDatabase db) : ForwardingRuleStore
{
    protected override ValueTask AddCoreAsync(ForwardingRule rule, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var copy = rule with { Settings = rule.Settings.Clone(), Filter = rule.Filter with { Events = rule.Filter.Events?.ToArray(), Statuses = rule.Filter.Statuses?.ToArray() } };
        lock (db.Lock)
        {
            if (!db.Rules.TryAdd(copy.Id, copy))
            {
                throw new InvalidOperationException($"A forwarding rule with id '{copy.Id}' exists.");
            }
        }

        return ValueTask.CompletedTask;
    }

    protected override ValueTask<ForwardingRule?> GetCoreAsync(string ruleId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (db.Lock)
        {
            return new(db.Rules.GetValueOrDefault(ruleId));
        }
    }

    protected override ValueTask<IReadOnlyList<ForwardingRule>> ListCoreAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        List<ForwardingRule> rules;
        lock (db.Lock)
        {
            rules = [.. db.Rules.Values];
        }

        rules.Sort(static (a, b) =>
        {
            var byTime = a.CreatedAt.CompareTo(b.CreatedAt);
            return byTime != 0 ? byTime : string.CompareOrdinal(a.Id, b.Id);
        });
        return new(rules.AsReadOnly());
    }

    protected override ValueTask<bool> UpdateSettingsCoreAsync(string ruleId, JsonElement settings, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var copy = settings.Clone();
        lock (db.Lock)
        {
            if (!db.Rules.TryGetValue(ruleId, out var rule))
            {
                return new(false);
            }

            db.Rules[ruleId] = rule with { Settings = copy };
            return new(true);
        }
    }

    protected override ValueTask<bool> DeleteCoreAsync(string ruleId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (db.Lock)
        {
            return new(db.Rules.Remove(ruleId));
        }
    }
}
