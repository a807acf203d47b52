namespace Chatterfy.Postbacks.Campaigns;

/// <summary>Thrown when a campaign cannot be created or changed as asked; <see cref="Errors"/> names each bad field.</summary>
public sealed class CampaignValidationException : ArgumentException
{
    /// <summary>Initializes a new instance of the <see cref="CampaignValidationException"/> class.</summary>
    public CampaignValidationException()
        : this(new Dictionary<string, string[]>())
    {
    }

    /// <summary>Initializes a new instance of the <see cref="CampaignValidationException"/> class.</summary>
    /// <param name="message">The message.</param>
    public CampaignValidationException(string message)
        : base(message)
    {
        Errors = new Dictionary<string, string[]>();
    }

    /// <summary>Initializes a new instance of the <see cref="CampaignValidationException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public CampaignValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = new Dictionary<string, string[]>();
    }

    /// <summary>Initializes a new instance of the <see cref="CampaignValidationException"/> class.</summary>
    /// <param name="errors">Field path (camelCase, e.g. <c>destination</c>) to its error messages.</param>
    public CampaignValidationException(IReadOnlyDictionary<string, string[]> errors)
        : base(BuildMessage(errors))
    {
        Errors = errors;
    }

    /// <summary>Gets the invalid fields: field path to messages, ready for a problem-details <c>errors</c> object.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; }

    private static string BuildMessage(IReadOnlyDictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return "The campaign is invalid: " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));
    }
}
