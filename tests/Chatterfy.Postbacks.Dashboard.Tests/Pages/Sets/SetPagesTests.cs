using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Chatterfy.Postbacks.Dashboard.Tests.Infrastructure;
using Chatterfy.Postbacks.PostbackSets;
using Microsoft.Extensions.DependencyInjection;

namespace Chatterfy.Postbacks.Dashboard.Tests.Pages.Sets;

/// <summary>The Postbacks section over real HTTP: the list, Create postback, a set's URLs, Edit, Enable/Disable, Delete.</summary>
public sealed class SetPagesTests
{
    private const string Root = DashboardHost.Prefix;

    [Fact]
    public async Task The_list_shows_each_set_with_its_name_as_text_and_its_network_campaign_and_status()
    {
        await using var host = await DashboardHost.StartAsync();
        var sets = host.Services.GetRequiredService<PostbackSetService>();
        await sets.CreateAsync(new NewPostbackSet { Name = "<img src=x onerror=alert(1)>", NetworkId = "binomo" });
        var scoped = await sets.CreateAsync(new NewPostbackSet { Name = "1Win main", NetworkId = "1win", CampaignId = "spring" });
        await sets.DisableAsync(scoped.Id);
        using var client = host.CreateClient(withApiKey: true);

        var response = await client.GetAsync($"{Root}/postbacks");
        var html = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        html.Should().Contain("&lt;img src=x onerror=alert(1)&gt;").And.NotContain("<img src=x");
        html.Should().Contain("<td>Binomo</td>").And.Contain("<td>all campaigns</td>").And.Contain("<td>1Win</td>").And.Contain("<td>spring</td>");
        html.Should().Contain("""<span class="badge enabled">enabled</span>""").And.Contain("""<span class="badge disabled">disabled</span>""");
        html.Should().Contain($"""href="{Root}/postbacks/{scoped.Id}">1Win main</a>""");
        html.Should().Contain($"""id="create-postback" href="{Root}/postbacks/new">Create postback</a>""");
    }

    [Fact]
    public async Task Creating_a_Binomo_set_without_a_campaign_stores_it_and_its_page_shows_the_URLs_the_tracker_API_returns()
    {
        await using var host = await DashboardHost.StartAsync();
        using var client = host.CreateClient(withApiKey: true);
        var form = await client.GetAsync($"{Root}/postbacks/new?network=binomo");
        (await form.Content.ReadAsStringAsync()).Should().Contain("<label for=\"campaignId\">Campaign</label>")
            .And.Contain("Leave it empty so that the postbacks are shared by all campaigns.")
            .And.Contain("<option value=\"binomo\" selected>Binomo</option>");

        var response = await PostAsync(client, form, $"{Root}/postbacks/new", new() { ["name"] = "Binomo main", ["network"] = "binomo", ["campaignId"] = "", ["settings"] = "" });

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var stored = (await host.Services.GetRequiredService<PostbackSetService>().ListAsync()).Should().ContainSingle().Subject;
        stored.Should().Match<PostbackSet>(s => s.Name == "Binomo main" && s.NetworkId == "binomo" && s.CampaignId == null && s.Enabled);
        response.Headers.Location!.ToString().Should().Be($"{Root}/postbacks/{stored.Id}?created=1");

        var page = await (await client.GetAsync(response.Headers.Location)).Content.ReadAsStringAsync();
        page.Should().Contain("Postback created. Copy the URLs into Binomo's panel.");
        using var api = JsonDocument.Parse(await client.GetStringAsync($"/api/tracker/postback-sets/{stored.Id}"));
        var urls = api.RootElement.GetProperty("urls");
        UrlOf(page, "url-registration").Should().Be(urls.GetProperty("registration").GetString());
        UrlOf(page, "url-first-deposit").Should().Be(urls.GetProperty("firstDeposit").GetString());
        UrlOf(page, "url-deposit").Should().Be(urls.GetProperty("deposit").GetString());
        UrlOf(page, "url-base").Should().Be(urls.GetProperty("base").GetString());
        page.Should().Contain("aria-label=\"Copy Registration URL\"").And.Contain("aria-label=\"Copy Bare URL\"").And.Contain("Goes into Binomo&#x27;s first deposit (FTD) postback field.");
    }

