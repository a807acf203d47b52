using System.Net;

namespace Chatterfy.Postbacks.Clicks;

/// <summary>What the tracker knows about a new click; <see cref="ClickService.CreateAsync"/> adds the id and time.</summary>
public sealed record NewClick
{
    /// <summary>Gets the campaign the click belongs to.</summary>
    public string? CampaignId { get; init; }

    /// <summary>Gets the chat or user id in the bot engine.</summary>
    public string? SubjectId { get; init; }

    /// <summary>Gets the Facebook click id from the ad's landing URL.</summary>
    public string? Fbclid { get; init; }

    /// <summary>Gets the <c>_fbc</c> cookie value.</summary>
    public string? Fbc { get; init; }

    /// <summary>Gets the <c>_fbp</c> cookie value.</summary>
    public string? Fbp { get; init; }

    /// <summary>Gets the user's IP address.</summary>
    public IPAddress? IpAddress { get; init; }

    /// <summary>Gets the user's browser user agent.</summary>
    public string? UserAgent { get; init; }

    /// <summary>Gets the page the click came from.</summary>
    public string? EventSourceUrl { get; init; }

    /// <summary>Gets free-form tracker fields, rendered by <c>{{tracker.&lt;key&gt;}}</c>.</summary>
    public IReadOnlyDictionary<string, string>? Fields { get; init; }
}
