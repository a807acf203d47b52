namespace Chatterfy.Postbacks.Forwarding.Reactions;

/// <summary>Options of the signed webhook destination (configuration section <c>Postbacks:Forwarding:Webhook</c>).</summary>
public sealed class WebhookOptions
{
    /// <summary>
    /// Gets the hosts (names or IP addresses, matched case-insensitively, without scheme or port) that signed webhook rules
    /// may call although they are loopback or private, on any port but 0: a bot on the same machine or in the same network.
    /// Every other host of a webhook, and every other destination, keeps the outbound policy.
    /// </summary>
    /// <value>Empty by default. A list: <c>Webhook:AllowedHosts:0</c>, <c>Webhook:AllowedHosts:1</c> …; each entry must be a host name or an IP address.</value>
    public IList<string> AllowedHosts { get; } = [];
}
