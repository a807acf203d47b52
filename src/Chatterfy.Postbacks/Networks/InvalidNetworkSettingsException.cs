namespace Chatterfy.Postbacks.Networks;

/// <summary>Thrown when a postback set's settings are invalid for its network; <see cref="Errors"/> names each bad field.</summary>
public sealed class InvalidNetworkSettingsException : ArgumentException
{
    /// <summary>Initializes a new instance of the <see cref="InvalidNetworkSettingsException"/> class.</summary>
    /// <param name="networkId">The network whose settings were refused.</param>
    /// <param name="errors">The invalid fields; at least one.</param>
    public InvalidNetworkSettingsException(string networkId, IReadOnlyList<NetworkSettingsError> errors)
        : base(BuildMessage(networkId, errors))
    {
        NetworkId = networkId;
        Errors = errors;
    }

    /// <summary>Gets the network whose settings were refused.</summary>
    public string NetworkId { get; }

    /// <summary>Gets the invalid fields.</summary>
    public IReadOnlyList<NetworkSettingsError> Errors { get; }

    private static string BuildMessage(string networkId, IReadOnlyList<NetworkSettingsError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return $"Invalid settings for network '{networkId}': " + string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}"));
    }
}
