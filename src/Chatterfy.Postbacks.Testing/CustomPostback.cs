using Chatterfy.Postbacks.PostbackSets;

namespace Chatterfy.Postbacks.Testing;

/// <summary>
/// A postback as a custom network or tracker sends it: it calls the URL pasted into its panel and replaces the macros it
/// knows textually, here the entries of <see cref="Macros"/> and the <see cref="Amount"/> under
/// <see cref="AmountMacro"/>. Any other macro stays as written.
/// </summary>
/// <remarks>
/// Example, for a set with <c>{"clickIdMacro":"{subid}","amountMacro":"{payout}","transactionIdMacro":"{txid}"}</c>:
/// <code>
/// new CustomPostback(SimulatedEvent.FirstDeposit)
/// {
///     Amount = 25.00m,
///     AmountMacro = "{payout}",
///     Macros = { ["{subid}"] = clickId, ["{txid}"] = "T-1" },
/// }
/// </code>
/// </remarks>
public sealed class CustomPostback : SimulatedPostback
{
    /// <summary>Initializes a custom network's postback.</summary>
    /// <param name="simulatedEvent">The event the network reports.</param>
    public CustomPostback(SimulatedEvent simulatedEvent)
        : base(simulatedEvent)
    {
    }

    /// <summary>
    /// Gets the macros the network substitutes and their values, written exactly as in the URL, e.g.
    /// <c>["{subid}"] = clickId</c>, <c>["[offer_id]"] = "77"</c>. A <see langword="null"/> value is substituted with
    /// nothing. An entry here wins over <see cref="Amount"/>.
    /// </summary>
    public IDictionary<string, string?> Macros { get; } = new Dictionary<string, string?>(StringComparer.Ordinal);

    /// <summary>Gets the amount, formatted like every simulated amount and substituted for <see cref="AmountMacro"/>.</summary>
    public decimal? Amount { get; init; }

    /// <summary>Gets the macro that receives <see cref="Amount"/>, as in the set's <c>amountMacro</c>. Default <c>{amount}</c>.</summary>
    public string AmountMacro { get; init; } = "{amount}";

    /// <inheritdoc />
    internal override string BuildUrl(PostbackUrls urls, PostbackRenderer renderer)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (Amount is not null)
        {
            values[AmountMacro] = renderer.FormatAmount(Amount);
        }

        foreach (var (macro, value) in Macros)
        {
            values[macro] = value;
        }

        return renderer.RenderTemplate(SelectUrl(urls), values);
    }
}
