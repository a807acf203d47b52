using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Dashboard.Tests.Infrastructure;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Chatterfy.Postbacks.Dashboard.Tests.Pages.Log;

/// <summary>The Log page over real HTTP: the list, its filters and paging, the detail, and Replay.</summary>
public sealed partial class LogPagesTests
{
    [Fact]
    public async Task The_log_lists_entries_newest_first_with_values_encoded()
    {
        await using var host = await DashboardHost.StartAsync();
        var set = await CreateSetAsync(host, "<img src=x onerror=alert(1)>", "binomo");
        using var client = host.CreateClient(withApiKey: true);
        await FireAsync(client, host, set, "registration", "click_id=first");
        await FireAsync(client, host, set, "registration", "click_id=second");

        var html = await GetAsync(client, "log");

        html.Should().Contain("&lt;img src=x onerror=alert(1)&gt;").And.NotContain("<img src=x");
        html.IndexOf("<code>second</code>", StringComparison.Ordinal).Should().BeLessThan(html.IndexOf("<code>first</code>", StringComparison.Ordinal));
        html.Should().Contain("<span class=\"badge unattributed\">unattributed</span>").And.Contain("<code>click_unknown</code>");
    }

    [Fact]
    public async Task The_set_and_outcome_filters_narrow_the_list()
    {
        await using var host = await DashboardHost.StartAsync();
        var binomo = await CreateSetAsync(host, "Binomo", "binomo");
        var other = await CreateSetAsync(host, "Other", "binomo");
        using var client = host.CreateClient(withApiKey: true);
        await FireAsync(client, host, binomo, "registration", "click_id=in-binomo");
        await FireAsync(client, host, other, "registration", "click_id=in-other");
        await FireAsync(client, host, other, "registration", "click_id={click_id}");

        var bySet = await GetAsync(client, $"log?setId={binomo.Id}");
        bySet.Should().Contain("<code>in-binomo</code>").And.NotContain("<code>in-other</code>");

        var byOutcome = await GetAsync(client, "log?outcome=rejected");
        byOutcome.Should().Contain("<span class=\"badge rejected\">rejected</span>").And.NotContain("<code>in-binomo</code>").And.NotContain("<code>in-other</code>");
    }

    [Fact]
    public async Task The_code_filter_narrows_the_list_to_entries_rejected_with_that_code()
    {
        await using var host = await DashboardHost.StartAsync();
        var oneWin = await CreateSetAsync(host, "1Win", "1win", """{"clickIdSub":"sub1"}""");
        var binomo = await CreateSetAsync(host, "Binomo", "binomo");
        using var client = host.CreateClient(withApiKey: true);
        await FireAsync(client, host, oneWin, "registration", "sub1={sub1}&sub4=unsubstituted");
        await FireAsync(client, host, binomo, "registration", "click_id=accepted-one");
        var basePath = new Uri(host.Services.GetRequiredService<PostbackSetService>().GetUrls(binomo, host.BaseAddress.ToString()).Base).AbsolutePath;
        await client.GetAsync($"{basePath}?click_id=unknown-event&renamed_flag=true");

        var html = await GetAsync(client, "log?code=macro_not_substituted");

        html.Should().Contain("<option value=\"macro_not_substituted\" selected>macro_not_substituted</option>");
        html.Should().Contain("<td><code>macro_not_substituted</code></td>")
            .And.NotContain("<td><code>event_unknown</code></td>", "an entry rejected with another code is not listed")
            .And.NotContain("<code>accepted-one</code>", "an entry without that code is not listed");
        (await GetAsync(client, "log")).Should().Contain("<td><code>event_unknown</code></td>", "unfiltered, the other entries are there");
    }

