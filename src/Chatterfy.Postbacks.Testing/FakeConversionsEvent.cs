using System.Text.Json;

namespace Chatterfy.Postbacks.Testing;

/// <summary>One event a <see cref="FakeConversionsApi"/> accepted (the first with its pixel, event name and event id).</summary>
public sealed record FakeConversionsEvent
{
    /// <summary>Gets the pixel (dataset) id from the URL.</summary>
    public required string PixelId { get; init; }

    /// <summary>Gets the Graph API version from the URL, e.g. <c>v21.0</c>.</summary>
    public required string ApiVersion { get; init; }

    /// <summary>Gets <c>event_name</c>, e.g. <c>Purchase</c>.</summary>
    public required string EventName { get; init; }

    /// <summary>Gets <c>event_id</c>, the de-duplication key.</summary>
    public required string EventId { get; init; }

    /// <summary>Gets <c>event_time</c> in Unix seconds.</summary>
    public long EventTime { get; init; }

    /// <summary>Gets <c>action_source</c>.</summary>
    public string? ActionSource { get; init; }

    /// <summary>Gets <c>custom_data.value</c>, exactly as sent, or <see langword="null"/>.</summary>
    public decimal? Value { get; init; }

    /// <summary>Gets <c>custom_data.currency</c>, or <see langword="null"/>.</summary>
    public string? Currency { get; init; }

    /// <summary>Gets the event as sent, for checks this record does not cover (<c>user_data</c> …).</summary>
    public required JsonElement Json { get; init; }
}
