using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Storage;

namespace Chatterfy.Postbacks.Forwarding;

/// <summary>One outbox message handed to a destination: the stored conversion, its click, and which attempt this is.</summary>
public sealed record ForwardedConversion
{
    /// <summary>Gets the outbox message's id, stable across attempts.</summary>
    public required string MessageId { get; init; }

    /// <summary>Gets the stored conversion.</summary>
    public required ConversionRecord Conversion { get; init; }

    /// <summary>Gets the conversion's click, or <see langword="null"/> when it is unknown (an unattributed conversion) or purged.</summary>
    public Click? Click { get; init; }

    /// <summary>Gets the number of this attempt, starting at 1.</summary>
    public int Attempt { get; init; } = 1;
}
