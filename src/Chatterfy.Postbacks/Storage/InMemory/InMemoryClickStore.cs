using Chatterfy.Postbacks.Clicks;

namespace Chatterfy.Postbacks.Storage.InMemory;

/// <summary>The in-memory store's clicks; adding one applies its credit to the conversions that waited for it, under the same lock.</summary>
internal sealed class InMemoryClickStore(InMemoryDatabase db) : ClickStore
{
    protected override ValueTask<int> AddCoreAsync(Click click, ConversionCredit credit, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var copy = click with { Fields = new Dictionary<string, string>(click.Fields, StringComparer.Ordinal).AsReadOnly() };
        lock (db.Lock)
        {
            if (!db.Clicks.TryAdd(copy.Id, copy))
            {
                throw new InvalidOperationException($"A click with id '{copy.Id}' exists.");
            }

            return new(db.Conversions.Credit(copy.Id, credit));
        }
    }

    protected override ValueTask<Click?> FindCoreAsync(string clickId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (db.Lock)
        {
            return new(db.Clicks.GetValueOrDefault(clickId));
        }
    }

    protected override ValueTask<bool> ForgetPersonalDataCoreAsync(string clickId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (db.Lock)
        {
            if (!db.Clicks.TryGetValue(clickId, out var click))
            {
                return new(false);
            }

            db.Clicks[clickId] = click with { IpAddress = null, UserAgent = null };
            return new(true);
        }
    }
}
