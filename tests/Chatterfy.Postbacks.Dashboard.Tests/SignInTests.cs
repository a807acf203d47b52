using System.Net;
using Chatterfy.Postbacks.Dashboard.Tests.Infrastructure;

namespace Chatterfy.Postbacks.Dashboard.Tests;

/// <summary>The sign-in page and the cookie it keeps, over real HTTP.</summary>
public sealed class SignInTests
{
    [Fact]
    public async Task A_browser_without_the_key_is_sent_to_the_sign_in_page_with_its_return_url()
    {
        await using var host = await DashboardHost.StartAsync();
        using var client = host.CreateClient();

        var response = await client.GetAsync($"{DashboardHost.Prefix}/log?outcome=rejected");

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().Should().Be($"http://127.0.0.1:{host.BaseAddress.Port}{DashboardHost.Prefix}/sign-in?returnUrl=%2Fpostbacks-admin%2Flog%3Foutcome%3Drejected");
    }

    [Fact]
    public async Task The_right_key_gives_an_HttpOnly_Secure_SameSite_Strict_cookie_for_the_dashboard_only()
    {
        await using var host = await DashboardHost.StartAsync();
        using var client = host.CreateClient();
        var form = await client.GetAsync($"{DashboardHost.Prefix}/sign-in");
        var (field, token, antiforgeryCookie) = await DashboardHost.AntiforgeryOfAsync(form);

        using var post = new HttpRequestMessage(HttpMethod.Post, $"{DashboardHost.Prefix}/sign-in")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { [field] = token, ["apiKey"] = DashboardHost.ApiKey, ["returnUrl"] = "/postbacks-admin/log" }),
        };
        post.Headers.Add("Cookie", antiforgeryCookie);
        var response = await client.SendAsync(post);

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().Should().Be("/postbacks-admin/log");
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(ChatterfyDashboardDefaults.CookieName + "=", StringComparison.Ordinal));
        cookie.Should().Contain("path=/postbacks-admin").And.Contain("secure").And.Contain("samesite=strict").And.Contain("httponly");

        var session = cookie.Split(';')[0];
        using var page = new HttpRequestMessage(HttpMethod.Get, $"{DashboardHost.Prefix}/log");
        page.Headers.Add("Cookie", session);
        (await client.SendAsync(page)).StatusCode.Should().Be(HttpStatusCode.OK);

        using var api = new HttpRequestMessage(HttpMethod.Get, "/api/tracker/postback-sets");
        api.Headers.Add("Cookie", session);
        (await client.SendAsync(api)).StatusCode.Should().Be(HttpStatusCode.Unauthorized, "the cookie authenticates the dashboard's routes only");
    }

    [Fact]
    public async Task A_wrong_key_answers_401_with_the_form_and_a_message_and_sets_no_sign_in_cookie()
    {
        await using var host = await DashboardHost.StartAsync();
        using var client = host.CreateClient();
        var form = await client.GetAsync($"{DashboardHost.Prefix}/sign-in");
        var (field, token, antiforgeryCookie) = await DashboardHost.AntiforgeryOfAsync(form);

        using var post = new HttpRequestMessage(HttpMethod.Post, $"{DashboardHost.Prefix}/sign-in")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { [field] = token, ["apiKey"] = "not-the-key" }),
        };
        post.Headers.Add("Cookie", antiforgeryCookie);
        var response = await client.SendAsync(post);

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await response.Content.ReadAsStringAsync()).Should().Contain("That is not one of the tracker API&#x27;s keys.").And.NotContain("not-the-key");
        (response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : []).Should().NotContain(c => c.StartsWith(ChatterfyDashboardDefaults.CookieName, StringComparison.Ordinal));
        host.Logs.GetSnapshot().Should().Contain(r => r.Id.Id == 7004).And.NotContain(r => r.Message.Contains("not-the-key", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_sign_in_post_without_its_antiforgery_token_is_refused_with_400()
    {
        await using var host = await DashboardHost.StartAsync();
        using var client = host.CreateClient();

        var response = await client.PostAsync(
            $"{DashboardHost.Prefix}/sign-in",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["apiKey"] = DashboardHost.ApiKey }));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : []).Should().NotContain(c => c.StartsWith(ChatterfyDashboardDefaults.CookieName, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_X_Api_Key_header_opens_the_dashboard_too()
    {
        await using var host = await DashboardHost.StartAsync();
        using var client = host.CreateClient(withApiKey: true);

        (await client.GetAsync($"{DashboardHost.Prefix}/postbacks")).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
