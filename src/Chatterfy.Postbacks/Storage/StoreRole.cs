namespace Chatterfy.Postbacks.Storage;

/// <summary>
/// What every store role has in common: the arguments its public members check before the store sees them, so every store
/// refuses the same input with the same exception and message.
/// </summary>
/// <remarks>
/// Each role is an abstract class whose public members are not virtual: they validate their arguments, then call a
/// <c>protected abstract …CoreAsync</c> member that the store implements (a template method). A store persists; the core
/// decides outcomes, windows, attribution and what is counted. Members are safe to call concurrently. Cancellation may
/// abandon a read; a write that has begun committing may still commit, which is safe because every write is idempotent or
/// de-duplicated. Ids, tokens, click ids and idempotency key values are compared ordinally (case-sensitive).
/// </remarks>
public abstract class StoreRole
{
    /// <summary>Initializes a new instance of the <see cref="StoreRole"/> class.</summary>
    protected StoreRole()
    {
    }

    /// <summary>Throws when <paramref name="id"/> is <see langword="null"/> or empty.</summary>
    /// <param name="id">The id.</param>
    /// <param name="name">The parameter's name.</param>
    /// <exception cref="ArgumentException"><paramref name="id"/> is empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is <see langword="null"/>.</exception>
    protected static void ThrowIfInvalidId([System.Diagnostics.CodeAnalysis.NotNull] string? id, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(id))] string? name = null) =>
        ArgumentException.ThrowIfNullOrEmpty(id, name);
}