    [Fact]
    public async Task An_empty_name_answers_400_with_the_error_next_to_Name_and_stores_nothing()
    {
        await using var host = await DashboardHost.StartAsync();
        using var client = host.CreateClient(withApiKey: true);
        var form = await client.GetAsync($"{Root}/postbacks/new");

        var response = await PostAsync(client, form, $"{Root}/postbacks/new", new() { ["name"] = " ", ["network"] = "1win", ["settings"] = "{\"clickIdSub\":\"sub9\"}" });
        var html = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        html.Should().MatchRegex("<label for=\"name\">Name</label>\\s*<p class=\"error\" role=\"alert\" id=\"name-error\">A name is 1 to 200 characters")
            .And.Contain("aria-describedby=\"name-error\" aria-invalid=\"true\"");
        html.Should().Contain("id=\"settings-error\">clickIdSub: &#x27;sub9&#x27; is not a 1Win sub parameter", "the settings' error is next to the settings")
            .And.Contain("<option value=\"1win\" selected>1Win</option>", "the form keeps the chosen network");
        (await host.Services.GetRequiredService<PostbackSetService>().ListAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Editing_a_1Win_set_moves_its_click_id_from_sub1_to_sub4_and_keeps_its_token()
    {
        await using var host = await DashboardHost.StartAsync();
        var sets = host.Services.GetRequiredService<PostbackSetService>();
        var set = await sets.CreateAsync(new NewPostbackSet { Name = "1Win", NetworkId = "1win" });
        using var client = host.CreateClient(withApiKey: true);
        (await client.GetStringAsync($"{Root}/postbacks/{set.Id}")).Should().Contain("clickid={sub1}");
        var form = await client.GetAsync($"{Root}/postbacks/{set.Id}/edit");
        (await form.Content.ReadAsStringAsync()).Should().Contain("<dd id=\"set-network\">1Win</dd>").And.Contain("<dd id=\"set-campaign\">all campaigns</dd>");

        var response = await PostAsync(client, form, $"{Root}/postbacks/{set.Id}/edit", new() { ["name"] = "1Win sub4", ["settings"] = "{\"clickIdSub\":\"sub4\"}" });

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().Should().Be($"{Root}/postbacks/{set.Id}?updated=1");
        var stored = await sets.GetAsync(set.Id);
        stored!.Name.Should().Be("1Win sub4");
        stored.Token.Should().Be(set.Token);
        stored.Settings!.Value.GetProperty("clickIdSub").GetString().Should().Be("sub4");
        var page = await client.GetStringAsync(response.Headers.Location);
        UrlOf(page, "url-registration").Should().Contain("clickid={sub4}").And.NotContain("{sub1}");
        (await client.GetStringAsync($"{Root}/postbacks/{set.Id}/edit")).Should().Contain("&quot;clickIdSub&quot;: &quot;sub4&quot;", "the edit form shows the current settings");
    }

    [Fact]
    public async Task Disable_makes_the_URLs_answer_404_and_Enable_brings_them_back()
    {
        await using var host = await DashboardHost.StartAsync();
        var set = await host.Services.GetRequiredService<PostbackSetService>().CreateAsync(new NewPostbackSet { Name = "Binomo", NetworkId = "binomo" });
        using var client = host.CreateClient(withApiKey: true);
        var page = await client.GetAsync($"{Root}/postbacks/{set.Id}");
        var registration = UrlOf(await page.Content.ReadAsStringAsync(), "url-registration") + "?click_id=c1";
        (await client.GetAsync(registration)).StatusCode.Should().NotBe(HttpStatusCode.NotFound);

        var disabled = await PostAsync(client, page, $"{Root}/postbacks/{set.Id}/disable", []);

        disabled.Headers.Location!.ToString().Should().Be($"{Root}/postbacks/{set.Id}?disabled=1");
        var disabledPage = await client.GetStringAsync(disabled.Headers.Location);
        disabledPage.Should().Contain("""<span class="badge disabled">disabled</span>""").And.Contain("id=\"enable-postback\">Enable</button>");
        (await client.GetAsync(registration)).StatusCode.Should().Be(HttpStatusCode.NotFound);

        var enabled = await PostAsync(client, page, $"{Root}/postbacks/{set.Id}/enable", []);

        enabled.Headers.Location!.ToString().Should().Be($"{Root}/postbacks/{set.Id}?enabled=1");
        (await client.GetStringAsync(enabled.Headers.Location)).Should().Contain("""<span class="badge enabled">enabled</span>""");
        (await client.GetAsync(registration)).StatusCode.Should().NotBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Delete_asks_first_then_deletes_and_the_URLs_answer_404_at_the_receiver()
    {
        await using var host = await DashboardHost.StartAsync();
        var sets = host.Services.GetRequiredService<PostbackSetService>();
        var set = await sets.CreateAsync(new NewPostbackSet { Name = "Old <b>set</b>", NetworkId = "binomo" });
        using var client = host.CreateClient(withApiKey: true);
        var registration = UrlOf(await client.GetStringAsync($"{Root}/postbacks/{set.Id}"), "url-registration") + "?click_id=c1";
        (await client.GetAsync(registration)).StatusCode.Should().NotBe(HttpStatusCode.NotFound);

        var confirm = await client.GetAsync($"{Root}/postbacks/{set.Id}/delete");
        (await confirm.Content.ReadAsStringAsync()).Should().Contain("Delete Old &lt;b&gt;set&lt;/b&gt;? Its URLs will answer 404 at once; networks that still call them get 404.");
        (await sets.GetAsync(set.Id)).Should().NotBeNull("asking deletes nothing");

        var response = await PostAsync(client, confirm, $"{Root}/postbacks/{set.Id}/delete", []);

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().Should().Be($"{Root}/postbacks?deleted=Old%20%3Cb%3Eset%3C%2Fb%3E");
        (await client.GetStringAsync(response.Headers.Location)).Should().Contain("Postback “Old &lt;b&gt;set&lt;/b&gt;” deleted.");
        (await sets.GetAsync(set.Id)).Should().BeNull();
        (await client.GetAsync(registration)).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_post_without_its_antiforgery_token_answers_400_and_changes_nothing()
    {
        await using var host = await DashboardHost.StartAsync();
        var sets = host.Services.GetRequiredService<PostbackSetService>();
        var set = await sets.CreateAsync(new NewPostbackSet { Name = "Keep me", NetworkId = "binomo" });
        using var client = host.CreateClient(withApiKey: true);

        var create = await client.PostAsync($"{Root}/postbacks/new", new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = "New", ["network"] = "binomo" }));
        var edit = await client.PostAsync($"{Root}/postbacks/{set.Id}/edit", new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = "Changed" }));
        var disable = await client.PostAsync($"{Root}/postbacks/{set.Id}/disable", new FormUrlEncodedContent([]));
        var delete = await client.PostAsync($"{Root}/postbacks/{set.Id}/delete", new FormUrlEncodedContent([]));

        new[] { create, edit, disable, delete }.Select(r => r.StatusCode).Should().AllBeEquivalentTo(HttpStatusCode.BadRequest);
        (await sets.ListAsync()).Should().ContainSingle().Which.Should().BeEquivalentTo(set);
    }

