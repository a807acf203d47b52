namespace Chatterfy.Postbacks.Forwarding.Reactions;

/// <summary>The result of <see cref="WebhookSignature.Verify"/>.</summary>
public enum WebhookSignatureCheck
{
    /// <summary>One <c>v1</c> matches the secret and <c>t</c> is within the tolerance.</summary>
    Valid,

    /// <summary>There is no signature header.</summary>
    Missing,

    /// <summary>The header has no <c>t</c>, no well-formed <c>v1</c>, or a <c>t</c> that is not Unix seconds.</summary>
    Malformed,

    /// <summary>No <c>v1</c> matches the secret: another secret, or a changed body or timestamp.</summary>
    Mismatch,

    /// <summary>The signature matches but <c>t</c> is further from the receiver's clock than the tolerance (a replay, or a clock off).</summary>
    OutsideTolerance,
}
