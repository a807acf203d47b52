namespace Chatterfy.Postbacks.Ingestion;

/// <summary>
/// Where a conversion stands with the network: only <see cref="Approved"/> conversions are counted and summed in the
/// stats. A postback may carry one (canonical field <c>status</c>, aliases <c>cnv_status</c>, <c>conv_status</c>,
/// <c>goal_status</c>); the set's <see cref="ConversionStatusMap"/> turns the network's word into one of these.
/// </summary>
public enum ConversionStatus
{
    /// <summary>Approved (<c>approved</c>): counted and summed; a new conversion without a status is approved.</summary>
    Approved,

    /// <summary>Waiting for the network's decision (<c>pending</c>), also the status of a word the map does not know.</summary>
    Pending,

    /// <summary>Rejected by the network (<c>rejected</c>).</summary>
    Rejected,

    /// <summary>Paid, then reversed (<c>chargeback</c>).</summary>
    Chargeback,
}

/// <summary>The wire names of <see cref="ConversionStatus"/>: the one home of each word.</summary>
public static class ConversionStatusNames
{
    /// <summary>The wire name of <see cref="ConversionStatus.Approved"/>.</summary>
    public const string Approved = "approved";

    /// <summary>The wire name of <see cref="ConversionStatus.Pending"/>.</summary>
    public const string Pending = "pending";

    /// <summary>The wire name of <see cref="ConversionStatus.Rejected"/>.</summary>
    public const string Rejected = "rejected";

    /// <summary>The wire name of <see cref="ConversionStatus.Chargeback"/>.</summary>
    public const string Chargeback = "chargeback";

    /// <summary>Gets every status, in the order of the enum.</summary>
    public static IReadOnlyList<ConversionStatus> All { get; } =
        [ConversionStatus.Approved, ConversionStatus.Pending, ConversionStatus.Rejected, ConversionStatus.Chargeback];

    /// <summary>Gets the wire name of a status.</summary>
    /// <param name="status">The status.</param>
    /// <returns>Its lower-case name, e.g. <c>approved</c>.</returns>
    public static string Name(ConversionStatus status) => status switch
    {
        ConversionStatus.Approved => Approved,
        ConversionStatus.Pending => Pending,
        ConversionStatus.Rejected => Rejected,
        ConversionStatus.Chargeback => Chargeback,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Not a conversion status."),
    };

    /// <summary>Reads a wire name (exact, lower case).</summary>
    /// <param name="name">The name.</param>
    /// <param name="status">The status.</param>
    /// <returns><see langword="true"/> when <paramref name="name"/> is a status name.</returns>
    public static bool TryParse(string? name, out ConversionStatus status)
    {
        switch (name)
        {
            case Approved:
                status = ConversionStatus.Approved;
                return true;
            case Pending:
                status = ConversionStatus.Pending;
                return true;
            case Rejected:
                status = ConversionStatus.Rejected;
                return true;
            case Chargeback:
                status = ConversionStatus.Chargeback;
                return true;
            default:
                status = default;
                return false;
        }
    }
}
