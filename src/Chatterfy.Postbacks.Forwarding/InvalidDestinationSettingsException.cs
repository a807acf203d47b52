namespace Chatterfy.Postbacks.Forwarding;

/// <summary>Thrown when a forwarding rule's settings are invalid for its destination; <see cref="Errors"/> names each bad field.</summary>
public sealed class InvalidDestinationSettingsException : ArgumentException
{
    /// <summary>Initializes a new instance of the <see cref="InvalidDestinationSettingsException"/> class.</summary>
    /// <param name="destinationId">The destination whose settings were refused.</param>
    /// <param name="errors">The invalid fields; at least one.</param>
    public InvalidDestinationSettingsException(string destinationId, IReadOnlyList<DestinationSettingsError> errors)
        : base(BuildMessage(destinationId, errors))
    {
        DestinationId = destinationId;
        Errors = errors;
    }

    /// <summary>Gets the destination whose settings were refused.</summary>
    public string DestinationId { get; }

    /// <summary>Gets the invalid fields.</summary>
    public IReadOnlyList<DestinationSettingsError> Errors { get; }

    private static string BuildMessage(string destinationId, IReadOnlyList<DestinationSettingsError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return $"Invalid settings for forwarding destination '{destinationId}': " + string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}"));
    }
}
