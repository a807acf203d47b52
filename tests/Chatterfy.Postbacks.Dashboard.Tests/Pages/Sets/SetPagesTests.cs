using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Chatterfy.Postbacks.Dashboard.Tests.Infrastructure;
using Chatterfy.Postbacks.Networks;
using Chatterfy.Postbacks.PostbackSets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

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

        var response = await PostAsync(client, form, $"{Root}/postbacks/new", new() { ["name"] = "Binomo main", ["network"] = "binomo", ["campaignId"] = "" });

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
    public async Task An_empty_name_answers_400_with_the_error_next_to_Name_and_shows_the_posted_settings_again()
    {
        await using var host = await DashboardHost.StartAsync();
        using var client = host.CreateClient(withApiKey: true);
        var form = await client.GetAsync($"{Root}/postbacks/new");

        var response = await PostAsync(client, form, $"{Root}/postbacks/new", new()
        {
            ["name"] = " ",
            ["network"] = "1win",
            ["settings.clickIdSub"] = "sub2",
            ["settings.macros"] = "{\"amount\": \"{sum}\"}",
        });
        var html = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        html.Should().MatchRegex("<label for=\"name\">Name</label>\\s*<p class=\"error\" role=\"alert\" id=\"name-error\">A name is 1 to 200 characters")
            .And.Contain("aria-describedby=\"name-error\" aria-invalid=\"true\"");
        html.Should().Contain("<option value=\"1win\" selected>1Win</option>", "the form keeps the chosen network")
            .And.Contain("id=\"settings-clickIdSub\" name=\"settings.clickIdSub\" value=\"sub2\"", "the posted settings are shown again")
            .And.Contain("name=\"settings.macros\" rows=\"8\" aria-describedby=\"settings-macros-hint\">{&quot;amount&quot;: &quot;{sum}&quot;}</textarea>");
        (await host.Services.GetRequiredService<PostbackSetService>().ListAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task An_invalid_1Win_sub_is_shown_next_to_its_field_and_stores_nothing()
    {
        await using var host = await DashboardHost.StartAsync();
        using var client = host.CreateClient(withApiKey: true);
        var form = await client.GetAsync($"{Root}/postbacks/new?network=1win");

        var response = await PostAsync(client, form, $"{Root}/postbacks/new", new() { ["name"] = "1Win", ["network"] = "1win", ["settings.clickIdSub"] = "sub9" });
        var html = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        html.Should().MatchRegex(
            "<label for=\"settings-clickIdSub\">Click id sub</label>\\s*<p class=\"hint\" id=\"settings-clickIdSub-hint\">[^<]*</p>\\s*"
            + "<input type=\"text\" id=\"settings-clickIdSub\" name=\"settings.clickIdSub\" value=\"sub9\"[^>]*aria-describedby=\"settings-clickIdSub-hint settings-clickIdSub-error\" aria-invalid=\"true\">\\s*"
            + "<p class=\"error\" id=\"settings-clickIdSub-error\">&#x27;sub9&#x27; is not a 1Win sub parameter: use sub1, sub2, sub3 or sub4.</p>",
            "the core's error is next to the Click id sub field, which shows the posted value");
        html.Should().Contain("id=\"form-errors\"");
        (await host.Services.GetRequiredService<PostbackSetService>().ListAsync()).Should().BeEmpty();
    }

    [Theory]
    [InlineData("binomo", new[] { "settings-eventFlags\">Event flags (one key=value per line)</label>" })]
    [InlineData("1win", new[] { "settings-clickIdSub\">Click id sub</label>", "settings-macros\">Macros</label>" })]
    [InlineData("custom", new[] { "settings-clickIdMacro\">Click id macro</label>", "settings-amountMacro\">Amount macro</label>", "settings-currency\">Currency</label>", "settings-fields\">Extra fields (one key=value per line)</label>" })]
    public async Task Create_postback_shows_the_chosen_networks_settings_fields(string network, string[] labels)
    {
        await using var host = await DashboardHost.StartAsync();
        using var client = host.CreateClient(withApiKey: true);

        var html = await client.GetStringAsync($"{Root}/postbacks/new?network={network}");

        foreach (var label in labels)
        {
            html.Should().Contain("<label for=\"" + label);
        }

        html.Should().NotContain("Settings (JSON)", "a network with a settings schema gets its form, not a JSON area");
        Regex.Matches(html, "<label for=\"[^\"]+\">[^<]*name[^<]*</label>", RegexOptions.IgnoreCase).Select(m => m.Value).Should()
            .Equal(["<label for=\"name\">Name</label>"], "a browser finds the Name field by its label alone");
    }

    [Fact]
    public async Task Binomo_event_flags_are_one_name_per_line_and_round_trip_through_create_and_edit()
    {
        await using var host = await DashboardHost.StartAsync();
        var sets = host.Services.GetRequiredService<PostbackSetService>();
        using var client = host.CreateClient(withApiKey: true);
        var form = await client.GetAsync($"{Root}/postbacks/new?network=binomo");

        var created = await PostAsync(client, form, $"{Root}/postbacks/new", new() { ["name"] = "Binomo", ["network"] = "binomo", ["settings.eventFlags"] = "signup=registration\r\nfirst = first-deposit\r\n" });

        created.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var set = (await sets.ListAsync()).Should().ContainSingle().Subject;
        set.Settings!.Value.GetProperty("eventFlags").GetRawText().Should().Be("""{"signup":"registration","first":"first-deposit"}""");
        var edit = await client.GetAsync($"{Root}/postbacks/{set.Id}/edit");
        var editHtml = await edit.Content.ReadAsStringAsync();
        editHtml.Should().Contain("name=\"settings.eventFlags\" rows=\"4\" aria-describedby=\"settings-eventFlags-hint\">signup=registration&#xA;first=first-deposit</textarea>", "Edit shows the current flags");

        var saved = await PostAsync(client, edit, $"{Root}/postbacks/{set.Id}/edit", new() { ["name"] = "Binomo", ["settings.eventFlags"] = "signup=registration\nfirst=first-deposit" });

        saved.StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await sets.GetAsync(set.Id))!.Settings!.Value.GetProperty("eventFlags").GetRawText().Should().Be("""{"signup":"registration","first":"first-deposit"}""", "saving the shown values changes nothing");
    }

    [Fact]
    public async Task A_plug_in_network_without_a_settings_schema_gets_a_JSON_area_on_create_and_edit()
    {
        await using var host = await DashboardHost.StartAsync(configure: services => services.TryAddEnumerable(ServiceDescriptor.Singleton<AffiliateNetwork, SchemalessNetwork>()));
        var sets = host.Services.GetRequiredService<PostbackSetService>();
        using var client = host.CreateClient(withApiKey: true);
        var form = await client.GetAsync($"{Root}/postbacks/new?network={SchemalessNetwork.NetworkId}");
        (await form.Content.ReadAsStringAsync()).Should().Contain("<label for=\"settings-json\">Settings (JSON)</label>")
            .And.Contain("<textarea id=\"settings-json\" name=\"settings\"");

        var refused = await PostAsync(client, form, $"{Root}/postbacks/new", new() { ["name"] = "Plug-in", ["network"] = SchemalessNetwork.NetworkId, ["settings"] = "{\"channel\": 5}" });

        refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await refused.Content.ReadAsStringAsync()).Should().Contain("<p class=\"error\" id=\"settings-json-error\">channel: The channel is a text.</p>")
            .And.Contain("{&quot;channel&quot;: 5}</textarea>", "the posted text is shown again");
        (await sets.ListAsync()).Should().BeEmpty();

        var created = await PostAsync(client, form, $"{Root}/postbacks/new", new() { ["name"] = "Plug-in", ["network"] = SchemalessNetwork.NetworkId, ["settings"] = "{\"channel\": \"tg\"}" });

        created.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var set = (await sets.ListAsync()).Should().ContainSingle().Subject;
        set.Settings!.Value.GetProperty("channel").GetString().Should().Be("tg");
        (await client.GetStringAsync($"{Root}/postbacks/{set.Id}/edit")).Should().Contain("&quot;channel&quot;: &quot;tg&quot;", "Edit shows the stored settings in the JSON area");
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
        (await form.Content.ReadAsStringAsync()).Should().Contain("<dd id=\"set-network\">1Win</dd>").And.Contain("<dd id=\"set-campaign\">all campaigns</dd>")
            .And.Contain("<label for=\"settings-clickIdSub\">Click id sub</label>");

        var response = await PostAsync(client, form, $"{Root}/postbacks/{set.Id}/edit", new() { ["name"] = "1Win sub4", ["settings.clickIdSub"] = "sub4" });

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().Should().Be($"{Root}/postbacks/{set.Id}?updated=1");
        var stored = await sets.GetAsync(set.Id);
        stored!.Name.Should().Be("1Win sub4");
        stored.Token.Should().Be(set.Token);
        stored.Settings!.Value.GetProperty("clickIdSub").GetString().Should().Be("sub4");
        var page = await client.GetStringAsync(response.Headers.Location);
        UrlOf(page, "url-registration").Should().Contain("clickid={sub4}").And.NotContain("{sub1}");
        (await client.GetStringAsync($"{Root}/postbacks/{set.Id}/edit")).Should().Contain("<input type=\"text\" id=\"settings-clickIdSub\" name=\"settings.clickIdSub\" value=\"sub4\"", "the edit form shows the current settings");
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

    /// <summary>A plug-in network without a settings schema: its settings are a JSON object with an optional text <c>channel</c>.</summary>
    private sealed class SchemalessNetwork : AffiliateNetwork
    {
        public const string NetworkId = "schemaless";

        public override string Id => NetworkId;

        public override string DisplayName => "Schemaless";

        public override NetworkProfile CreateProfile(JsonElement? settings)
        {
            if (settings is { ValueKind: JsonValueKind.Object } given && given.TryGetProperty("channel", out var channel) && channel.ValueKind != JsonValueKind.String)
            {
                throw new InvalidNetworkSettingsException(NetworkId, [new NetworkSettingsError("settings.channel", "The channel is a text.")]);
            }

            return new Profile();
        }

        private sealed class Profile : NetworkProfile
        {
            public override string GetPostbackQuery(PostbackUrlKind kind) => "?click_id={clickid}";
        }
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
