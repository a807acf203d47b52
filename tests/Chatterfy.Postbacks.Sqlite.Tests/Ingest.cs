using Chatterfy.Postbacks.Storage.Conformance;
using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.Storage;

namespace Chatterfy.Postbacks.Sqlite.Tests;

/// <summary>
/// Records for <see cref="IngestStore.AppendAsync"/> as the core's ingestor makes them (the log entry's outcome from the
/// attribution, the duplicate range from the key's window), and one-record appends.
/// </summary>
internal static class Ingest
{
    /// <summary>The record of a processed postback that stores <paramref name="conversion"/> unless a duplicate is stored.</summary>
    public static IngestRecord Record(ConversionRecord conversion, PostbackLogEntry? entry = null, params OutboxMessage[] messages)
    {
        var receivedAt = conversion.Conversion.ReceivedAt;
        var range = ReceivedRange.Always;
        if (conversion.Conversion.IdempotencyKey.Window is { } window)
        {
            // A bound beyond the calendar is no bound.
            range = new ReceivedRange(
                receivedAt - DateTimeOffset.MinValue >= window ? receivedAt - window : null,
                DateTimeOffset.MaxValue - receivedAt >= window ? receivedAt + window : null);
        }

        return new IngestRecord
        {
            LogEntry = (entry ?? StoreTestData.LogEntryFor(conversion)) with
            {
                Outcome = conversion.Attribution == ConversionAttribution.Credited ? PostbackOutcome.Accepted : PostbackOutcome.Unattributed,
                ConversionId = conversion.Id,
            },
            Conversion = conversion,
            DuplicateRange = range,
            OutboxMessages = messages,
        };
    }

    /// <summary>The record of a request that stores only its log entry (a rejection).</summary>
    public static IngestRecord Record(PostbackLogEntry entry) => new() { LogEntry = entry };

    /// <summary>Appends one record.</summary>
    public static async Task<IngestResult> AppendAsync(this SqlitePostbackStore store, IngestRecord record, CancellationToken cancellationToken = default) =>
        (await store.Ingest.AppendAsync([record], cancellationToken))[0];

    /// <summary>Appends the record of <paramref name="conversion"/> (see <see cref="Record(ConversionRecord, PostbackLogEntry?, OutboxMessage[])"/>).</summary>
    public static Task<IngestResult> AppendAsync(this SqlitePostbackStore store, ConversionRecord conversion, PostbackLogEntry? entry = null, params OutboxMessage[] messages) =>
        store.AppendAsync(Record(conversion, entry, messages));
}
