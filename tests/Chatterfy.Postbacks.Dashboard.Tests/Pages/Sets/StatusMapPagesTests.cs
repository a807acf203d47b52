using System.Net;
using Chatterfy.Postbacks.Dashboard.Tests.Infrastructure;
using Chatterfy.Postbacks.PostbackSets;
using Microsoft.Extensions.DependencyInjection;

namespace Chatterfy.Postbacks.Dashboard.Tests.Pages.Sets;

/// <summary>A set's status map on its page and in its edit form, over real HTTP.</summary>
public sealed class StatusMapPagesTests
{
    private const string Root = DashboardHost.Prefix;

    [Fact]
    public async Task A_set_without_a_map_shows_the_default_and_editing_its_fields_saves_a_map_that_empty_fields_reset()
    {
        await using var host = await DashboardHost.StartAsync();
        var sets = host.Services.GetRequiredService<PostbackSetService>();
        var set = await sets.CreateAsync(new NewPostbackSet { Name = "Keitaro", NetworkId = "1win" });
        using var client = host.CreateClient(withApiKey: true);
        (await client.GetStringAsync($"{Root}/postbacks/{set.Id}")).Should()
            .Contain("""<dd id="set-status-map">default: approved [approved, confirmed, paid]; pending [pending, hold]; rejected [rejected, reject, declined, trash, cancelled]; chargeback [chargeback, refund]</dd>""");

        var form = await client.GetAsync($"{Root}/postbacks/{set.Id}/edit");
        var saved = await PostAsync(client, form, $"{Root}/postbacks/{set.Id}/edit", new() { ["name"] = "Keitaro", ["statusMap-approved"] = "sale, Won", ["statusMap-pending"] = "lead", ["statusMap-rejected"] = "", ["statusMap-chargeback"] = "" });

        saved.StatusCode.Should().Be(HttpStatusCode.Redirect, await saved.Content.ReadAsStringAsync());
        var stored = (await sets.GetAsync(set.Id))!.StatusMap!;
        stored.ToJson().Should().Be("""{"approved":["sale","Won"],"pending":["lead"]}""");
        (await client.GetStringAsync($"{Root}/postbacks/{set.Id}")).Should().Contain("""<dd id="set-status-map">approved [sale, Won]; pending [lead]</dd>""");
        (await client.GetStringAsync($"{Root}/postbacks/{set.Id}/edit")).Should().Contain("""<input id="statusMap-approved" name="statusMap-approved" type="text" autocomplete="off" value="sale, Won">""");

        form = await client.GetAsync($"{Root}/postbacks/{set.Id}/edit");
        var reset = await PostAsync(client, form, $"{Root}/postbacks/{set.Id}/edit", new() { ["name"] = "Keitaro", ["statusMap-approved"] = " ", ["statusMap-pending"] = "" });

        reset.StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await sets.GetAsync(set.Id))!.StatusMap.Should().BeNull("all empty is the default map");
    }

    [Fact]
    public async Task A_word_under_two_statuses_is_refused_with_the_error_next_to_the_later_status_the_words_encoded_and_nothing_saved()
    {
        await using var host = await DashboardHost.StartAsync();
        var sets = host.Services.GetRequiredService<PostbackSetService>();
        var set = await sets.CreateAsync(new NewPostbackSet { Name = "Set", NetworkId = "1win" });
        using var client = host.CreateClient(withApiKey: true);
        var form = await client.GetAsync($"{Root}/postbacks/{set.Id}/edit");

        var response = await PostAsync(client, form, $"{Root}/postbacks/{set.Id}/edit", new() { ["name"] = "Set", ["statusMap-approved"] = "<b>x</b>, ok", ["statusMap-rejected"] = "OK" });

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var html = await response.Content.ReadAsStringAsync();
        html.Should().Contain($"""<p class="error" role="alert" id="statusMap-rejected-error">&#x27;OK&#x27; is listed under both approved and rejected; a word names one status.</p>""")
            .And.Contain("""<input id="statusMap-rejected" name="statusMap-rejected" type="text" autocomplete="off" value="OK" aria-describedby="statusMap-rejected-error" aria-invalid="true" >""")
            .And.Contain("value=\"&lt;b&gt;x&lt;/b&gt;, ok\"").And.NotContain("<b>x</b>")
            .And.NotContain("id=\"statusMap-approved-error\"");
        (await sets.GetAsync(set.Id))!.StatusMap.Should().BeNull();
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, HttpResponseMessage formPage, string path, Dictionary<string, string> fields)
    {
        var (field, token, cookie) = await DashboardHost.AntiforgeryOfAsync(formPage);
        fields[field] = token;
        using var post = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields) };
        post.Headers.Add("Cookie", cookie);
        return await client.SendAsync(post);
    }
}
