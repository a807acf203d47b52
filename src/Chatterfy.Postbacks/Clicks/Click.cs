using System.Net;

namespace Chatterfy.Postbacks.Clicks;

/// <summary>
/// A tracker click: one chat user's arrival, identified by a short URL-safe click id that travels through the
/// affiliate link and comes back in the network's postbacks.
/// </summary>
public sealed record Click
{
    /// <summary>
    /// The longest click id, in characters: the most an <see cref="IClickIdGenerator"/> may return and a postback's click
    /// id may have.
    /// </summary>
    public const int MaxIdLength = 64;

    /// <summary>Gets the click id, e.g. <c>67wgwWkaR0xQ</c>.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the campaign the click belongs to, or <see langword="null"/>.</summary>
    public string? CampaignId { get; init; }

    /// <summary>Gets the subject: the chat or user id in the bot engine, or <see langword="null"/>.</summary>
    public string? SubjectId { get; init; }

    /// <summary>Gets the Facebook click id from the ad's landing URL, stored server-side (it does not fit a Telegram payload).</summary>
    public string? Fbclid { get; init; }

    /// <summary>Gets the <c>_fbc</c> cookie value, when captured.</summary>
    public string? Fbc { get; init; }

    /// <summary>Gets the <c>_fbp</c> cookie value, when captured.</summary>
    public string? Fbp { get; init; }

    /// <summary>Gets the user's IP address, when captured (personal data; purgeable).</summary>
    public IPAddress? IpAddress { get; init; }

    /// <summary>Gets the user's browser user agent, when captured (personal data; purgeable).</summary>
    public string? UserAgent { get; init; }

    /// <summary>Gets the page the click came from, when captured.</summary>
    public string? EventSourceUrl { get; init; }

    /// <summary>Gets when the click was created (UTC).</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets free-form tracker fields (<c>ad_name</c>, <c>utm_source</c> …), rendered by <c>{{tracker.&lt;key&gt;}}</c>.</summary>
    public IReadOnlyDictionary<string, string> Fields { get; init; } = new Dictionary<string, string>();
}
