using Chatterfy.Postbacks.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace YourStore;

/// <summary>Your storage package's entry points: the store, and the <c>Use…</c> call that registers it.</summary>
public static class YourStorage
{
    /// <summary>
    /// Creates the store. While you write its roles one at a time, the in-memory store's roles stand in for the others;
    /// a finished store keeps all eight in one database.
    /// </summary>
    /// <returns>The store.</returns>
    public static PostbackStorage Create()
    {
        var inMemory = InMemoryPostbackStorage.Create();
        return new PostbackStorage(
            inMemory.Sets,
            new DictionaryCampaignStore(),
            inMemory.Clicks,
            inMemory.Ingest,
            inMemory.Log,
            inMemory.Outbox,
            inMemory.ForwardingRules,
            inMemory.Reconciliations);
    }

    /// <summary>Uses the store in place of any registered before it, as <c>UseSqlite</c> and <c>UsePostgreSql</c> do.</summary>
    /// <param name="builder">The builder of <c>AddChatterfyPostbacks()</c>.</param>
    /// <returns>The builder.</returns>
    public static IChatterfyPostbacksBuilder UseYourStore(this IChatterfyPostbacksBuilder builder) =>
        builder.UseStorage(static _ => Create());
}
