using System.Net;

namespace Chatterfy.Postbacks.Ingestion;

/// <summary>
/// A framework-free view of one incoming postback request, as the receiver saw it. It holds the raw parts so that the
/// postback log can store and replay the request exactly.
/// </summary>
public sealed record PostbackRequest
{
    /// <summary>The largest body, in bytes of UTF-8, that the receiver reads and logs (16 KiB).</summary>
    public const int MaxBodyBytes = 16 * 1024;

    /// <summary>The method of a request made from a row of a network's report by a reconciliation's ingest: <c>RECONCILE</c>.</summary>
    public const string ReconcileMethod = "RECONCILE";

    /// <summary>The method of the log entry of a status change made by a status remap of a set: <c>REMAP</c>.</summary>
    public const string RemapMethod = "REMAP";

    /// <summary>Gets the HTTP method, <c>GET</c> or <c>POST</c>; <see cref="ReconcileMethod"/> for a reconciled row.</summary>
    public string Method { get; init; } = "GET";

    /// <summary>Gets the request path as received, for the log, e.g. <c>/api/postbacks/Xy…/first-deposit</c>.</summary>
    public string Path { get; init; } = "";

    /// <summary>
    /// Gets the path segment after the token: an event name such as <c>registration</c>, <c>first-deposit</c>,
    /// <c>deposit</c> or a custom name; <c>tracker-postback</c> for Chatterfy-compatible URLs; or
    /// <see langword="null"/> for the set's bare URL.
    /// </summary>
    public string? EventSegment { get; init; }

    /// <summary>Gets the raw query string with its leading <c>?</c>, or an empty string.</summary>
    public string QueryString { get; init; } = "";

    /// <summary>Gets the raw request body as text (form or JSON object), or <see langword="null"/> when there was none.</summary>
    public string? Body { get; init; }

    /// <summary>Gets the body's content type, e.g. <c>application/x-www-form-urlencoded</c> or <c>application/json</c>.</summary>
    public string? ContentType { get; init; }

    /// <summary>Gets the remote address of the caller (the network), when known.</summary>
    public IPAddress? RemoteAddress { get; init; }
}
