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
/// A store that a test or a demo leaves running keeps its growth small and its garbage collections short: there is no
/// object per postback. A stored conversion is a fixed-size slot in a chunk of slots that is never copied; its click id,
/// key, transaction id, attributes and address are encoded in large shared byte arrays. Its log entry is a slot in sorted
/// chunks, with its request encoded the same way. Set ids, campaigns and currencies are held once however many
/// conversions name them, ids the SDK mints are kept as numbers, and the indexes by key and by click id hold no strings.
/// A full blocking collection with a million stored postbacks takes tens of milliseconds (about a second for the store
/// this replaced). See <see cref="BytesPerConversion"/> for the memory.
/// </para>
/// </remarks>
public static class InMemoryPostbackStorage
{
    /// <summary>
    /// The most memory the store keeps for one stored postback (a conversion with its log entry) beyond the UTF-8 length of
    /// its texts: the idempotency key, click id, transaction id, attribute names and values, and the request's method,
    /// path, event segment, query string, body and content type, rejection code and warnings. Ids the SDK mints, set ids,
    /// campaigns and currencies take no text of their own. A rejected request keeps its log entry only, which takes less.
    /// Forwarding adds the outbox messages it writes (kept as records), and each click is kept as given.
    /// </summary>
    /// <value>
    /// 560 bytes: a conversion slot of about 104 bytes and a log slot of about 88, the length prefixes and addresses of the
    /// encoded fields (about 26 bytes, 26 more for IPv6 addresses), and four index entries (about 130 bytes), counted at
    /// twice their size because an index grows by doubling. Measured (InMemoryMemoryTests and runs of 14,000 to 262,000
    /// Binomo first deposits): 358 to 495 bytes beyond 233 bytes of texts.
    /// </value>
    public const int BytesPerConversion = 560;

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
            new InMemoryForwardingRuleStore(db),
            new InMemoryReconciliationStore(db));
    }
}
