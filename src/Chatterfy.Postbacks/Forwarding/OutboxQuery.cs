namespace Chatterfy.Postbacks.Forwarding;

/// <summary>Filters and paging for <see cref="Storage.OutboxStore.ListAsync"/>.</summary>
public sealed record OutboxQuery
{
    /// <summary>The largest page: 1,000 messages.</summary>
    public const int MaxLimit = 1000;

    /// <summary>The page size when none is asked for: 100 messages.</summary>
    public const int DefaultLimit = 100;

    /// <summary>Gets the status to list, or <see langword="null"/> for all.</summary>
    public OutboxMessageStatus? Status { get; init; }

    /// <summary>Gets the conversion whose messages to list, or <see langword="null"/> for all.</summary>
    public string? ConversionId { get; init; }

    /// <summary>Gets the rule whose messages to list, or <see langword="null"/> for all.</summary>
    public string? RuleId { get; init; }

    /// <summary>Gets the id of the last message of the previous page, or <see langword="null"/> for the first page.</summary>
    public string? BeforeId { get; init; }

    /// <summary>Gets the most messages to return, 1 to 1,000.</summary>
    /// <value>Defaults to 100.</value>
    public int Limit { get; init; } = DefaultLimit;
}
