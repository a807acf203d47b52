using Chatterfy.Postbacks.Storage.InMemory;

namespace Chatterfy.Postbacks.Storage;

/// <summary>
/// The in-memory store, for tests and demos: nothing survives a restart and nothing is shared between processes. Use a
/// database store in production. <c>UseInMemoryStore()</c> registers one; <see cref="Create"/> makes one to share between
/// hosts of one process (two instances on one "database") or to test a store's users directly.
/// </summary>
/// <remarks>
/// <para>
/// Thread-safe: every operation runs under one lock, which makes idempotency race-free within the process. Values are
/// copied on the way in, so later changes to the caller's dictionaries, lists or JSON documents do not reach the store.
/// Every operation completes synchronously; an already cancelled token throws <see cref="OperationCanceledException"/>.
/// Its <see cref="IngestStore.PreferredBatchSize"/> is 1: an append takes the lock once and needs no batching.
/// </para>
/// <para>
/// A store that a test or a demo leaves running keeps its growth small and its garbage collections short: a stored
/// conversion is one fixed-size slot in a chunk of slots that is never copied, plus one byte array with its click id,
/// key, transaction id, attributes and address; its log entry is one node of a sorted set plus one byte array with the
/// request. Set ids, campaigns and currencies are held once however many conversions name them, and the indexes by key and
/// by click id hold no strings. See <see cref="BytesPerConversion"/> for the bound.
/// </para>
/// </remarks>
public static class InMemoryPostbackStorage
{
    /// <summary>
    /// The most memory one stored postback (a conversion with its log entry) takes beyond the UTF-8 length of its texts:
    /// the idempotency key, click id, transaction id, attribute names and values, and the request's method, path, query
    /// string, body and content type. Ids minted by the SDK take no text. Forwarding adds its outbox messages.
    /// </summary>
    public const int BytesPerConversion = 700;

    /// <summary>Creates an empty in-memory store.</summary>
    /// <returns>The store's roles.</returns>
    public static PostbackStorage Create()
    {
        var db = new InMemoryDatabase();
        return new PostbackStorage(
            new InMemorySetStore(db),
            new InMemoryCampaignStore(db),
            new InMemoryClickStore(db),
            new InMemoryIngestStore(db),
            new InMemoryLogStore(db),
            new InMemoryOutboxStore(db),
            new InMemoryForwardingRuleStore(db));
    }
}
