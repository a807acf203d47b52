using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Chatterfy.Postbacks.Dashboard.Pages.Reconciliation;
using Chatterfy.Postbacks.Dashboard.Tests.Infrastructure;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Reconciliation;
using Chatterfy.Postbacks.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Chatterfy.Postbacks.Dashboard.Tests.Pages.Reconciliation;

/// <summary>A set's Reconciliation page over real HTTP: the upload form, the report, and the refusals.</summary>
public sealed class ReconciliationPagesTests
{
    /// <summary>The network's report: 2 matches, 1 row missing here, 1 mismatch, 1 unreadable row.</summary>
    private const string Report = """
        click_id,event,amount,currency,transaction_id,time
        click-a,registration,,,,2026-12-03T14:59:00Z
        click-a,first_deposit,50.00,USD,T1,2026-12-03T14:59:00Z
        click-c,deposit,20.00,USD,<script>x</script>,2026-12-03T14:59:00Z
        click-a,deposit,45.00,USD,T4,2026-12-03T14:59:00Z
        click-a,deposit,abc,USD,T5,2026-12-03T14:59:00Z
        """;

    [Fact]
    public async Task Uploading_the_networks_report_redirects_to_the_kept_report_which_shows_the_counts_the_totals_per_currency_and_each_row_encoded()
    {
        await using var host = await DashboardHost.StartAsync(configure: s => ConversionData.Configure(s, reporting: false));
        var set = await SeedAsync(host);
        using var client = host.CreateClient(withApiKey: true);
        var page = await client.GetAsync($"{DashboardHost.Prefix}/postbacks/{set.Id}/reconciliation");
        page.StatusCode.Should().Be(HttpStatusCode.OK);
        (await page.Content.ReadAsStringAsync()).Should().Contain("""<form method="post" enctype="multipart/form-data" """).And.Contain("""<p id="reports-empty">No report uploaded yet.</p>""");

        var upload = await UploadAsync(client, page, set.Id, Encoding.UTF8.GetBytes(Report), ("from", "2026-12-03T00:00"), ("to", "2026-12-04T00:00"));
        upload.StatusCode.Should().Be(HttpStatusCode.Found, await upload.Content.ReadAsStringAsync());
        var kept = (await host.Services.GetRequiredService<ReconciliationService>().ListAsync(set.Id, 10))!.Should().ContainSingle().Subject;
        upload.Headers.Location!.OriginalString.Should().Be($"{DashboardHost.Prefix}/postbacks/{set.Id}/reconciliations/{kept.Id}");
        var response = await client.GetAsync(upload.Headers.Location);
        var html = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.OK, html);
        html.Should().Contain("""<dd id="report-rows">5</dd>""")
            .And.Contain("""<dd id="report-matched">2</dd>""")
            .And.Contain("""<dd id="report-missing-here">1</dd>""")
            .And.Contain("""<dd id="report-missing-there">1</dd>""")
            .And.Contain("""<dd id="report-mismatches">1</dd>""")
            .And.Contain("""<dd id="report-invalid">1</dd>""");
        html.Should().Contain("""<tr><th scope="row">USD</th><td class="number">115.00</td><td class="number">120.00</td><td class="number">-5.00</td></tr>""");
        html.Should().Contain("<code>click-c</code>").And.Contain("<code>&lt;script&gt;x&lt;/script&gt;</code>").And.NotContain("<script>x");
        html.Should().Contain("<code>T2</code>", "the stored deposit the network does not list is missing there");
        html.Should().Contain("""<td class="number">45.00 USD</td><td class="number">40.00 USD</td>""");
        html.Should().Contain("<li>Line 6: ");
        html.Should().Contain("""<time datetime="2026-12-03T00:00:00Z">""", "the range is the one asked for");
    }

    [Fact]
    public async Task The_sets_page_lists_its_kept_reports_newest_first_a_page_at_a_time_each_linking_to_its_report()
    {
        await using var host = await DashboardHost.StartAsync(configure: s => ConversionData.Configure(s, reporting: false));
        var clock = (FakeTimeProvider)host.Services.GetRequiredService<TimeProvider>();
        var set = await ConversionData.CreateSetAsync(host, "Set");
        var reconciliation = host.Services.GetRequiredService<ReconciliationService>();
        var ids = new List<string>();
        for (var i = 0; i <= ReconciliationPages.ReportsPerPage; i++)
        {
            using var csv = new MemoryStream(Encoding.UTF8.GetBytes("click_id,event,time\nclick-a,registration,2026-12-03T14:59:00Z\n"));
            ids.Add((await reconciliation.ReconcileAsync(set.Id, csv))!.Id);
            clock.Advance(TimeSpan.FromMinutes(1));
        }

        using var client = host.CreateClient(withApiKey: true);
        var first = await client.GetStringAsync($"{DashboardHost.Prefix}/postbacks/{set.Id}/reconciliation");
        var olderHref = System.Text.RegularExpressions.Regex.Match(first, "<a id=\"reports-older\" href=\"(?<href>[^\"]+)\"").Groups["href"].Value;
        var second = await client.GetStringAsync(System.Net.WebUtility.HtmlDecode(olderHref));

        first.Should().Contain($"""<a href="/postbacks-admin/postbacks/{set.Id}/reconciliations/{ids[^1]}">""")
            .And.NotContain($"/reconciliations/{ids[0]}\"", "the oldest report is on the next page");
        first.IndexOf(ids[^1], StringComparison.Ordinal).Should().BeLessThan(first.IndexOf(ids[^2], StringComparison.Ordinal), "newest first");
        second.Should().Contain($"""<a href="/postbacks-admin/postbacks/{set.Id}/reconciliations/{ids[0]}">""").And.NotContain($"/reconciliations/{ids[1]}\"").And.NotContain("reports-older");
    }

    [Fact]
    public async Task Ingesting_the_rows_missing_here_adds_them_once_without_forwarding_and_says_what_was_added()
    {
        await using var host = await DashboardHost.StartAsync(configure: s => ConversionData.Configure(s, reporting: false));
        var set = await SeedAsync(host);
        using var client = host.CreateClient(withApiKey: true);
        var reportUrl = await ReconcileAsync(client, set.Id);
        var page = await client.GetAsync(reportUrl);
        var html = await page.Content.ReadAsStringAsync();
        html.Should().Contain("""<button type="submit" id="ingest-submit">Ingest 1 missing conversions</button>""")
            .And.Contain("""<input type="checkbox" id="ingest-forward" name="forward" value="true" aria-describedby="ingest-forward-hint"> Also forward them</label>""", "forwarding is off unless ticked")
            .And.Contain("Forwarding sends the new conversions to the destinations");

        var first = await IngestAsync(client, page, reportUrl);
        var second = await IngestAsync(client, await client.GetAsync(reportUrl), reportUrl);

        first.StatusCode.Should().Be(HttpStatusCode.Found);
        first.Headers.Location!.OriginalString.Should().Be($"{reportUrl}?added=1&already=0&rejected=0&forwarded=0");
        (await client.GetStringAsync(first.Headers.Location)).Should().Contain("""<p class="notice" role="status" id="ingest-notice">Ingested: 1 added, 0 already there; none forwarded.</p>""");
        second.Headers.Location!.OriginalString.Should().Be($"{reportUrl}?added=0&already=1&rejected=0&forwarded=0", "ingesting twice adds nothing");
        (await client.GetStringAsync(second.Headers.Location)).Should().Contain("Ingested: 0 added, 1 already there; none forwarded.");
        var conversions = await client.GetStringAsync($"{DashboardHost.Prefix}/conversions?clickId=click-c");
        conversions.Should().Contain("<code>click-c</code>").And.Contain("""<td class="number">20.00 USD</td>""");
        (await host.Services.GetRequiredService<ConversionService>().ListAsync(new ConversionListQuery { ClickId = "click-c" }))
            .Should().ContainSingle().Which.Conversion.ReceivedAt.Should().Be(new DateTimeOffset(2026, 12, 3, 14, 59, 0, TimeSpan.Zero), "the row's time");
    }

    [Fact]
    public async Task An_ingest_without_its_antiforgery_token_is_refused_and_adds_nothing()
    {
        await using var host = await DashboardHost.StartAsync(configure: s => ConversionData.Configure(s, reporting: false));
        var set = await SeedAsync(host);
        using var client = host.CreateClient(withApiKey: true);
        var reportUrl = await ReconcileAsync(client, set.Id);

        var response = await client.PostAsync($"{reportUrl}/ingest", new FormUrlEncodedContent([new("forward", "true")]));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("<h1>Form expired</h1>");
        (await host.Services.GetRequiredService<ConversionService>().ListAsync(new ConversionListQuery { ClickId = "click-c" })).Should().BeEmpty();
    }

    [Fact]
    public async Task A_report_id_the_set_does_not_have_is_answered_404_with_the_id_encoded_and_ingests_nothing()
    {
        await using var host = await DashboardHost.StartAsync(configure: s => ConversionData.Configure(s, reporting: false));
        var set = await SeedAsync(host);
        var other = await ConversionData.CreateSetAsync(host, "Other");
        using var client = host.CreateClient(withApiKey: true);
        var reportUrl = await ReconcileAsync(client, set.Id);
        var rid = reportUrl[(reportUrl.LastIndexOf('/') + 1)..];
        var page = await client.GetAsync(reportUrl);

        var unknown = await client.GetAsync($"{DashboardHost.Prefix}/postbacks/{set.Id}/reconciliations/{Uri.EscapeDataString("<b>x")}");
        var otherSet = await client.GetAsync($"{DashboardHost.Prefix}/postbacks/{other.Id}/reconciliations/{rid}");
        var ingestOther = await IngestAsync(client, page, $"{DashboardHost.Prefix}/postbacks/{other.Id}/reconciliations/{rid}");
        var noSet = await client.GetAsync($"{DashboardHost.Prefix}/postbacks/nope/reconciliations/{rid}");

        unknown.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await unknown.Content.ReadAsStringAsync()).Should().Contain("has no reconciliation '&lt;b&gt;x'.").And.NotContain("<b>x");
        otherSet.StatusCode.Should().Be(HttpStatusCode.NotFound, "a report belongs to its set");
        ingestOther.StatusCode.Should().Be(HttpStatusCode.NotFound);
        noSet.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await host.Services.GetRequiredService<ConversionService>().ListAsync(new ConversionListQuery { ClickId = "click-c" })).Should().BeEmpty();
    }

    [Fact]
    public async Task An_ingest_into_a_disabled_set_is_answered_409_and_adds_nothing()
    {
        await using var host = await DashboardHost.StartAsync(configure: s => ConversionData.Configure(s, reporting: false));
        var set = await SeedAsync(host);
        using var client = host.CreateClient(withApiKey: true);
        var reportUrl = await ReconcileAsync(client, set.Id);
        var page = await client.GetAsync(reportUrl);
        await host.Services.GetRequiredService<PostbackSetService>().DisableAsync(set.Id);

        var response = await IngestAsync(client, page, reportUrl, forward: true);

        response.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await response.Content.ReadAsStringAsync()).Should().Contain("is disabled: enable it to ingest its missing conversions.");
        (await host.Services.GetRequiredService<ConversionService>().ListAsync(new ConversionListQuery { ClickId = "click-c" })).Should().BeEmpty();
    }

    [Fact]
    public async Task A_hostile_notice_in_the_query_is_not_shown()
    {
        await using var host = await DashboardHost.StartAsync(configure: s => ConversionData.Configure(s, reporting: false));
        var set = await SeedAsync(host);
        using var client = host.CreateClient(withApiKey: true);
        var reportUrl = await ReconcileAsync(client, set.Id);

        var html = await client.GetStringAsync($"{reportUrl}?added={Uri.EscapeDataString("<b>9")}&already=0");

        html.Should().NotContain("ingest-notice").And.NotContain("<b>9");
    }

    [Fact]
    public async Task The_layout_form_keeps_new_column_names_which_the_next_upload_reads()
    {
        await using var host = await DashboardHost.StartAsync(configure: s => ConversionData.Configure(s, reporting: false));
        var set = await SeedAsync(host);
        using var client = host.CreateClient(withApiKey: true);
        var page = await client.GetAsync($"{DashboardHost.Prefix}/postbacks/{set.Id}/reconciliation");
        (await page.Content.ReadAsStringAsync()).Should().Contain("""<input type="text" id="layout-clickId" name="clickId" value="click_id" maxlength="64" required>""");

        var saved = await PostLayoutAsync(client, page, set.Id, ("clickId", "sub_id"), ("event", "goal"), ("amount", "payout"), ("currency", "cur"), ("transactionId", "txid"), ("time", "date"));
        saved.StatusCode.Should().Be(HttpStatusCode.Found);
        var after = await client.GetAsync(saved.Headers.Location);
        var html = await after.Content.ReadAsStringAsync();
        var upload = await UploadAsync(client, after, set.Id, Encoding.UTF8.GetBytes("sub_id,goal,date\nclick-a,registration,2026-12-03T14:59:00Z\n"));

        html.Should().Contain("""<p class="notice" role="status" id="layout-notice">Layout saved""")
            .And.Contain("""<input type="text" id="layout-clickId" name="clickId" value="sub_id" """)
            .And.Contain("with the columns <code>sub_id</code>, <code>goal</code>, <code>payout</code>, <code>cur</code>, <code>txid</code>, <code>date</code>");
        (await host.Services.GetRequiredService<ReconciliationService>().GetLayoutAsync(set.Id))!.ClickId.Should().Be("sub_id");
        upload.StatusCode.Should().Be(HttpStatusCode.Found, "the file has the set's columns");
    }

    [Fact]
    public async Task A_layout_the_API_would_refuse_is_answered_400_with_each_error_next_to_its_field_and_the_values_encoded()
    {
        await using var host = await DashboardHost.StartAsync();
        var set = await ConversionData.CreateSetAsync(host, "Set");
        using var client = host.CreateClient(withApiKey: true);
        var page = await client.GetAsync($"{DashboardHost.Prefix}/postbacks/{set.Id}/reconciliation");

        var response = await PostLayoutAsync(client, page, set.Id, ("clickId", "<b>,x"), ("event", "time"), ("amount", "amount"), ("currency", "currency"), ("transactionId", ""), ("time", "time"));
        var html = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        html.Should().Contain("""value="&lt;b&gt;,x" maxlength="64" required aria-describedby="layout-clickId-error" aria-invalid="true"><span class="error" role="alert" id="layout-clickId-error">clickId must be at most 64 characters""")
            .And.Contain("""<span class="error" role="alert" id="layout-transactionId-error">transactionId must name a column.</span>""")
            .And.Contain("""<span class="error" role="alert" id="layout-time-error">time names the column &#x27;time&#x27;, which event already names.</span>""")
            .And.NotContain("<b>,x");
        (await host.Services.GetRequiredService<ReconciliationService>().GetLayoutAsync(set.Id)).Should().Be(ReconciliationLayout.Generic, "nothing was kept");
    }

    [Fact]
    public async Task A_layout_post_without_its_antiforgery_token_is_refused()
    {
        await using var host = await DashboardHost.StartAsync();
        var set = await ConversionData.CreateSetAsync(host, "Set");
        using var client = host.CreateClient(withApiKey: true);

        var response = await client.PostAsync($"{DashboardHost.Prefix}/postbacks/{set.Id}/reconciliation/layout", new FormUrlEncodedContent([new("clickId", "x")]));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("<h1>Form expired</h1>");
    }

    [Fact]
    public async Task A_file_without_a_required_column_is_answered_400_with_the_reason_next_to_the_file_field()
    {
        await using var host = await DashboardHost.StartAsync();
        var set = await ConversionData.CreateSetAsync(host, "Set");
        using var client = host.CreateClient(withApiKey: true);
        var page = await client.GetAsync($"{DashboardHost.Prefix}/postbacks/{set.Id}/reconciliation");

        var response = await UploadAsync(client, page, set.Id, Encoding.UTF8.GetBytes("click_id,amount\nx,1\n"));
        var html = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        html.Should().Contain("""<span class="error" role="alert" id="reconcile-report-error">""").And.Contain("aria-invalid=\"true\"").And.NotContain("id=\"reconciliation-report\"");
    }

    [Fact]
    public async Task A_time_that_cannot_be_read_is_answered_400_next_to_its_field()
    {
        await using var host = await DashboardHost.StartAsync();
        var set = await ConversionData.CreateSetAsync(host, "Set");
        using var client = host.CreateClient(withApiKey: true);
        var page = await client.GetAsync($"{DashboardHost.Prefix}/postbacks/{set.Id}/reconciliation");

        var response = await UploadAsync(client, page, set.Id, Encoding.UTF8.GetBytes(Report), ("from", "<b>yesterday</b>"));
        var html = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        html.Should().Contain("""value="&lt;b&gt;yesterday&lt;/b&gt;" aria-describedby="reconcile-from-error" aria-invalid="true">""")
            .And.Contain("""<span class="error" role="alert" id="reconcile-from-error">Enter a UTC date and time, e.g. 2026-11-27T00:00.</span>""");
    }

    [Fact]
    public async Task A_report_over_the_APIs_10_MB_limit_is_answered_413_and_read_no_further()
    {
        await using var host = await DashboardHost.StartAsync();
        var set = await ConversionData.CreateSetAsync(host, "Set");
        using var client = host.CreateClient(withApiKey: true);
        var page = await client.GetAsync($"{DashboardHost.Prefix}/postbacks/{set.Id}/reconciliation");
        var header = Encoding.UTF8.GetBytes("click_id,event,time\n");
        var file = new byte[ReconciliationService.MaxReportBytes + 1];
        header.CopyTo(file, 0);
        file.AsSpan(header.Length).Fill((byte)'\n');

        var response = await UploadAsync(client, page, set.Id, file);

        response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        (await response.Content.ReadAsStringAsync()).Should().Contain("<h1>File too large</h1>");
    }

    [Fact]
    public async Task An_upload_without_its_antiforgery_token_is_refused()
    {
        await using var host = await DashboardHost.StartAsync();
        var set = await ConversionData.CreateSetAsync(host, "Set");
        using var client = host.CreateClient(withApiKey: true);
        using var content = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes(Report)), "report", "report.csv" } };

        var response = await client.PostAsync($"{DashboardHost.Prefix}/postbacks/{set.Id}/reconciliation", content);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("<h1>Form expired</h1>");
    }

    [Fact]
    public async Task The_page_of_a_set_nothing_has_is_answered_404_with_the_id_encoded()
    {
        await using var host = await DashboardHost.StartAsync();
        using var client = host.CreateClient(withApiKey: true);

        var response = await client.GetAsync($"{DashboardHost.Prefix}/postbacks/{Uri.EscapeDataString("<b>x")}/reconciliation");

        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).Should().Contain("No postback set has the id '&lt;b&gt;x'.");
    }

    [Fact]
    public async Task A_sets_page_links_to_its_reconciliation()
    {
        await using var host = await DashboardHost.StartAsync();
        var set = await ConversionData.CreateSetAsync(host, "Set");
        using var client = host.CreateClient(withApiKey: true);

        var html = await client.GetStringAsync($"{DashboardHost.Prefix}/postbacks/{set.Id}");

        html.Should().Contain($"""<a class="button secondary" id="reconcile-postback" href="/postbacks-admin/postbacks/{set.Id}/reconciliation">Reconcile</a>""");
    }

    // The stored side: click-a's registration, first deposit (50.00 USD, T1) and deposit (40.00 USD, T4); click-b's deposit (30.00 USD, T2).
    private static async Task<PostbackSet> SeedAsync(DashboardHost host)
    {
        var set = await ConversionData.CreateSetAsync(host, "Set");
        await ConversionData.SendAsync(host, set, "registration", "clickid=click-a");
        await ConversionData.SendAsync(host, set, "first-deposit", "clickid=click-a&amount=50.00&currency=USD&tid=T1");
        await ConversionData.SendAsync(host, set, "deposit", "clickid=click-a&amount=40.00&currency=USD&tid=T4");
        await ConversionData.SendAsync(host, set, "deposit", "clickid=click-b&amount=30.00&currency=USD&tid=T2");
        return set;
    }

    // Uploads the report for 2026-12-03 and returns the kept report's page (the upload's redirect).
    private static async Task<string> ReconcileAsync(HttpClient client, string setId)
    {
        var page = await client.GetAsync($"{DashboardHost.Prefix}/postbacks/{setId}/reconciliation");
        var upload = await UploadAsync(client, page, setId, Encoding.UTF8.GetBytes(Report), ("from", "2026-12-03T00:00"), ("to", "2026-12-04T00:00"));
        upload.StatusCode.Should().Be(HttpStatusCode.Found, await upload.Content.ReadAsStringAsync());
        return upload.Headers.Location!.OriginalString;
    }

    private static async Task<HttpResponseMessage> IngestAsync(HttpClient client, HttpResponseMessage page, string reportUrl, bool forward = false)
    {
        var (field, token, cookie) = await DashboardHost.AntiforgeryOfAsync(page);
        var fields = new List<KeyValuePair<string, string>> { new(field, token) };
        if (forward)
        {
            fields.Add(new("forward", "true"));
        }

        using var post = new HttpRequestMessage(HttpMethod.Post, $"{reportUrl}/ingest") { Content = new FormUrlEncodedContent(fields) };
        post.Headers.Add("Cookie", cookie);
        return await client.SendAsync(post);
    }

    private static async Task<HttpResponseMessage> PostLayoutAsync(HttpClient client, HttpResponseMessage page, string setId, params (string Name, string Value)[] values)
    {
        var (field, token, cookie) = await DashboardHost.AntiforgeryOfAsync(page);
        var fields = new List<KeyValuePair<string, string>> { new(field, token) };
        fields.AddRange(values.Select(v => new KeyValuePair<string, string>(v.Name, v.Value)));
        using var post = new HttpRequestMessage(HttpMethod.Post, $"{DashboardHost.Prefix}/postbacks/{setId}/reconciliation/layout") { Content = new FormUrlEncodedContent(fields) };
        post.Headers.Add("Cookie", cookie);
        return await client.SendAsync(post);
    }

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, HttpResponseMessage page, string setId, byte[] file, params (string Name, string Value)[] fields)
    {
        var (field, token, cookie) = await DashboardHost.AntiforgeryOfAsync(page);
        var content = new MultipartFormDataContent { { new StringContent(token), field } };
        foreach (var (name, value) in fields)
        {
            content.Add(new StringContent(value), name);
        }

        var csv = new ByteArrayContent(file);
        csv.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        content.Add(csv, "report", "report.csv");
        using var post = new HttpRequestMessage(HttpMethod.Post, $"{DashboardHost.Prefix}/postbacks/{setId}/reconciliation") { Content = content };
        post.Headers.Add("Cookie", cookie);
        return await client.SendAsync(post);
    }
}
