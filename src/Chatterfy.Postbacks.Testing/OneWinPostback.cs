using Chatterfy.Postbacks.PostbackSets;

namespace Chatterfy.Postbacks.Testing;

/// <summary>
/// A postback as 1Win sends it: 1Win calls the URL pasted into the event's postback field and replaces its macros
/// textually — <c>{sub1}</c>…<c>{sub4}</c>, <c>{user_id}</c>, <c>{country}</c>, <c>{amount}</c> and
/// <c>{transaction_id}</c> — with its values, or with nothing when it has none. Other macros stay as written unless
/// given in <see cref="Macros"/>.
/// </summary>
/// <remarks>
/// Example, a first deposit on a set with the click id in <c>sub4</c>:
/// <c>…/first-deposit?clickid={sub4}&amp;fields.user_id={user_id}&amp;fields.country={country}&amp;amount={amount}&amp;tid={transaction_id}</c>
/// becomes <c>…/first-deposit?clickid=67wgwWkaR0&amp;fields.user_id=991&amp;fields.country=BR&amp;amount=50.00&amp;tid=88123</c>.
/// </remarks>
public sealed class OneWinPostback : SimulatedPostback
{
    /// <summary>Initializes a 1Win postback.</summary>
    /// <param name="simulatedEvent">The event 1Win reports.</param>
    /// <param name="clickId">The click id 1Win received in the affiliate link's <see cref="ClickIdSub"/>, or <see langword="null"/> for none.</param>
    public OneWinPostback(SimulatedEvent simulatedEvent, string? clickId)
        : base(simulatedEvent)
    {
        ClickId = clickId;
    }

    /// <summary>Gets the click id, substituted for the macro of <see cref="ClickIdSub"/>.</summary>
    public string? ClickId { get; }

    /// <summary>
    /// Gets the sub parameter of the affiliate link that carried the click id: <c>sub1</c> (default), <c>sub2</c>,
    /// <c>sub3</c> or <c>sub4</c>; its macro, e.g. <c>{sub4}</c>, is replaced by <see cref="ClickId"/>. The other subs
    /// are replaced with nothing unless given in <see cref="Macros"/>.
    /// </summary>
    public string ClickIdSub { get; init; } = "sub1";

    /// <summary>Gets 1Win's user id, substituted for <c>{user_id}</c>.</summary>
    public string? UserId { get; init; }

    /// <summary>Gets the user's country, substituted for <c>{country}</c>.</summary>
    public string? Country { get; init; }

    /// <summary>Gets the deposit amount, substituted for <c>{amount}</c> (see <see cref="PostbackSimulationOptions.CommaDecimals"/>).</summary>
    public decimal? Amount { get; init; }

    /// <summary>Gets the transaction id, substituted for <c>{transaction_id}</c>.</summary>
    public string? TransactionId { get; init; }

    /// <summary>
    /// Gets more macros and their values, written exactly as in the URL (braces included), e.g.
    /// <c>["{event_id}"] = "E-1"</c> or <c>["{deposit_sum}"] = "50.00"</c> for a set whose settings renamed 1Win's macros.
    /// An entry here wins over the built-in macros.
    /// </summary>
    public IDictionary<string, string?> Macros { get; } = new Dictionary<string, string?>(StringComparer.Ordinal);

    /// <inheritdoc />
    internal override string BuildUrl(PostbackUrls urls, PostbackRenderer renderer)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["{sub1}"] = null,
            ["{sub2}"] = null,
            ["{sub3}"] = null,
            ["{sub4}"] = null,
            ["{user_id}"] = UserId,
            ["{country}"] = Country,
            ["{amount}"] = renderer.FormatAmount(Amount),
            ["{transaction_id}"] = TransactionId,
        };
        values["{" + ClickIdSub + "}"] = ClickId;
        foreach (var (macro, value) in Macros)
        {
            values[macro] = value;
        }

        return renderer.RenderTemplate(SelectUrl(urls), values);
    }
}
