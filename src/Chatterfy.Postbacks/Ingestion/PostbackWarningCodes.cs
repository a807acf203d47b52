namespace Chatterfy.Postbacks.Ingestion;

/// <summary>The stable codes of warnings attached to an accepted postback (and to its log entry).</summary>
public static class PostbackWarningCodes
{
    /// <summary>An optional parameter held an unsubstituted macro and was treated as absent.</summary>
    public const string MacroIgnored = "macro_ignored";

    /// <summary>Two aliases of one field (e.g. <c>clickid</c> and <c>click_id</c>) carried different values; the first alias won.</summary>
    public const string ParameterConflict = "parameter_conflict";

    /// <summary>A network event flag contradicted the event in the URL path; the flag won.</summary>
    public const string EventFlagOverridesPath = "event_flag_overrides_path";

    /// <summary>The event parameter and a network flag named different events; the parameter won.</summary>
    public const string EventConflict = "event_conflict";

    /// <summary>A value that is not needed was invalid and dropped: a bad <c>fields.*</c> key, an over-long field value, a JSON array, or an invalid event parameter beside a valid event path.</summary>
    public const string ParameterIgnored = "parameter_ignored";

    /// <summary>The query string had a second <c>?</c> (a network appended its query to a URL that already had one); it was read as <c>&amp;</c>.</summary>
    public const string QueryRepaired = "query_repaired";

    /// <summary>The click id is not known to the tracker; the conversion is stored as unattributed.</summary>
    public const string ClickUnknown = "click_unknown";

    /// <summary>The set is scoped to a campaign and the click belongs to another; the conversion is stored as unattributed.</summary>
    public const string CampaignMismatch = "campaign_mismatch";

    /// <summary>
    /// The conversion came later after its click than the attribution window of the click's campaign (or of the set)
    /// allows; it is stored as unattributed, is not forwarded and is never credited later.
    /// </summary>
    public const string AttributionWindowPassed = "attribution_window_passed";

    /// <summary>A reporting currency is set but no rate was found for the amount (the receive day and 7 days back); the conversion is stored without a reporting amount, which the recompute fills once rates exist.</summary>
    public const string ExchangeRateMissing = "exchange_rate_missing";

    /// <summary>
    /// The conversion was ingested from a network's report by a reconciliation (its log entry's method is
    /// <see cref="PostbackRequest.ReconcileMethod"/>), not received as a postback; it is forwarded only when asked.
    /// </summary>
    public const string Reconciled = "reconciled";

    /// <summary>
    /// The postback's status word is not in the set's status map (nor the default map); the word is kept verbatim and the
    /// conversion is <c>pending</c> until the map names it.
    /// </summary>
    public const string StatusUnknown = "status_unknown";

    /// <summary>
    /// A status postback matched a stored conversion whose status may not change to the postback's (the status it already
    /// has, or a change not in <see cref="ConversionStatusTransitions"/>): answered 200 duplicate, nothing changed.
    /// </summary>
    public const string StatusTransitionIgnored = "status_transition_ignored";

    /// <summary>
    /// A <c>rejected</c> or <c>chargeback</c> postback on an event URL matched no stored conversion: a new conversion is
    /// stored in that status, and it lowers nothing. (A first <c>pending</c> or <c>approved</c> postback is the
    /// conversion's original and has no warning.)
    /// </summary>
    public const string StatusWithoutOriginal = "status_without_original";
}
