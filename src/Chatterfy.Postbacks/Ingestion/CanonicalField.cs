using System.Buffers;

namespace Chatterfy.Postbacks.Ingestion;

/// <summary>The canonical postback fields and their aliases, in priority order.</summary>
internal enum CanonicalField
{
    None,
    ClickId,
    Amount,
    Currency,
    TransactionId,
    Event,
    Status,
    Attribute,
}

internal static class CanonicalFields
{
    public const string AttributePrefix = "fields.";

    // For a field with several aliases the first alias present wins; the order is part of the public contract.
    private static readonly string[] ClickIdAliases = ["clickid", "click_id"];
    private static readonly string[] AmountAliases = ["amount", "tracker.cost", "payout", "sum"];
    private static readonly string[] CurrencyAliases = ["currency", "tracker.currency"];
    private static readonly string[] TransactionIdAliases = ["tid", "tracker.tid", "transaction_id", "txid"];
    private static readonly string[] EventAliases = ["tracker.event", "event"];
    private static readonly string[] StatusAliases = ["status", "cnv_status", "conv_status", "goal_status"];

    private static readonly SearchValues<char> AttributeKeyChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.");

    public const int MaxAliases = 4;

    /// <summary>Classifies a parameter name (case-insensitively) and returns its alias rank.</summary>
    public static CanonicalField Classify(ReadOnlySpan<char> name, out int rank)
    {
        rank = 0;
        if (name.StartsWith(AttributePrefix, StringComparison.OrdinalIgnoreCase))
        {
            return CanonicalField.Attribute;
        }

        if ((rank = IndexOf(ClickIdAliases, name)) >= 0)
        {
            return CanonicalField.ClickId;
        }

        if ((rank = IndexOf(AmountAliases, name)) >= 0)
        {
            return CanonicalField.Amount;
        }

        if ((rank = IndexOf(CurrencyAliases, name)) >= 0)
        {
            return CanonicalField.Currency;
        }

        if ((rank = IndexOf(TransactionIdAliases, name)) >= 0)
        {
            return CanonicalField.TransactionId;
        }

        if ((rank = IndexOf(EventAliases, name)) >= 0)
        {
            return CanonicalField.Event;
        }

        if ((rank = IndexOf(StatusAliases, name)) >= 0)
        {
            return CanonicalField.Status;
        }

        rank = 0;
        return CanonicalField.None;
    }

    public static string AliasName(CanonicalField field, int rank) => field switch
    {
        CanonicalField.ClickId => ClickIdAliases[rank],
        CanonicalField.Amount => AmountAliases[rank],
        CanonicalField.Currency => CurrencyAliases[rank],
        CanonicalField.TransactionId => TransactionIdAliases[rank],
        CanonicalField.Event => EventAliases[rank],
        CanonicalField.Status => StatusAliases[rank],
        _ => "",
    };

    /// <summary>
    /// Whether <paramref name="key"/> is a valid attribute key: 1 to <see cref="PostbackParser.MaxAttributeKeyLength"/>
    /// of <c>A-Z a-z 0-9 _ - .</c>, the one rule of postback attribute keys, the field keys a custom set may configure and
    /// tracker click field keys.
    /// </summary>
    public static bool IsAttributeKey(ReadOnlySpan<char> key) =>
        key.Length is > 0 and <= PostbackParser.MaxAttributeKeyLength && !key.ContainsAnyExcept(AttributeKeyChars);

    private static int IndexOf(string[] aliases, ReadOnlySpan<char> name)
    {
        for (var i = 0; i < aliases.Length; i++)
        {
            if (name.Equals(aliases[i], StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }
}
