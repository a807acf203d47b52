using Chatterfy.Postbacks.AspNetCore;
using Chatterfy.Postbacks.Campaigns;
using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Dashboard.Html;
using Chatterfy.Postbacks.Dashboard.Layout;
using Chatterfy.Postbacks.Networks;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Templates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Chatterfy.Postbacks.Dashboard.Pages.Links;

/// <summary>
/// The Links section: the affiliate-link builder (the link check's warnings and the link rendered for a sample click,
/// with the core calls <c>POST /api/tracker/links</c> makes) and the campaigns with their click-redirect URLs.
/// </summary>
internal static class LinkPages
{
    /// <summary>The example link template the form shows as a hint.</summary>
    public const string ExampleTemplate = "https://binomo.com/en/promo/a21?open=register&click_id={{tracker.clickid}}";

    /// <summary>Maps the section's routes.</summary>
    /// <param name="group">The dashboard's route group.</param>
    public static void Map(RouteGroupBuilder group) =>
        group.MapGet("/links", ShowAsync);

    private static async Task<IResult> ShowAsync(
        HttpContext context,
        string? template,
        string? setId,
        PostbackSetService sets,
        CampaignService campaigns,
        ClickService clicks,
        IAffiliateNetworkRegistry networks,
        IOptionsMonitor<ChatterfyPostbacksOptions> options,
        CancellationToken cancellationToken)
    {
        var page = DashboardPage.For(context);
        var allSets = await sets.ListAsync(cancellationToken).ConfigureAwait(false);
        var chosenSetId = string.IsNullOrWhiteSpace(setId) ? null : setId;
        var chosenSet = chosenSetId is null ? null : allSets.FirstOrDefault(s => s.Id == chosenSetId);
        var setError = chosenSetId is not null && chosenSet is null ? $"No postback set has the id '{chosenSetId}'." : null;

        var check = string.IsNullOrEmpty(template) || setError is not null
            ? Markup.Empty
            : Check(template, chosenSet is null ? null : TryGetProfile(networks, chosenSet), clicks, options.CurrentValue.UnknownMacros);
        var campaignList = await campaigns.ListAsync(cancellationToken).ConfigureAwait(false);

        var body = Markup.Of($"""
            <h1>Links</h1>
            <h2>Affiliate link builder</h2>
            <p>Paste the affiliate link with <code>{"{{tracker.clickid}}"}</code> where the network expects the click id: the check finds the usual mistakes, and the link is shown as a visitor's click would render it.</p>
            <form method="get" action="{page.Url("links")}" class="stack" id="link-form">
            <label for="link-template">Link template</label>
            <p class="hint" id="link-template-hint">For example <code>{ExampleTemplate}</code></p>
            <textarea id="link-template" name="template" aria-describedby="link-template-hint" required>{template}</textarea>
            <label for="link-set">Postback set (optional)</label>
            <p class="hint" id="link-set-hint">Its network adds its own checks, e.g. the parameter that must carry the click id.</p>
            {SetSelect(allSets, chosenSetId, setError)}
            <button type="submit">Check link</button>
            </form>
            {check}
            <h2>Campaigns</h2>
            {Campaigns(campaigns, campaignList, context.Request)}
            """);
        return page.Render("Links", NavSection.Links, body, setError is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }

    private static Markup SetSelect(IReadOnlyList<PostbackSet> sets, string? chosenSetId, string? error)
    {
        var options = sets.Select(s => Display.Option(s.Id, $"{s.Name} ({s.NetworkId})", s.Id == chosenSetId));
        return error is null
            ? Markup.Of($"""<select id="link-set" name="setId" aria-describedby="link-set-hint"><option value="">No set</option>{options}</select>""")
            : Markup.Of($"""
                <p class="error" role="alert" id="link-set-error">{error}</p>
                <select id="link-set" name="setId" aria-describedby="link-set-hint link-set-error" aria-invalid="true"><option value="">No set</option>{options}</select>
                """);
    }

    // The same core calls as POST /api/tracker/links, for a sample click minted in memory (never stored).
    private static Markup Check(string template, NetworkProfile? profile, ClickService clicks, UnknownMacroBehavior behavior)
    {
        var warnings = new List<LinkCheckWarning>(AffiliateLinkChecker.Check(template, profile));
        var click = clicks.Mint(new NewClick());
        string? rendered = null;
        try
        {
            var result = LinkTemplate.Parse(template, behavior).Render(TemplateValues.ForClick(click));
            rendered = result.Value;
            warnings.AddRange(result.UnknownMacros.Select(macro => AffiliateLinkChecker.UnknownMacro(macro, behavior)));
        }
        catch (UnknownMacroException ex)
        {
            warnings.Add(AffiliateLinkChecker.UnknownMacro(ex.MacroName ?? "", behavior));
        }

        var warningList = warnings.Count == 0
            ? Markup.Of($"""<p class="notice" role="status" id="link-ok">No problems found.</p>""")
            : Markup.Of($"""
                <ul class="link-warnings" id="link-warnings">
                {warnings.Select(w => Markup.Of($"""<li class="warning"><code>{w.Code}</code> {w.Message}</li>"""))}
                </ul>
                """);
        var sample = rendered is null
            ? Markup.Empty
            : Markup.Of($"""
                <h3>Rendered for a sample click</h3>
                <p class="hint">Click id <code>{click.Id}</code> is a sample made for this preview; it is not stored.</p>
                <div class="url-item">{Display.Copyable("sample-link", rendered, "sample link")}</div>
                """);
        return Markup.Of($"""
            <section aria-labelledby="link-check-title" id="link-check">
            <h3 id="link-check-title">Check</h3>
            {warningList}
            {sample}
            </section>
            """);
    }

    private static Markup Campaigns(CampaignService campaigns, IReadOnlyList<Campaign> list, HttpRequest request)
    {
        if (list.Count == 0)
        {
            return Markup.Of($"""
                <p id="no-campaigns">No campaign yet. Create one with the tracker API, e.g. <code>POST {ChatterfyPostbacksEndpointRouteBuilderExtensions.DefaultTrackerApiPrefix}/campaigns</code> with <code>{"{\"id\":\"spring\",\"destination\":\"https://t.me/your_bot?start={{tracker.clickid}}\"}"}</code>; its click-redirect URL then appears here.</p>
                """);
        }

        var rows = list.Select((campaign, index) => Markup.Of($"""
            <tr id="campaign-{campaign.Id}">
            <td><code>{campaign.Id}</code></td>
            <td>{campaign.Name}</td>
            <td>{Display.Copyable($"campaign-url-{index}", campaigns.GetClickRedirectUrl(campaign, request), $"click-redirect URL of {campaign.Id}")}</td>
            <td>{Display.Time(campaign.CreatedAt)}</td>
            </tr>
            """));
        return Markup.Of($"""
            <p class="hint">Put a campaign's click-redirect URL in the ad: each visit stores a click and goes on to the campaign's destination with its click id.</p>
            {Display.ScrollingTable("Campaigns", Markup.Of($"""
                <table>
                <thead><tr><th scope="col">Id</th><th scope="col">Name</th><th scope="col">Click-redirect URL</th><th scope="col">Created</th></tr></thead>
                <tbody>{rows}</tbody>
                </table>
                """))}
            """);
    }

    private static NetworkProfile? TryGetProfile(IAffiliateNetworkRegistry networks, PostbackSet set)
    {
        try
        {
            return networks.GetProfile(set);
        }
        catch (Exception ex) when (ex is InvalidNetworkSettingsException or InvalidOperationException)
        {
            // The set's network was unregistered or its stored settings no longer bind: check the generic mistakes only.
            return null;
        }
    }
}
