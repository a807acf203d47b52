namespace Chatterfy.Postbacks.Ingestion;

/// <summary>
/// The stable, machine-readable codes of a rejected postback. They appear in the <c>code</c> of the 400 problem
/// details and in the postback log; they never change meaning once published.
/// </summary>
public static class PostbackRejectionCodes
{
    /// <summary>No click id parameter (<c>clickid</c>, <c>click_id</c>) with a value.</summary>
    public const string ClickIdMissing = "click_id_missing";

    /// <summary>The click id is outside <c>[A-Za-z0-9._-]{1,64}</c>, or is a parameter name such as <c>sub1</c>.</summary>
    public const string ClickIdInvalid = "click_id_invalid";

    /// <summary>A required value is a network macro the network did not substitute, e.g. <c>{sub1}</c> or <c>[subid]</c>.</summary>
    public const string MacroNotSubstituted = "macro_not_substituted";

    /// <summary>The event is named nowhere (path, <c>tracker.event</c>/<c>event</c>, flags) or its name is not valid.</summary>
    public const string EventUnknown = "event_unknown";

    /// <summary>A first deposit or deposit without an amount.</summary>
    public const string AmountMissing = "amount_missing";

    /// <summary>The amount does not follow the amount grammar (letters, exponents, NaN, too many digits, a sign where not allowed, only white space).</summary>
    public const string AmountInvalid = "amount_invalid";

    /// <summary>The amount could be read two ways, e.g. <c>1,234</c> (1234 or 1.234).</summary>
    public const string AmountAmbiguous = "amount_ambiguous";

    /// <summary>The currency is not three ASCII letters.</summary>
    public const string CurrencyInvalid = "currency_invalid";

    /// <summary>
    /// The transaction id is longer than 128 characters or contains a control character (C0, DEL, C1) or a bidirectional
    /// control (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069).
    /// </summary>
    public const string TransactionIdInvalid = "transaction_id_invalid";

    /// <summary>The body could not be read: malformed JSON, not a JSON object, nested too deep, or over 16 KiB.</summary>
    public const string BodyInvalid = "body_invalid";

    /// <summary>
    /// A postback on the status URL (or the bare URL with a status and no event) names no single stored conversion of its
    /// set and click: none or several with its transaction id, or, without one, not exactly one pending conversion.
    /// </summary>
    public const string StatusTargetUnknown = "status_target_unknown";
}
