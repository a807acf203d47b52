using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Chatterfy.Postbacks.Dashboard.Tests.Infrastructure;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Reconciliation;

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
    public async Task Uploading_the_networks_report_shows_the_counts_the_totals_per_currency_and_each_row_encoded()
    {
        await using var host = await DashboardHost.StartAsync(configure: s => ConversionData.Configure(s, reporting: false));
        var set = await SeedAsync(host);
        using var client = host.CreateClient(withApiKey: true);
        var page = await client.GetAsync($"{DashboardHost.Prefix}/postbacks/{set.Id}/reconciliation");
        page.StatusCode.Should().Be(HttpStatusCode.OK);
        (await page.Content.ReadAsStringAsync()).Should().Contain("""<form method="post" enctype="multipart/form-data" """);

        var response = await UploadAsync(client, page, set.Id, Encoding.UTF8.GetBytes(Report), ("from", "2026-12-03T00:00"), ("to", "2026-12-04T00:00"));
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
