using Chatterfy.Postbacks.Ingestion;

namespace Chatterfy.Postbacks.Storage;

/// <summary>
/// One processed postback request as the postback log keeps it: everything needed to see what happened and to replay it.
/// </summary>
public sealed record PostbackLogEntry
{
    /// <summary>Gets the entry's opaque id.</summary>
    public required string Id { get; init; }

    /// <summary>Gets when the request was received (UTC).</summary>
    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>Gets the set the request was addressed to.</summary>
    public required string SetId { get; init; }

    /// <summary>Gets the raw request (method, path, query, body up to 16 KiB, content type, remote address).</summary>
    public required PostbackRequest Request { get; init; }

    /// <summary>Gets the outcome. For a duplicate, <see cref="IngestStore.AppendAsync"/> writes <see cref="IngestRecord.DuplicateOutcome"/> instead.</summary>
    public required PostbackOutcome Outcome { get; init; }

    /// <summary>Gets the rejection code, for <see cref="PostbackOutcome.Rejected"/>.</summary>
    public string? Code { get; init; }

    /// <summary>Gets the codes of the warnings the request raised.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Gets the stored conversion's id (the original's for a duplicate), or <see langword="null"/> for a rejection.</summary>
    public string? ConversionId { get; init; }

    /// <summary>
    /// Gets the deposit number the receiver answered with (<see cref="ConversionRecord.DepositNumber"/> of the conversion this
    /// request stored), or <see langword="null"/>: for duplicates, rejections, events other than deposits and conversions
    /// that were unattributed when received (a later credit numbers the conversion, not its log entry). Written by the
    /// store when it appends the entry; the value given to <see cref="IngestStore.AppendAsync"/> is ignored.
    /// </summary>
    public int? DepositNumber { get; init; }
}
