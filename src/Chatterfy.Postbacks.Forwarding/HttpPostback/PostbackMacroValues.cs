using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Templates;

namespace Chatterfy.Postbacks.Forwarding.HttpPostback;

/// <summary>The macro values of one forwarded conversion; a macro without a value is unknown and renders empty.</summary>
internal sealed class PostbackMacroValues(ForwardedConversion item) : IMacroValueSource
{
    public bool TryGetValue(string name, [NotNullWhen(true)] out string? value)
    {
        ArgumentNullException.ThrowIfNull(name);
        var record = item.Conversion;
        var conversion = record.Conversion;
        value = name switch
        {
            // The click id the network echoed: the same id whether or not the click is still stored.
            "click.id" or "tracker.clickid" => conversion.ClickId,
            "conversion.event" => conversion.Event.Name,

            // Invariant and exact: 1234.50 renders as 1234.50, never 1 234,5.
            "conversion.amount" => conversion.Amount?.ToString(CultureInfo.InvariantCulture),
            "conversion.currency" => conversion.Currency,
            "conversion.tid" => conversion.TransactionId,
            "conversion.id" => record.Id,

            // 1 for the click's first deposit, 2, 3, … for its repeat deposits; empty for other events.
            "conversion.deposit_number" => record.DepositNumber?.ToString(CultureInfo.InvariantCulture),

            // What the message forwards (a status change, or the conversion as stored), not the conversion's status now.
            "conversion.status" => ConversionStatusNames.Name(item.Status),
            "conversion.status_at" => item.StatusAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            _ when name.StartsWith(PostbackUrlTemplate.FieldsPrefix, StringComparison.Ordinal) =>
                Find(conversion.Attributes, name.AsSpan(PostbackUrlTemplate.FieldsPrefix.Length)),
            _ when name.StartsWith(PostbackUrlTemplate.TrackerPrefix, StringComparison.Ordinal) && item.Click is { } click =>
                Find(click.Fields, name.AsSpan(PostbackUrlTemplate.TrackerPrefix.Length)),
            _ => null,
        };
        return value is not null;
    }

    // Macro names are lower-cased by the template engine; stored keys keep their case.
    private static string? Find(IReadOnlyDictionary<string, string> values, ReadOnlySpan<char> key)
    {
        foreach (var (candidate, value) in values)
        {
            if (key.Equals(candidate, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }
}
