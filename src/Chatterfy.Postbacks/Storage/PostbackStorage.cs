namespace Chatterfy.Postbacks.Storage;

/// <summary>
/// A store: the set of roles one storage package provides, registered together by its <c>Use…</c> call (through
/// <c>UseStorage</c>) and held to the contract by the conformance suite (Chatterfy.Postbacks.Storage.Conformance).
/// </summary>
/// <remarks>
/// Services ask for the roles they need (for example <see cref="ClickStore"/>), never for the whole store. The roles of one
/// store share its database; the <see cref="IngestStore"/> writes conversions, log entries and outbox messages together.
/// </remarks>
public sealed class PostbackStorage
{
    /// <summary>Initializes a new instance of the <see cref="PostbackStorage"/> class.</summary>
    /// <param name="sets">The postback sets and their tokens.</param>
    /// <param name="campaigns">The campaigns.</param>
    /// <param name="clicks">The clicks.</param>
    /// <param name="ingest">The append of processed postbacks and the reads of conversions.</param>
    /// <param name="log">The postback log and the stats figures.</param>
    /// <param name="outbox">The forwarding outbox.</param>
    /// <param name="forwardingRules">The forwarding rules.</param>
    /// <param name="reconciliations">The reconciliation layouts and kept reports.</param>
    public PostbackStorage(
        PostbackSetStore sets,
        CampaignStore campaigns,
        ClickStore clicks,
        IngestStore ingest,
        PostbackLogStore log,
        OutboxStore outbox,
        ForwardingRuleStore forwardingRules,
        ReconciliationStore reconciliations)
    {
        ArgumentNullException.ThrowIfNull(sets);
        ArgumentNullException.ThrowIfNull(campaigns);
        ArgumentNullException.ThrowIfNull(clicks);
        ArgumentNullException.ThrowIfNull(ingest);
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(outbox);
        ArgumentNullException.ThrowIfNull(forwardingRules);
        ArgumentNullException.ThrowIfNull(reconciliations);
        Sets = sets;
        Campaigns = campaigns;
        Clicks = clicks;
        Ingest = ingest;
        Log = log;
        Outbox = outbox;
        ForwardingRules = forwardingRules;
        Reconciliations = reconciliations;
    }

    /// <summary>Gets the postback sets and their tokens.</summary>
    public PostbackSetStore Sets { get; }

    /// <summary>Gets the campaigns.</summary>
    public CampaignStore Campaigns { get; }

    /// <summary>Gets the clicks.</summary>
    public ClickStore Clicks { get; }

    /// <summary>Gets the append of processed postbacks and the reads of conversions.</summary>
    public IngestStore Ingest { get; }

    /// <summary>Gets the postback log and the stats figures.</summary>
    public PostbackLogStore Log { get; }

    /// <summary>Gets the forwarding outbox.</summary>
    public OutboxStore Outbox { get; }

    /// <summary>Gets the forwarding rules.</summary>
    public ForwardingRuleStore ForwardingRules { get; }

    /// <summary>Gets the reconciliation layouts and kept reports.</summary>
    public ReconciliationStore Reconciliations { get; }
}
