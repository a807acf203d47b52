using System.Net;
using System.Text.RegularExpressions;
using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Dashboard.Tests.Infrastructure;
using Chatterfy.Postbacks.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Chatterfy.Postbacks.Dashboard.Tests.Pages.Conversions;

/// <summary>Statuses in the Conversions and Log pages, over real HTTP with real status postbacks.</summary>
public sealed class ConversionStatusPagesTests
{
    private const string Hostile = "<img src=x onerror=alert(1)>";

    [Fact]
    public async Task The_list_shows_each_status_with_an_unmapped_word_encoded_beside_it_and_the_status_filter_narrows_it()
    {
        await using var host = await DashboardHost.StartAsync(configure: s => ConversionData.Configure(s, reporting: false));
        var set = await ConversionData.CreateSetAsync(host, "Set");
        var clicks = host.Services.GetRequiredService<ClickService>();
        var held = (await ConversionData.SendAsync(host, set, "first-deposit", $"clickid={(await clicks.CreateAsync(new NewClick())).Id}&amount=10&currency=USD&status=Hold")).GetProperty("conversionId").GetString()!;
        var unknown = (await ConversionData.SendAsync(host, set, "first-deposit", $"clickid={(await clicks.CreateAsync(new NewClick())).Id}&amount=10&currency=USD&status={Uri.EscapeDataString(Hostile)}")).GetProperty("conversionId").GetString()!;
        var approved = (await ConversionData.SendAsync(host, set, "registration", $"clickid={(await clicks.CreateAsync(new NewClick())).Id}")).GetProperty("conversionId").GetString()!;
        using var client = host.CreateClient(withApiKey: true);

        var all = await GetAsync(client, "conversions");
        var pending = await GetAsync(client, "conversions?status=pending");
        var onlyApproved = await GetAsync(client, "conversions?status=approved");

        all.Should().Contain("""<th scope="col">Status</th>""");
        Row(all, held).Should().Contain("""<td><span class="badge pending">pending</span></td>""", "a mapped word shows the status alone");
        Row(all, unknown).Should().Contain("""<td><span class="badge pending">pending</span> (<span class="status-word">&lt;img src=x onerror=alert(1)&gt;</span>)</td>""");
        Row(all, approved).Should().Contain("""<td><span class="badge approved">approved</span></td>""");
        all.Should().NotContain("<img src=x");
        pending.Should().Contain(held).And.Contain(unknown).And.NotContain(approved);
        pending.Should().Contain("""<option value="pending" selected>pending</option>""");
        onlyApproved.Should().Contain(approved).And.NotContain(held).And.NotContain(unknown);
    }

    [Fact]
    public async Task A_conversion_page_shows_its_status_and_its_history_with_the_words_as_received_linking_each_change_to_its_log_entry()
    {
        await using var host = await DashboardHost.StartAsync(configure: s => ConversionData.Configure(s, reporting: false));
        var set = await ConversionData.CreateSetAsync(host, "Set");
        var click = await host.Services.GetRequiredService<ClickService>().CreateAsync(new NewClick());
        var id = (await ConversionData.SendAsync(host, set, "first-deposit", $"clickid={click.Id}&amount=10&currency=USD&tid=T1&status=Hold")).GetProperty("conversionId").GetString()!;
        var approval = await ConversionData.SendAsync(host, set, "first-deposit", $"clickid={click.Id}&amount=10&currency=USD&tid=T1&status=Confirmed");
        var chargeback = await ConversionData.SendAsync(host, set, "status", $"clickid={click.Id}&tid=T1&status=Refund");
        approval.GetProperty("status").ToString().Should().Be("changed", approval.ToString());
        chargeback.GetProperty("status").ToString().Should().Be("changed", chargeback.ToString());
        chargeback.GetProperty("status").GetString().Should().Be("changed");
        using var client = host.CreateClient(withApiKey: true);

        var html = await GetAsync(client, $"conversions/{id}");

        html.Should().Contain("""<dd id="conversion-status"><span class="badge chargeback">chargeback</span> (the network's word <code>Refund</code>)</dd>""");
        var rows = Regex.Matches(html, "<tr id=\"history-[^\"]+\">(?<row>.*?)</tr>", RegexOptions.Singleline).Select(m => m.Groups["row"].Value).ToList();
        rows.Should().HaveCount(2);
        rows[0].Should().Contain("""<time datetime="2026-12-03T15:00:01Z">""").And.Contain("""<span class="badge pending">pending</span></td><td><span class="badge approved">approved</span>""").And.Contain("<code>Confirmed</code>");
        rows[1].Should().Contain("""<time datetime="2026-12-03T15:00:02Z">""").And.Contain("""<span class="badge approved">approved</span></td><td><span class="badge chargeback">chargeback</span>""").And.Contain("<code>Refund</code>");
        var entryId = (await host.Services.GetRequiredService<ConversionService>().GetAsync(id))!.History[1].LogEntryId;
        rows[1].Should().Contain($"#log-{entryId}\"><code>{entryId}</code></a>");
        var href = WebUtility.HtmlDecode(Regex.Match(rows[1], "href=\"(?<href>[^\"#]+)#").Groups["href"].Value);
        (await GetAsync(client, href[(DashboardHost.Prefix.Length + 1)..])).Should().Contain($"<tr id=\"log-{entryId}\">", "the link's log page shows the change's row");
    }

