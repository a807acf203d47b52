namespace Chatterfy.Postbacks.Clicks;

/// <summary>Thrown when a click cannot be created as asked; <see cref="Errors"/> names each bad field.</summary>
public sealed class ClickValidationException : ArgumentException
{
    /// <summary>Initializes a new instance of the <see cref="ClickValidationException"/> class.</summary>
    public ClickValidationException()
        : this(new Dictionary<string, string[]>())
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ClickValidationException"/> class.</summary>
    /// <param name="message">The message.</param>
    public ClickValidationException(string message)
        : base(message)
    {
        Errors = new Dictionary<string, string[]>();
    }

    /// <summary>Initializes a new instance of the <see cref="ClickValidationException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ClickValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = new Dictionary<string, string[]>();
    }

    /// <summary>Initializes a new instance of the <see cref="ClickValidationException"/> class.</summary>
    /// <param name="errors">Field path (camelCase, e.g. <c>fields.ad_name</c>) to its error messages.</param>
    public ClickValidationException(IReadOnlyDictionary<string, string[]> errors)
        : base(BuildMessage(errors))
    {
        Errors = errors;
    }

    /// <summary>Gets the invalid fields: field path to messages, ready for a problem-details <c>errors</c> object.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; }

    private static string BuildMessage(IReadOnlyDictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return "The click is invalid: " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));
    }
}
