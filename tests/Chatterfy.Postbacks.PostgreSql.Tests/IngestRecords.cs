using Chatterfy.Postbacks.Forwarding;
using Chatterfy.Postbacks.Storage;
using Chatterfy.Postbacks.Storage.Conformance;

namespace Chatterfy.Postbacks.PostgreSql.Tests;

/// <summary>Ingest records as the core's ingestor makes them (the conformance package's builders), for tests that drive the store directly.</summary>
internal static class IngestRecords
{
    /// <summary>A valid postback: the conversion, its log entry (accepted when credited, unattributed otherwise) and messages.</summary>
    public static IngestRecord For(ConversionRecord conversion, params OutboxMessage[] messages) => StoreTestData.Record(conversion, messages);

    /// <summary>A valid postback with the given log entry, whose outcome and conversion id are set as the core sets them.</summary>
    public static IngestRecord For(ConversionRecord conversion, PostbackLogEntry entry, params OutboxMessage[] messages)
    {
        var record = StoreTestData.Record(conversion, messages);
        return record with { LogEntry = entry with { Outcome = record.LogEntry.Outcome, Code = null, ConversionId = conversion.Id } };
    }

    /// <summary>A rejected request: its log entry alone.</summary>
    public static IngestRecord Rejected(PostbackLogEntry entry) => StoreTestData.Record(entry);

    /// <summary>Appends one record and returns its result.</summary>
    public static async Task<IngestResult> AppendOneAsync(this IngestStore store, IngestRecord record) =>
        (await store.AppendAsync([record], CancellationToken.None)).Single();
}
