using Chatterfy.Postbacks.Clicks;

namespace Chatterfy.Postbacks.Ingestion;

/// <summary>
/// What a postback's click id and transaction id may hold: the one home of the rule "is this character allowed in an
/// id". A value that breaks it is refused with the field's <c>*_invalid</c> code.
/// </summary>
internal static class PostbackIds
{
    // Values that are a parameter's name rather than its value: a network sent the literal macro name.
    private static readonly string[] ParameterNamesAsValues =
    [
        "sub1", "sub2", "sub3", "sub4", "sub5", "subid", "sub_id", "clickid", "click_id", "tid", "transaction_id",
        "user_id", "null", "undefined", "none", "nil",
    ];

    /// <summary>Tells whether a character may appear in a click id: <c>A-Z a-z 0-9 . _ -</c>.</summary>
    /// <param name="c">The character.</param>
    /// <returns><see langword="true"/> when it may.</returns>
    public static bool IsClickIdChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-';

    /// <summary>
    /// Tells whether a character may appear in a transaction id: anything but a control character (C0, DEL and C1:
    /// U+0000–U+001F, U+007F–U+009F) and Unicode's bidirectional controls (U+061C, U+200E, U+200F, U+202A–U+202E,
    /// U+2066–U+2069), which hide or reorder what a person reads in the postback log and in reports.
    /// </summary>
    /// <param name="c">The character.</param>
    /// <returns><see langword="true"/> when it may.</returns>
    public static bool IsTransactionIdChar(char c) => !char.IsControl(c) && !IsBidiControl(c);

    /// <summary>Tells whether a click id is 1 to <see cref="Click.MaxIdLength"/> click-id characters and not a parameter name such as <c>sub1</c>.</summary>
    /// <param name="clickId">The click id.</param>
    /// <returns><see langword="true"/> when it is.</returns>
    public static bool IsValidClickId(string clickId)
    {
        if (clickId.Length is 0 or > Click.MaxIdLength)
        {
            return false;
        }

        foreach (var c in clickId)
        {
            if (!IsClickIdChar(c))
            {
                return false;
            }
        }

        foreach (var name in ParameterNamesAsValues)
        {
            if (clickId.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Tells whether a transaction id is at most <see cref="PostbackParser.MaxTransactionIdLength"/> transaction-id characters.</summary>
    /// <param name="transactionId">The transaction id.</param>
    /// <returns><see langword="true"/> when it is.</returns>
    public static bool IsValidTransactionId(string transactionId)
    {
        if (transactionId.Length > PostbackParser.MaxTransactionIdLength)
        {
            return false;
        }

        foreach (var c in transactionId)
        {
            if (!IsTransactionIdChar(c))
            {
                return false;
            }
        }

        return true;
    }

    // Unicode's Bidi_Control property: ALM, LRM, RLM, the embeddings and overrides, and the isolates.
    private static bool IsBidiControl(char c) => c is '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
}
