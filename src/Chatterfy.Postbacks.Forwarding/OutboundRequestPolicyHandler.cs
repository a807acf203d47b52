namespace Chatterfy.Postbacks.Forwarding;

/// <summary>
/// The outermost handler of forwarding clients: refuses a request whose URL the policy refuses (scheme, user info, port,
/// literal forbidden address) before it reaches the circuit breaker or the network. Host names are checked at connect time.
/// </summary>
internal sealed class OutboundRequestPolicyHandler(OutboundUrlPolicy policy, string? destinationId) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is not { } url)
        {
            return base.SendAsync(request, cancellationToken);
        }

        var check = policy.CheckUrl(url, destinationId);
        return check.IsAllowed
            ? base.SendAsync(request, cancellationToken)
            : Task.FromException<HttpResponseMessage>(new OutboundRequestRefusedException(check.Problem!, check.ErrorCode ?? DeliveryErrorCodes.UrlForbidden));
    }
}
