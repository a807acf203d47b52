namespace Chatterfy.Postbacks.Forwarding;

/// <summary>An error as the destination reported it, e.g. Meta's <c>code</c>, <c>error_subcode</c> and <c>fbtrace_id</c>.</summary>
public sealed record DestinationError
{
    /// <summary>Gets the destination's error code, e.g. <c>100</c>.</summary>
    public string? Code { get; init; }

    /// <summary>Gets the destination's error subcode, e.g. <c>2804003</c>.</summary>
    public string? Subcode { get; init; }

    /// <summary>Gets the destination's error type, e.g. <c>OAuthException</c>.</summary>
    public string? Type { get; init; }

    /// <summary>Gets the destination's message (the user-facing one when there is one).</summary>
    public string? Message { get; init; }

    /// <summary>Gets the destination's trace id for support requests, e.g. Meta's <c>fbtrace_id</c>.</summary>
    public string? TraceId { get; init; }

    /// <summary>Gets a value indicating whether the destination said the error is transient (Meta's <c>is_transient</c>).</summary>
    public bool IsTransient { get; init; }
}