    [Fact]
    public async Task An_unknown_set_answers_a_404_page()
    {
        await using var host = await DashboardHost.StartAsync();
        using var client = host.CreateClient(withApiKey: true);

        var show = await client.GetAsync($"{Root}/postbacks/no-such-set");
        var edit = await client.GetAsync($"{Root}/postbacks/no-such-set/edit");
        var delete = await client.GetAsync($"{Root}/postbacks/no-such-set/delete");

        new[] { show, edit, delete }.Select(r => r.StatusCode).Should().AllBeEquivalentTo(HttpStatusCode.NotFound);
        (await show.Content.ReadAsStringAsync()).Should().Contain("<h1>Postback not found</h1>");
    }

    [Fact]
    public async Task Choosing_another_network_re_renders_the_form_with_its_settings_and_keeps_the_name()
    {
        await using var host = await DashboardHost.StartAsync();
        using var client = host.CreateClient(withApiKey: true);

        var html = await client.GetStringAsync($"{Root}/postbacks/new?network=1win&name=My%20%3Cset%3E");

        html.Should().Contain("<option value=\"1win\" selected>1Win</option>")
            .And.Contain("<legend>1Win settings</legend>")
            .And.Contain("<input type=\"hidden\" name=\"network\" value=\"1win\">")
            .And.Contain("value=\"My &lt;set&gt;\"")
            .And.Contain("<form id=\"network-form\" method=\"get\"")
            .And.Contain("form=\"network-form\" data-submit-on-change")
            .And.Contain("id=\"show-settings\">Show settings</button>");
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, HttpResponseMessage formPage, string path, Dictionary<string, string> fields)
    {
        var (field, token, cookie) = await DashboardHost.AntiforgeryOfAsync(formPage);
        fields[field] = token;
        using var post = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields) };
        post.Headers.Add("Cookie", cookie);
        return await client.SendAsync(post);
    }

    private static string UrlOf(string html, string id)
    {
        var match = Regex.Match(html, $"<code class=\"url\" id=\"{id}\">(?<url>[^<]*)</code>");
        match.Success.Should().BeTrue($"the page shows {id}");
        return WebUtility.HtmlDecode(match.Groups["url"].Value);
    }
}
