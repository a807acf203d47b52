using System.Collections.ObjectModel;
using System.Net;

namespace Chatterfy.Postbacks.Ingestion;

/// <summary>A validated, normalized conversion parsed from a postback, before it is stored.</summary>
public sealed record Conversion
{
    /// <summary>Gets the id of the postback set that received it.</summary>
    public required string SetId { get; init; }

    /// <summary>Gets the event.</summary>
    public required PostbackEvent Event { get; init; }

    /// <summary>Gets the tracker click id the network echoed back.</summary>
    public required string ClickId { get; init; }

    /// <summary>Gets the amount, exact, or <see langword="null"/> when none was sent (registrations).</summary>
    public decimal? Amount { get; init; }

    /// <summary>Gets the upper-case ISO 4217 currency of <see cref="Amount"/>, or <see langword="null"/> without an amount.</summary>
    public string? Currency { get; init; }

    /// <summary>Gets the network's transaction id, or <see langword="null"/>.</summary>
    public string? TransactionId { get; init; }

    /// <summary>Gets extra values sent as <c>fields.&lt;key&gt;</c> (and network extras such as Binomo's <c>user_id</c>), keyed without the prefix.</summary>
    /// <value>Empty by default (one shared, immutable instance).</value>
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = ReadOnlyDictionary<string, string>.Empty;

    /// <summary>Gets when the postback was received (UTC); a replay keeps the original time.</summary>
    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>Gets the caller's address, when known.</summary>
    public IPAddress? RemoteAddress { get; init; }

    /// <summary>Gets the key under which the store de-duplicates this conversion.</summary>
    public required IdempotencyKey IdempotencyKey { get; init; }

    /// <summary>
    /// Gets the status the postback carried (<c>status</c>, <c>cnv_status</c>, <c>conv_status</c> or <c>goal_status</c>,
    /// read through the set's <see cref="ConversionStatusMap"/>), or <see langword="null"/> when it carried none: a new
    /// conversion without one is <see cref="ConversionStatus.Approved"/>. An unmapped word is <see cref="ConversionStatus.Pending"/>.
    /// </summary>
    public ConversionStatus? Status { get; init; }

    /// <summary>Gets the status word as received (trimmed), e.g. <c>Hold</c>, or <see langword="null"/> without a status.</summary>
    public string? StatusWord { get; init; }

    /// <summary>Gets a value indicating whether <see cref="StatusWord"/> is a word the set's map does not list (warning <c>status_unknown</c>).</summary>
    public bool StatusWordUnknown { get; init; }

    /// <summary>
    /// Gets a value indicating whether the postback named no event but a status (the set's <c>/status</c> URL, or its bare
    /// URL with a status and no event): it changes a stored conversion and never creates one. <see cref="Event"/> is then
    /// the custom event <c>status</c>, which is never stored.
    /// </summary>
    public bool IsStatusOnly { get; init; }
}
