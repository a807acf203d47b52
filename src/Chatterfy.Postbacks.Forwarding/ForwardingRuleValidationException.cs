namespace Chatterfy.Postbacks.Forwarding;

/// <summary>Thrown when a forwarding rule cannot be created as asked; <see cref="Errors"/> names each bad field.</summary>
public sealed class ForwardingRuleValidationException : ArgumentException
{
    /// <summary>Initializes a new instance of the <see cref="ForwardingRuleValidationException"/> class.</summary>
    public ForwardingRuleValidationException()
        : this(new Dictionary<string, string[]>())
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ForwardingRuleValidationException"/> class.</summary>
    /// <param name="message">The message.</param>
    public ForwardingRuleValidationException(string message)
        : base(message)
    {
        Errors = new Dictionary<string, string[]>();
    }

    /// <summary>Initializes a new instance of the <see cref="ForwardingRuleValidationException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ForwardingRuleValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = new Dictionary<string, string[]>();
    }

    /// <summary>Initializes a new instance of the <see cref="ForwardingRuleValidationException"/> class.</summary>
    /// <param name="errors">Field path (camelCase, e.g. <c>settings.pixelId</c>) to its error messages.</param>
    public ForwardingRuleValidationException(IReadOnlyDictionary<string, string[]> errors)
        : base(BuildMessage(errors))
    {
        Errors = errors;
    }

    /// <summary>Gets the invalid fields: field path to messages, ready for a problem-details <c>errors</c> object.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; }

    private static string BuildMessage(IReadOnlyDictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return "The forwarding rule is invalid: " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));
    }
}
