using Chatterfy.Postbacks.Ingestion;

namespace Chatterfy.Postbacks.Storage;

/// <summary>One change of a conversion's status, kept as its history (<see cref="ConversionRecord.History"/>).</summary>
public sealed record ConversionStatusChange
{
    /// <summary>Gets the history entry's opaque id.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the id of the conversion whose status changed.</summary>
    public required string ConversionId { get; init; }

    /// <summary>Gets when the status postback that changed it was received (UTC).</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>Gets the status before the change.</summary>
    public required ConversionStatus From { get; init; }

    /// <summary>Gets the status after the change.</summary>
    public required ConversionStatus To { get; init; }

    /// <summary>Gets the status word as received (e.g. <c>Hold</c>).</summary>
    public required string Word { get; init; }

    /// <summary>Gets the id of the log entry of the postback that changed it (retention may purge that entry later).</summary>
    public required string LogEntryId { get; init; }
}
