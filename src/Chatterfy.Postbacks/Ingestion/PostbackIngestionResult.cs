using Chatterfy.Postbacks.Storage;

namespace Chatterfy.Postbacks.Ingestion;

/// <summary>What <see cref="PostbackIngestor"/> did with a request; the HTTP layer maps it to a status code.</summary>
public sealed record PostbackIngestionResult
{
    /// <summary>Gets the result for an unknown, disabled or rotated-away token: nothing was stored or logged (HTTP 404).</summary>
    public static PostbackIngestionResult SetNotFound { get; } = new() { IsSetFound = false, Outcome = PostbackOutcome.Rejected };

    /// <summary>Gets a value indicating whether the token named an enabled set. When <see langword="false"/>, nothing else applies.</summary>
    public bool IsSetFound { get; init; } = true;

    /// <summary>Gets the outcome: accepted, duplicate or unattributed (HTTP 200), or rejected (HTTP 400).</summary>
    public required PostbackOutcome Outcome { get; init; }

    /// <summary>Gets the set the request was addressed to, or <see langword="null"/> when it was not found.</summary>
    public string? SetId { get; init; }

    /// <summary>Gets the network of the set, or <see langword="null"/> when it was not found (a bounded tag for metrics).</summary>
    public string? NetworkId { get; init; }

    /// <summary>Gets the stored conversion's id (the original's for a duplicate); <see langword="null"/> when rejected.</summary>
    public string? ConversionId { get; init; }

    /// <summary>Gets the parsed conversion, or <see langword="null"/> when rejected or not found.</summary>
    public Conversion? Conversion { get; init; }

    /// <summary>Gets why the request was rejected, or <see langword="null"/>.</summary>
    public PostbackRejection? Rejection { get; init; }

    /// <summary>Gets the warnings the request raised.</summary>
    public IReadOnlyList<PostbackWarning> Warnings { get; init; } = [];

    /// <summary>Gets the id of the request's postback log entry, or <see langword="null"/> when it was not found.</summary>
    public string? LogEntryId { get; init; }

    /// <summary>
    /// Gets the number the stored conversion took among its click's deposits (<see cref="ConversionRecord.DepositNumber"/>),
    /// or <see langword="null"/> when it has none (not a deposit, unattributed) and for duplicates and rejections.
    /// </summary>
    public int? DepositNumber { get; init; }

    /// <summary>
    /// Gets the status of the conversion the postback stored or changed (after the change), or of the conversion a status
    /// postback left as it was; <see langword="null"/> for rejections and for duplicates of postbacks without a status.
    /// </summary>
    public ConversionStatus? ConversionStatus { get; init; }
}
