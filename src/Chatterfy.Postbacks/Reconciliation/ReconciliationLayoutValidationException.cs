namespace Chatterfy.Postbacks.Reconciliation;

/// <summary>Thrown when a report layout cannot be kept as given; <see cref="Errors"/> names each bad member.</summary>
public sealed class ReconciliationLayoutValidationException : ArgumentException
{
    /// <summary>Initializes a new instance of the <see cref="ReconciliationLayoutValidationException"/> class.</summary>
    public ReconciliationLayoutValidationException()
        : this(new Dictionary<string, string[]>())
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ReconciliationLayoutValidationException"/> class.</summary>
    /// <param name="message">The message.</param>
    public ReconciliationLayoutValidationException(string message)
        : base(message)
    {
        Errors = new Dictionary<string, string[]>();
    }

    /// <summary>Initializes a new instance of the <see cref="ReconciliationLayoutValidationException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ReconciliationLayoutValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = new Dictionary<string, string[]>();
    }

    /// <summary>Initializes a new instance of the <see cref="ReconciliationLayoutValidationException"/> class.</summary>
    /// <param name="errors">Member (camelCase, e.g. <c>clickId</c>) to its error messages.</param>
    public ReconciliationLayoutValidationException(IReadOnlyDictionary<string, string[]> errors)
        : base("The layout is invalid: " + string.Join("; ", (errors ?? throw new ArgumentNullException(nameof(errors))).Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")))
    {
        Errors = errors;
    }

    /// <summary>Gets the invalid members: member to messages, ready for a problem-details <c>errors</c> object.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; }
}
