using Chatterfy.Postbacks.PostbackSets;

namespace Chatterfy.Postbacks.Testing;

/// <summary>
/// A postback as Binomo (binpartner) sends it: Binomo takes the URL pasted into its panel, which has no <c>?</c>, and
/// appends <c>?</c> and its own query: <c>click_id</c>, the event flag when it calls the bare URL, <c>amount</c> (USD),
/// <c>transaction_id</c>, <c>user_id</c>, <c>site_id</c> and <c>campaign_id</c>, leaving out the values it does not have.
/// </summary>
/// <remarks>
/// Binomo appends <c>?</c> even to a URL that already has a query, as its manual warns; the receiver then repairs the
/// second <c>?</c> with a <c>query_repaired</c> warning. Example, a first deposit on the bare URL:
/// <c>https://pb.example.com/api/postbacks/{token}?click_id=67wgwWkaR0&amp;ftd=true&amp;amount=50.00&amp;transaction_id=88123&amp;user_id=991</c>.
/// </remarks>
public sealed class BinomoPostback : SimulatedPostback
{
    /// <summary>Initializes a Binomo postback.</summary>
    /// <param name="simulatedEvent">The event Binomo reports.</param>
    /// <param name="clickId">The click id Binomo received in the affiliate link's <c>click_id</c>, or <see langword="null"/> to send none.</param>
    public BinomoPostback(SimulatedEvent simulatedEvent, string? clickId)
        : base(simulatedEvent)
    {
        ClickId = clickId;
    }

    /// <summary>Gets the click id, sent as <c>click_id</c>.</summary>
    public string? ClickId { get; }

    /// <summary>Gets the deposit amount in USD, sent as <c>amount</c> (see <see cref="PostbackSimulationOptions.CommaDecimals"/>).</summary>
    public decimal? Amount { get; init; }

    /// <summary>Gets Binomo's transaction id, sent as <c>transaction_id</c>.</summary>
    public string? TransactionId { get; init; }

    /// <summary>Gets Binomo's user id, sent as <c>user_id</c>.</summary>
    public string? UserId { get; init; }

    /// <summary>Gets the site id, sent as <c>site_id</c>.</summary>
    public string? SiteId { get; init; }

    /// <summary>Gets Binomo's campaign id, sent as <c>campaign_id</c>.</summary>
    public string? CampaignId { get; init; }

    /// <summary>
    /// Gets the name of the event flag sent with <see cref="PostbackTarget.BareUrl"/>, for a flag renamed in Binomo's
    /// panel. Default: <c>reg</c>, <c>ftd</c>, <c>dep</c>, or a custom event's name.
    /// </summary>
    public string? EventFlag { get; init; }

    /// <inheritdoc />
    internal override string BuildUrl(PostbackUrls urls, PostbackRenderer renderer)
    {
        var url = SelectUrl(urls);
        var query = new List<(string Name, string? Value)> { ("click_id", ClickId) };
        if (Target == PostbackTarget.BareUrl)
        {
            query.Add((EventFlag ?? DefaultFlag(Event), "true"));
        }

        query.Add(("amount", renderer.FormatAmount(Amount)));
        query.Add(("transaction_id", TransactionId));
        query.Add(("user_id", UserId));
        query.Add(("site_id", SiteId));
        query.Add(("campaign_id", CampaignId));
        return url + "?" + renderer.RenderParameters(query);
    }

    private static string DefaultFlag(SimulatedEvent simulatedEvent) =>
        simulatedEvent == SimulatedEvent.Registration ? "reg"
        : simulatedEvent == SimulatedEvent.FirstDeposit ? "ftd"
        : simulatedEvent == SimulatedEvent.Deposit ? "dep"
        : simulatedEvent.Name;
}
