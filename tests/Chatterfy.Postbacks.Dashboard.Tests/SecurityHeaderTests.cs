using System.Net;
using Chatterfy.Postbacks.Dashboard.Tests.Infrastructure;

namespace Chatterfy.Postbacks.Dashboard.Tests;

/// <summary>The headers and rules every dashboard response carries, over real HTTP.</summary>
public sealed class SecurityHeaderTests
{
    [Theory]
    [InlineData("/postbacks-admin/postbacks", true)]
    [InlineData("/postbacks-admin/sign-in", false)]
    public async Task Every_page_forbids_inline_script_and_frames_and_is_not_cached(string path, bool withApiKey)
    {
        await using var host = await DashboardHost.StartAsync();
        using var client = host.CreateClient(withApiKey);

        var response = await client.GetAsync(path);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.GetValues("Content-Security-Policy").Single().Should().Contain("script-src 'self'").And.NotContain("unsafe-inline");
        response.Headers.GetValues("X-Frame-Options").Single().Should().Be("DENY");
        response.Headers.GetValues("Referrer-Policy").Single().Should().Be("no-referrer");
        response.Headers.CacheControl!.NoStore.Should().BeTrue();
        var html = await response.Content.ReadAsStringAsync();
        html.Should().NotContain("<script>").And.NotContain("style=\"", "inline styles would need 'unsafe-inline'");
        html.Should().NotContain("http://", "nothing is loaded from another host").And.NotContain("https://");
    }

    [Fact]
    public async Task The_stylesheet_and_script_come_from_the_package()
    {
        await using var host = await DashboardHost.StartAsync();
        using var client = host.CreateClient();

        var css = await client.GetAsync($"{DashboardHost.Prefix}/assets/dashboard.css");
        var js = await client.GetAsync($"{DashboardHost.Prefix}/assets/dashboard.js");

        css.StatusCode.Should().Be(HttpStatusCode.OK);
        css.Content.Headers.ContentType!.MediaType.Should().Be("text/css");
        js.StatusCode.Should().Be(HttpStatusCode.OK);
        js.Content.Headers.ContentType!.MediaType.Should().Be("text/javascript");
        (await client.GetAsync($"{DashboardHost.Prefix}/assets/other.js")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Without_an_authorization_requirement_loopback_is_served_and_a_warning_is_logged_at_start()
    {
        await using var host = await DashboardHost.StartAsync(requireAuthorization: false);
        using var client = host.CreateClient();

        (await client.GetAsync($"{DashboardHost.Prefix}/postbacks")).StatusCode.Should().Be(HttpStatusCode.OK);
        host.Logs.GetSnapshot().Should().ContainSingle(r => r.Id.Id == 7001).Which.Message.Should().Contain("/postbacks-admin");
    }

    [Fact]
    public async Task With_an_authorization_requirement_no_warning_is_logged()
    {
        await using var host = await DashboardHost.StartAsync();

        host.Logs.GetSnapshot().Should().NotContain(r => r.Id.Id == 7001);
    }
}
