namespace Chatterfy.Postbacks.AspNetCore;

/// <summary>
/// The names of the SDK's meter, instruments and activity source, for a host's OpenTelemetry set-up, e.g.
/// <c>metrics.AddMeter(ChatterfyPostbacksTelemetry.MeterName)</c> and <c>tracing.AddSource(ChatterfyPostbacksTelemetry.ActivitySourceName)</c>.
/// </summary>
public static class ChatterfyPostbacksTelemetry
{
    /// <summary>The name of the <see cref="System.Diagnostics.Metrics.Meter"/>, created through <c>IMeterFactory</c>.</summary>
    public const string MeterName = "Chatterfy.Postbacks";

    /// <summary>The name of the <see cref="System.Diagnostics.ActivitySource"/>; one activity per received postback.</summary>
    public const string ActivitySourceName = "Chatterfy.Postbacks";

    /// <summary>
    /// The counter of postbacks answered by the receiver. Tags: <c>outcome</c> (<c>accepted</c>, <c>duplicate</c>,
    /// <c>unattributed</c>, <c>rejected</c>, <c>not_found</c>, <c>too_large</c>, <c>unavailable</c>), <c>network</c> (the set's network id, or
    /// <c>unknown</c>) and <c>event</c> (<c>registration</c>, <c>first-deposit</c>, <c>deposit</c>, <c>custom</c> or
    /// <c>none</c>; never a sender's custom event name).
    /// </summary>
    public const string ReceivedCounterName = "chatterfy.postbacks.received";

    /// <summary>
    /// The histogram of the time, in seconds, that ingestion took for a postback: token lookup, parsing, attribution and
    /// the store's commit (the body is read before). Tags: <c>outcome</c>, <c>network</c>.
    /// </summary>
    public const string IngestDurationHistogramName = "chatterfy.postbacks.ingest.duration";

    /// <summary>The name of the activity started for each received postback.</summary>
    public const string IngestActivityName = "chatterfy.postbacks.ingest";
}
