using Chatterfy.Postbacks.ConformanceTests;
using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Storage;

namespace Chatterfy.Postbacks.PostgreSql.Tests;

/// <summary>Ingest records as the core's ingestor makes them, for tests that drive the store directly.</summary>
internal static class IngestRecords
{
    /// <summary>
    /// The duplicate range the core gives a conversion: within the key's window either side of its receive time, or always
    /// for a key without a window.
    /// </summary>
    public static ReceivedRange RangeOf(Conversion conversion) =>
        conversion.IdempotencyKey.Window is { } window ? new(conversion.ReceivedAt - window, conversion.ReceivedAt + window) : ReceivedRange.Always;

    /// <summary>A valid postback: the conversion, its log entry (accepted when credited, unattributed otherwise) and messages.</summary>
    public static IngestRecord For(ConversionRecord conversion, params OutboxMessage[] messages) => For(conversion, StoreTestData.LogEntryFor(conversion), messages);

    /// <summary>A valid postback with the given log entry, whose outcome is set as the core sets it.</summary>
    public static IngestRecord For(ConversionRecord conversion, PostbackLogEntry entry, params OutboxMessage[] messages) => new()
    {
        LogEntry = entry with { Outcome = conversion.Attribution == ConversionAttribution.Credited ? PostbackOutcome.Accepted : PostbackOutcome.Unattributed, ConversionId = null },
        Conversion = conversion,
        DuplicateRange = RangeOf(conversion.Conversion),
        OutboxMessages = messages,
    };

    /// <summary>A rejected request: its log entry alone.</summary>
    public static IngestRecord Rejected(PostbackLogEntry entry) => new() { LogEntry = entry };

    /// <summary>Appends one record and returns its result.</summary>
    public static async Task<IngestResult> AppendOneAsync(this IngestStore store, IngestRecord record) =>
        (await store.AppendAsync([record], CancellationToken.None)).Single();
}
