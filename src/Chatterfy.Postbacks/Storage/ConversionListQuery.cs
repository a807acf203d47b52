namespace Chatterfy.Postbacks.Storage;

/// <summary>Filters and paging for <see cref="IngestStore.ListConversionsAsync"/>; conversions come newest first.</summary>
public sealed record ConversionListQuery
{
    /// <summary>The largest page: 1,000 conversions.</summary>
    public const int MaxLimit = 1000;

    /// <summary>The page size when none is asked for: 50 conversions.</summary>
    public const int DefaultLimit = 50;

    /// <summary>Gets the set whose conversions to list, or <see langword="null"/> for all.</summary>
    public string? SetId { get; init; }

    /// <summary>Gets the click id whose conversions to list (case-sensitive), or <see langword="null"/> for all.</summary>
    public string? ClickId { get; init; }

    /// <summary>Gets the page size.</summary>
    /// <value>Defaults to 50; from 1 to 1000.</value>
    public int Limit { get; init; } = DefaultLimit;

    /// <summary>
    /// Gets the paging cursor: only conversions strictly older than the one with this id are listed (ties in receive time
    /// broken by id), or <see langword="null"/> for the newest.
    /// </summary>
    public string? BeforeId { get; init; }

    /// <summary>
    /// Gets the subject (chat user, see <see cref="Clicks.SubjectIds"/>) whose conversions to list: those of the clicks
    /// bound to it (<see cref="ClickStore.BindSubjectAsync"/>) or carrying it; <see langword="null"/> for all.
    /// </summary>
    public string? SubjectId { get; init; }

    /// <summary>Gets the status of the conversions to list, or <see langword="null"/> for all.</summary>
    public Ingestion.ConversionStatus? Status { get; init; }

    /// <summary>
    /// Gets whether to list only the conversions whose status word the set's map did not know
    /// (<see cref="ConversionRecord.StatusWordUnknown"/> <see langword="true"/>, kept with warning <c>status_unknown</c>) or
    /// only the others (<see langword="false"/>), or <see langword="null"/> for all. With <see langword="true"/> and a
    /// <see cref="SetId"/>, a store reads only that set's conversions with an unknown word (the status remap's read), not the
    /// whole set.
    /// </summary>
    /// <remarks>
    /// A conversion that leaves the filter between two pages (its word remapped) keeps the cursor valid: the cursor is the
    /// conversion's place in the order, whether or not it still matches the filter.
    /// </remarks>
    public bool? StatusWordUnknown { get; init; }
}
