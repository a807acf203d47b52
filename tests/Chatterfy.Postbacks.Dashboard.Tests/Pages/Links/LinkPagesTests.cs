using System.Net;
using Chatterfy.Postbacks.Campaigns;
using Chatterfy.Postbacks.Dashboard.Tests.Infrastructure;
using Chatterfy.Postbacks.PostbackSets;
using Microsoft.Extensions.DependencyInjection;

namespace Chatterfy.Postbacks.Dashboard.Tests.Pages.Links;

/// <summary>The Links page over real HTTP: the link builder and the campaigns.</summary>
public sealed class LinkPagesTests
{
    [Fact]
    public async Task A_link_without_the_click_macro_for_a_Binomo_set_shows_the_networks_warning()
    {
        await using var host = await DashboardHost.StartAsync();
        var set = await host.Services.GetRequiredService<PostbackSetService>().CreateAsync(new NewPostbackSet { Name = "Binomo", NetworkId = "binomo" });
        using var client = host.CreateClient(withApiKey: true);

        var html = await GetAsync(client, $"links?template={Uri.EscapeDataString("https://binomo.com/en/promo/a21?open=register")}&setId={set.Id}");

        html.Should().Contain("<code>click_id_macro_missing</code> The network expects the click id in the click_id parameter");
    }

    [Fact]
    public async Task A_link_copied_from_HTML_shows_the_html_escaped_warning_and_the_link_as_text()
    {
        await using var host = await DashboardHost.StartAsync();
        using var client = host.CreateClient(withApiKey: true);

        var html = await GetAsync(client, $"links?template={Uri.EscapeDataString("https://x.example/?a=1&amp;c={{tracker.clickid}}")}");

        html.Should().Contain("<code>html_escaped</code>");
        html.Should().Contain("https://x.example/?a=1&amp;amp;c=", "the pasted text is HTML-encoded in the text area");
    }

    [Fact]
    public async Task A_correct_link_is_rendered_for_a_sample_click_that_is_not_stored()
    {
        await using var host = await DashboardHost.StartAsync();
        using var client = host.CreateClient(withApiKey: true);

        var html = await GetAsync(client, $"links?template={Uri.EscapeDataString(Dashboard.Pages.Links.LinkPages.ExampleTemplate + "&g={{fields.country}}")}");

        var sample = System.Text.RegularExpressions.Regex.Match(html, "<code class=\"url\" id=\"sample-link\">https://binomo.com/en/promo/a21\\?open=register&amp;click_id=(?<id>[A-Za-z0-9]+)&amp;g=\\{\\{fields.country\\}\\}</code>");
        sample.Success.Should().BeTrue(html);
        html.Should().Contain("<code>unknown_macro</code> The macro {{fields.country}} has no value; it was left in the link as written.");
        (await host.Services.GetRequiredService<Chatterfy.Postbacks.Clicks.ClickService>().FindAsync(sample.Groups["id"].Value)).Should().BeNull("the sample click is not stored");
    }

    [Fact]
    public async Task Each_campaign_is_listed_with_its_click_redirect_url_to_copy()
    {
        await using var host = await DashboardHost.StartAsync();
        using var client = host.CreateClient(withApiKey: true);
        (await GetAsync(client, "links")).Should().Contain("No campaign yet. Create one with the tracker API");
        await host.Services.GetRequiredService<CampaignService>().CreateAsync(new NewCampaign { Id = "spring", Name = "<b>Spring</b>", DestinationTemplate = "https://t.me/spring_bot?start={{tracker.clickid}}" });

        var html = await GetAsync(client, "links");

        html.Should().Contain($"<code class=\"url\" id=\"campaign-url-0\">{host.BaseAddress.ToString().TrimEnd('/')}/api/go/spring</code>");
        html.Should().Contain("aria-label=\"Copy click-redirect URL of spring\"").And.Contain("&lt;b&gt;Spring&lt;/b&gt;");
    }

    private static async Task<string> GetAsync(HttpClient client, string relative)
    {
        var response = await client.GetAsync($"{DashboardHost.Prefix}/{relative}");
        var html = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, html);
        return html;
    }
}
