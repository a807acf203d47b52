namespace Chatterfy.Postbacks.Forwarding;

/// <summary>
/// Thrown by a forwarding <see cref="HttpClient"/> when the outbound policy refuses a request: a scheme that is not allowed,
/// or a host resolving to a forbidden address at connect time (DNS rebinding). No byte was sent to the destination.
/// </summary>
/// <remarks>When refused at connect time the exception reaches the caller as the inner exception of an <see cref="HttpRequestException"/>.</remarks>
public sealed class OutboundRequestRefusedException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="OutboundRequestRefusedException"/> class.</summary>
    public OutboundRequestRefusedException()
        : this("The outbound request was refused by the forwarding policy.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="OutboundRequestRefusedException"/> class.</summary>
    /// <param name="message">Why the request was refused.</param>
    public OutboundRequestRefusedException(string message)
        : this(message, DeliveryErrorCodes.UrlForbidden)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="OutboundRequestRefusedException"/> class.</summary>
    /// <param name="message">Why the request was refused.</param>
    /// <param name="innerException">The cause.</param>
    public OutboundRequestRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
        ErrorCode = DeliveryErrorCodes.UrlForbidden;
    }

    /// <summary>Initializes a new instance of the <see cref="OutboundRequestRefusedException"/> class.</summary>
    /// <param name="message">Why the request was refused.</param>
    /// <param name="errorCode"><see cref="DeliveryErrorCodes.UrlForbidden"/> or <see cref="DeliveryErrorCodes.AddressForbidden"/>.</param>
    public OutboundRequestRefusedException(string message, string errorCode)
        : base(message)
    {
        ErrorCode = errorCode;
    }

    /// <summary>Gets the delivery error code: <see cref="DeliveryErrorCodes.UrlForbidden"/> or <see cref="DeliveryErrorCodes.AddressForbidden"/>.</summary>
    public string ErrorCode { get; }
}