    [Fact]
    public async Task The_time_filters_narrow_the_list_to_the_half_open_range_in_UTC()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero));
        await using var host = await DashboardHost.StartAsync(configure: s => s.AddSingleton<TimeProvider>(clock));
        var set = await CreateSetAsync(host, "Binomo", "binomo");
        using var client = host.CreateClient(withApiKey: true);
        await FireAsync(client, host, set, "registration", "click_id=at-nine");
        clock.SetUtcNow(new DateTimeOffset(2026, 11, 27, 11, 0, 0, TimeSpan.Zero));
        await FireAsync(client, host, set, "registration", "click_id=at-eleven");
        clock.SetUtcNow(new DateTimeOffset(2026, 11, 27, 13, 0, 0, TimeSpan.Zero));
        await FireAsync(client, host, set, "registration", "click_id=at-one");

        var from = await GetAsync(client, "log?from=2026-11-27T10:00");
        var to = await GetAsync(client, "log?to=2026-11-27T12:00");
        var between = await GetAsync(client, "log?from=2026-11-27T10:00&to=2026-11-27T13:00");

        from.Should().Contain("<code>at-eleven</code>").And.Contain("<code>at-one</code>").And.NotContain("<code>at-nine</code>");
        from.Should().Contain("id=\"log-from\" name=\"from\" value=\"2026-11-27T10:00\"", "the filter is shown as given");
        to.Should().Contain("<code>at-nine</code>").And.Contain("<code>at-eleven</code>").And.NotContain("<code>at-one</code>");
        between.Should().Contain("<code>at-eleven</code>").And.NotContain("<code>at-nine</code>").And.NotContain("<code>at-one</code>", "the end is exclusive");
    }

    [Fact]
    public async Task A_reversed_time_range_answers_400_with_the_error_next_to_To()
    {
        await using var host = await DashboardHost.StartAsync();
        var set = await CreateSetAsync(host, "Binomo", "binomo");
        using var client = host.CreateClient(withApiKey: true);
        await FireAsync(client, host, set, "registration", "click_id=listed");

        var response = await client.GetAsync($"{DashboardHost.Prefix}/log?from=2026-11-27T12:00&to=2026-11-27T10:00");
        var html = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        html.Should().Contain("<label for=\"log-to\">To (UTC)</label><input type=\"datetime-local\" id=\"log-to\" name=\"to\" value=\"2026-11-27T10:00\" aria-invalid=\"true\" aria-describedby=\"log-to-error\">"
            + "<span class=\"error\" role=\"alert\" id=\"log-to-error\">&#x27;To&#x27; must not be before &#x27;From&#x27;.</span>");
        html.Should().NotContain("<code>listed</code>", "no entries are listed for a range that is not one");
    }

    [Fact]
    public async Task The_older_link_keeps_the_filters_and_lists_the_next_page()
    {
        await using var host = await DashboardHost.StartAsync();
        var set = await CreateSetAsync(host, "Binomo", "binomo");
        using var client = host.CreateClient(withApiKey: true);
        for (var i = 0; i < 51; i++)
        {
            await FireAsync(client, host, set, "registration", $"click_id=c{i}");
        }

        var first = await GetAsync(client, $"log?setId={set.Id}&outcome=unattributed");
        var older = OlderLink().Match(first);

        older.Success.Should().BeTrue();
        var href = WebUtility.HtmlDecode(older.Groups["href"].Value);
        href.Should().StartWith($"{DashboardHost.Prefix}/log?setId={set.Id}&outcome=unattributed&before=");
        first.Should().Contain("<code>c50</code>").And.NotContain("<code>c0</code>");
        var second = await GetAsync(client, href[(DashboardHost.Prefix.Length + 1)..]);
        second.Should().Contain("<code>c0</code>").And.NotContain("<code>c50</code>").And.NotContain("id=\"log-older\"");
    }

    [Fact]
    public async Task An_entry_expands_to_the_request_as_received_and_its_rejection()
    {
        await using var host = await DashboardHost.StartAsync();
        var set = await CreateSetAsync(host, "1Win", "1win", """{"clickIdSub":"sub1"}""");
        using var client = host.CreateClient(withApiKey: true);
        await FireAsync(client, host, set, "registration", "clickid={sub1}&sub4=abc");

        var html = await GetAsync(client, "log?outcome=rejected");

        html.Should().Contain("<summary>Request and detail</summary>");
        html.Should().Contain("<dt>Method</dt><dd>GET</dd>");
        html.Should().MatchRegex("<dt>Path and query</dt><dd><code>/api/postbacks/[^<]+/registration\\?clickid=%7Bsub1%7D&amp;sub4=abc</code></dd>");
        html.Should().Contain("<h3>Rejection</h3>").And.Contain("<p><code>macro_not_substituted</code> ");
    }

    [Fact]
    public async Task An_unattributed_entry_for_an_unknown_click_says_it_is_credited_when_the_click_is_created()
    {
        await using var host = await DashboardHost.StartAsync();
        var set = await CreateSetAsync(host, "Binomo", "binomo");
        using var client = host.CreateClient(withApiKey: true);
        await FireAsync(client, host, set, "registration", "click_id=later1");

        var html = await GetAsync(client, "log");

        html.Should().Contain("<h3>Why unattributed</h3>")
            .And.Contain("The click id <code>later1</code> was not known to the tracker: the conversion is credited when click <code>later1</code> is created.");
    }

    [Fact]
    public async Task Replaying_a_rejected_entry_after_fixing_the_set_shows_it_accepted()
    {
        await using var host = await DashboardHost.StartAsync();
        var sets = host.Services.GetRequiredService<PostbackSetService>();
        var set = await CreateSetAsync(host, "Binomo", "binomo");
        var click = await host.Services.GetRequiredService<ClickService>().CreateAsync(new NewClick());
        using var client = host.CreateClient(withApiKey: true);

        // The marketer renamed Binomo's FTD flag in the panel but not in the set's settings (as the API's replay test).
        await client.GetAsync($"{new Uri(sets.GetUrls(set, host.BaseAddress.ToString()).Base).PathAndQuery}?click_id={click.Id}&deposit_first=true&amount=30&transaction_id=77");
        var rejected = (await host.Services.GetRequiredService<PostbackLogService>().ListAsync(new PostbackLogQuery())).Single();
        rejected.Code.Should().Be("event_unknown");
        await sets.UpdateAsync(set.Id, new PostbackSetChanges { Settings = JsonDocument.Parse("""{"eventFlags":{"deposit_first":"first-deposit"}}""").RootElement });

        var page = await client.GetAsync($"{DashboardHost.Prefix}/log?outcome=rejected");
        (await page.Content.ReadAsStringAsync()).Should().Contain($"<tr id=\"log-{rejected.Id}\">");
        var response = await PostReplayAsync(client, page, rejected.Id, ("outcome", "rejected"));

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var location = response.Headers.Location!.ToString();
        location.Should().StartWith($"{DashboardHost.Prefix}/log?outcome=rejected&replayed=");
        var html = await GetAsync(client, location[(DashboardHost.Prefix.Length + 1)..]);
        html.Should().MatchRegex("<p class=\"notice\" role=\"status\" id=\"replay-notice\">Replayed: <span class=\"badge accepted\">accepted</span>, conversion <code>[^<]+</code>");
    }

    [Fact]
    public async Task A_replay_post_without_its_antiforgery_token_is_refused_and_logs_nothing()
    {
        await using var host = await DashboardHost.StartAsync();
        var set = await CreateSetAsync(host, "1Win", "1win", """{"clickIdSub":"sub1"}""");
        using var client = host.CreateClient(withApiKey: true);
        await FireAsync(client, host, set, "registration", "sub1={sub1}");
        var log = host.Services.GetRequiredService<PostbackLogService>();
        var rejected = (await log.ListAsync(new PostbackLogQuery())).Single();

        var response = await client.PostAsync($"{DashboardHost.Prefix}/log/{rejected.Id}/replay", new FormUrlEncodedContent(new Dictionary<string, string>()));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await log.ListAsync(new PostbackLogQuery())).Should().ContainSingle();
    }

    private static async Task<PostbackSet> CreateSetAsync(DashboardHost host, string name, string network, string? settings = null) =>
        await host.Services.GetRequiredService<PostbackSetService>().CreateAsync(new NewPostbackSet
        {
            Name = name,
            NetworkId = network,
            Settings = settings is null ? null : JsonDocument.Parse(settings).RootElement,
        });

    // Fires a postback at the set's receiver URL for the event, with the query as the network sends it.
    private static async Task FireAsync(HttpClient client, DashboardHost host, PostbackSet set, string eventSegment, string query)
    {
        var urls = host.Services.GetRequiredService<PostbackSetService>().GetUrls(set, host.BaseAddress.ToString());
        var path = new Uri(urls.Base).AbsolutePath.TrimEnd('/');
        await client.GetAsync($"{path}/{eventSegment}?{query}");
    }

    private static async Task<HttpResponseMessage> PostReplayAsync(HttpClient client, HttpResponseMessage page, string entryId, params (string Name, string Value)[] fields)
    {
        var (field, token, cookie) = await DashboardHost.AntiforgeryOfAsync(page);
        var form = fields.ToDictionary(f => f.Name, f => f.Value);
        form[field] = token;
        using var post = new HttpRequestMessage(HttpMethod.Post, $"{DashboardHost.Prefix}/log/{entryId}/replay") { Content = new FormUrlEncodedContent(form) };
        post.Headers.Add("Cookie", cookie);
        return await client.SendAsync(post);
    }

    private static async Task<string> GetAsync(HttpClient client, string relative)
    {
        var response = await client.GetAsync($"{DashboardHost.Prefix}/{relative}");
        var html = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, html);
        return html;
    }

    [GeneratedRegex("<a id=\"log-older\" href=\"(?<href>[^\"]+)\">Older</a>")]
    private static partial Regex OlderLink();
}
