using System.Net;
using Chatterfy.Postbacks.Campaigns;
using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Dashboard.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Chatterfy.Postbacks.Dashboard.Tests.Pages.Subjects;

/// <summary>A chat user's page over real HTTP: its bound clicks, the clicks carrying it and its conversions.</summary>
public sealed class SubjectPagesTests
{
    [Fact]
    public async Task A_chat_users_page_shows_its_click_in_each_campaign_the_clicks_carrying_it_and_only_its_conversions()
    {
        await using var host = await DashboardHost.StartAsync(configure: s => ConversionData.Configure(s, reporting: false));
        var campaigns = host.Services.GetRequiredService<CampaignService>();
        await campaigns.CreateAsync(new NewCampaign { Id = "spring", DestinationTemplate = "https://t.me/mybot?start={{tracker.clickid}}" });
        await campaigns.CreateAsync(new NewCampaign { Id = "autumn", DestinationTemplate = "https://t.me/mybot?start={{tracker.clickid}}" });
        var clicks = host.Services.GetRequiredService<ClickService>();
        var spring = (await clicks.GetOrCreateForSubjectAsync("tg:777", "spring")).Click;
        var autumn = (await clicks.GetOrCreateForSubjectAsync("tg:777", "autumn")).Click;
        var carrying = await clicks.CreateAsync(new NewClick { SubjectId = "tg:777" });
        var someoneElse = (await clicks.GetOrCreateForSubjectAsync("tg:888", "spring")).Click;
        var set = await ConversionData.CreateSetAsync(host, "Set");
        await ConversionData.SendAsync(host, set, "registration", $"clickid={spring.Id}");
        await ConversionData.SendAsync(host, set, "first-deposit", $"clickid={carrying.Id}&amount=20&currency=USD&tid=T1");
        await ConversionData.SendAsync(host, set, "registration", $"clickid={someoneElse.Id}");
        using var client = host.CreateClient(withApiKey: true);

        var response = await client.GetAsync($"{DashboardHost.Prefix}/subjects/tg:777");
        var html = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.OK, html);
        html.Should().Contain("<h1>Chat user <code>tg:777</code></h1>");
        var bindings = Section(html, "subject-bindings");
        bindings.IndexOf("<code>autumn</code>", StringComparison.Ordinal).Should().BeLessThan(bindings.IndexOf("<code>spring</code>", StringComparison.Ordinal), "by campaign");
        bindings.Should().Contain($"<code>{autumn.Id}</code>").And.Contain($"<code>{spring.Id}</code>").And.NotContain(someoneElse.Id);
        var carried = Section(html, "subject-clicks");
        carried.Should().Contain($"<code>{carrying.Id}</code>").And.Contain($"<code>{spring.Id}</code>").And.Contain($"<code>{autumn.Id}</code>").And.NotContain(someoneElse.Id);
        var conversions = Section(html, "subject-conversions");
        conversions.Should().Contain($"<code>{spring.Id}</code>").And.Contain($"<code>{carrying.Id}</code>").And.Contain("20 USD").And.NotContain(someoneElse.Id);
    }

    [Fact]
    public async Task A_chat_user_nobody_bound_has_an_empty_page()
    {
        await using var host = await DashboardHost.StartAsync();
        using var client = host.CreateClient(withApiKey: true);

        var html = await client.GetStringAsync($"{DashboardHost.Prefix}/subjects/tg:1");

        html.Should().Contain("""id="subject-bindings-empty">""").And.Contain("""id="subject-clicks-empty">""").And.Contain("""id="subject-conversions-empty">""");
    }

    [Theory]
    [InlineData("%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E", "&lt;img src=x onerror=alert(1)&gt;")]
    [InlineData("tg%20123", "tg 123")]
    public async Task A_subject_id_that_breaks_the_tracker_APIs_rule_is_answered_400_with_the_rule_and_the_id_encoded(string escaped, string shown)
    {
        await using var host = await DashboardHost.StartAsync();
        using var client = host.CreateClient(withApiKey: true);

        var response = await client.GetAsync($"{DashboardHost.Prefix}/subjects/{escaped}");
        var html = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        html.Should().Contain($"""<p role="alert" class="error" id="subject-error">'{shown}' is not a subject id. {SubjectIds.Rule}</p>""").And.NotContain("<img src=x");
    }

    [Fact]
    public async Task A_subject_id_of_129_characters_is_answered_400()
    {
        await using var host = await DashboardHost.StartAsync();
        using var client = host.CreateClient(withApiKey: true);

        var response = await client.GetAsync($"{DashboardHost.Prefix}/subjects/{new string('a', SubjectIds.MaxLength + 1)}");

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    // The part of the page from the element with that id to the end of its table.
    private static string Section(string html, string id)
    {
        var start = html.IndexOf($"id=\"{id}\"", StringComparison.Ordinal);
        start.Should().BeGreaterThan(0, "the page has #{0}", id);
        return html[start..html.IndexOf("</table>", start, StringComparison.Ordinal)];
    }
}
