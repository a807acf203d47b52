namespace Chatterfy.Postbacks.Storage;

/// <summary>
/// Thrown by a store that cannot serve a request right now (database unreachable, write queue full, shutting down).
/// The receiver answers 503 with <c>Retry-After</c>, so the network retries later. The write may or may not have been
/// committed (a failed COMMIT can still have reached the disk); the retry is safe because writes are de-duplicated.
/// </summary>
public sealed class PostbackStoreUnavailableException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="PostbackStoreUnavailableException"/> class.</summary>
    public PostbackStoreUnavailableException()
        : this("The postback store is unavailable.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PostbackStoreUnavailableException"/> class.</summary>
    /// <param name="message">What is unavailable.</param>
    public PostbackStoreUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PostbackStoreUnavailableException"/> class.</summary>
    /// <param name="message">What is unavailable.</param>
    /// <param name="innerException">The database error.</param>
    public PostbackStoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets how long the caller should wait before retrying, when the store knows.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