    [Fact]
    public async Task A_conversion_without_a_status_change_says_so()
    {
        await using var host = await DashboardHost.StartAsync(configure: s => ConversionData.Configure(s, reporting: false));
        var set = await ConversionData.CreateSetAsync(host, "Set");
        var id = (await ConversionData.SendAsync(host, set, "registration", "clickid=c1")).GetProperty("conversionId").GetString()!;
        using var client = host.CreateClient(withApiKey: true);

        var html = await GetAsync(client, $"conversions/{id}");

        html.Should().Contain("""<dd id="conversion-status"><span class="badge approved">approved</span></dd>""")
            .And.Contain("""<p id="conversion-history-none">No status change: it is approved since it arrived.</p>""");
    }

    [Fact]
    public async Task The_log_filters_changed_rows_which_link_their_conversion_and_explains_the_status_warnings_and_status_target_unknown()
    {
        await using var host = await DashboardHost.StartAsync(configure: s => ConversionData.Configure(s, reporting: false));
        var set = await ConversionData.CreateSetAsync(host, "Set");
        var clicks = host.Services.GetRequiredService<ClickService>();
        var click = await clicks.CreateAsync(new NewClick());
        var id = (await ConversionData.SendAsync(host, set, "first-deposit", $"clickid={click.Id}&amount=10&currency=USD&tid=T1&status=pending")).GetProperty("conversionId").GetString()!;
        var changed = await ConversionData.SendAsync(host, set, "first-deposit", $"clickid={click.Id}&amount=10&currency=USD&tid=T1&status=approved");
        await ConversionData.SendAsync(host, set, "first-deposit", $"clickid={click.Id}&amount=10&currency=USD&tid=T1&status=approved");
        await ConversionData.SendAsync(host, set, "first-deposit", $"clickid={(await clicks.CreateAsync(new NewClick())).Id}&amount=5&currency=USD&status={Uri.EscapeDataString(Hostile)}");
        await ConversionData.SendAsync(host, set, "first-deposit", $"clickid={(await clicks.CreateAsync(new NewClick())).Id}&amount=5&currency=USD&tid=T7&status=chargeback");
        var target = await ConversionData.SendAsync(host, set, "status", $"clickid={(await clicks.CreateAsync(new NewClick())).Id}&status=approved");
        target.GetProperty("code").GetString().Should().Be("status_target_unknown");
        var entries = (await host.Services.GetRequiredService<PostbackLogService>().ListAsync(new PostbackLogQuery())).Reverse().Select(e => e.Id).ToList();
        using var client = host.CreateClient(withApiKey: true);

        var log = await GetAsync(client, "log");
        var onlyChanged = await GetAsync(client, "log?outcome=changed");

        log.Should().Contain("""<option value="changed">changed</option>""");
        Regex.Matches(onlyChanged, "<tr id=\"log-[^\"]+\">").Where(m => !m.Value.Contains("-detail-row", StringComparison.Ordinal)).Should().ContainSingle(changed.ToString());
        onlyChanged.Should().Contain("""<option value="changed" selected>changed</option>""")
            .And.Contain("""<td><span class="badge changed">changed</span></td>""")
            .And.Contain($"""<a href="/postbacks-admin/conversions/{id}"><code>{id}</code></a>""");
        Warning(log, entries[2], "status_transition_ignored").Should().Contain("answered duplicate, nothing changed");
        Warning(log, entries[3], "status_unknown").Should().Contain("is not in the set&#x27;s status map");
        Warning(log, entries[4], "status_without_original").Should().Contain("a new conversion was stored in that status, and it lowers nothing");
        log.Should().Contain("<code>status_target_unknown</code> The status postback names no single stored conversion of its set and click");
        log.Should().NotContain("<img src=x");
        changed.GetProperty("status").GetString().Should().Be("changed");
    }

    private static string Warning(string html, string entryId, string code)
    {
        var match = Regex.Match(html, $"<li id=\"log-{Regex.Escape(entryId)}-warning-{code}\"><code>{code}</code>(?<text>.*?)</li>", RegexOptions.Singleline);
        match.Success.Should().BeTrue($"the log explains {code}");
        return match.Groups["text"].Value;
    }

    private static string Row(string html, string id) =>
        Regex.Match(html, $"<tr id=\"conversion-{Regex.Escape(id)}\">.*?</tr>", RegexOptions.Singleline).Value;

    private static async Task<string> GetAsync(HttpClient client, string relative)
    {
        var response = await client.GetAsync($"{DashboardHost.Prefix}/{relative}");
        var html = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, html);
        return html;
    }
}
