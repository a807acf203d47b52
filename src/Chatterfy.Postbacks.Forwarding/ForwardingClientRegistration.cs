namespace Chatterfy.Postbacks.Forwarding;

/// <summary>Recorded by <c>AddForwardingDestination</c>: which destination type owns which forwarding HTTP client.</summary>
/// <param name="DestinationId">The id the destination was registered under.</param>
/// <param name="DestinationType">The destination's type.</param>
internal sealed record ForwardingClientRegistration(string DestinationId, Type DestinationType)
{
    public string ClientName => ForwardingDestination.GetHttpClientName(DestinationId);
}
