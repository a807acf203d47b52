namespace Chatterfy.Postbacks.Ingestion;

/// <summary>
/// The key under which a store de-duplicates conversions. Registration and first deposit: once per (set, kind, click id).
/// Deposits and custom events: per (set, event, click id, transaction id), or, without a transaction id, per hash of
/// the canonical parameters within <see cref="Window"/> measured from the first occurrence's receive time.
/// </summary>
/// <param name="Value">The key; at most 200 characters.</param>
/// <param name="Window">
/// <see langword="null"/> when the key de-duplicates forever; otherwise how long after the first occurrence an identical
/// postback is still a duplicate (after it, it counts as a new conversion).
/// </param>
public readonly record struct IdempotencyKey(string Value, TimeSpan? Window)
{
    /// <inheritdoc />
    public override string ToString() => Value;
}
