using Chatterfy.Postbacks.Dashboard.BrowserTests.Infrastructure;
using Chatterfy.Postbacks.Dashboard.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Chatterfy.Postbacks.Dashboard.BrowserTests;

/// <summary>Signing in through the sign-in page, in a real browser.</summary>
public sealed class SignInTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task The_right_key_lands_on_the_Postbacks_page_with_an_HttpOnly_Secure_SameSite_Strict_cookie()
    {
        await using var session = await DashboardSession.StartAsync(browser.Browser);
        var page = session.Page;

        await session.GoToAsync("postbacks");
        page.Url.Should().Contain($"{DashboardHost.Prefix}/sign-in?returnUrl=");
        await session.ScreenshotAsync("01-sign-in");
        await page.GetByLabel("API key").FillAsync(DashboardHost.ApiKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await page.WaitForURLAsync($"**{DashboardHost.Prefix}/postbacks");
        (await page.Locator("h1").InnerTextAsync()).Should().Be("Postbacks");
        var cookie = (await session.Context.CookiesAsync()).Should().ContainSingle(c => c.Name == ChatterfyDashboardDefaults.CookieName).Subject;
        cookie.HttpOnly.Should().BeTrue();
        cookie.Secure.Should().BeTrue("Chromium keeps a Secure cookie set over http://127.0.0.1 (loopback is a secure context)");
        cookie.SameSite.Should().Be(SameSiteAttribute.Strict);
        cookie.Path.Should().Be(DashboardHost.Prefix);
        (await page.EvaluateAsync<string>("document.cookie")).Should().NotContain(ChatterfyDashboardDefaults.CookieName, "the cookie is HttpOnly");
    }

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    public async Task The_dashboards_own_address_as_the_sample_prints_it_leads_to_sign_in_and_then_to_the_Postbacks_page(string tail)
    {
        await using var session = await DashboardSession.StartAsync(browser.Browser);
        var page = session.Page;

        var signIn = await page.GotoAsync(DashboardHost.Prefix + tail);

        signIn!.Status.Should().Be(200);
        page.Url.Should().Contain($"{DashboardHost.Prefix}/sign-in");
        await page.GetByLabel("API key").FillAsync(DashboardHost.ApiKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync($"**{DashboardHost.Prefix}/postbacks");
        (await page.Locator("h1").InnerTextAsync()).Should().Be("Postbacks");

        var again = await page.GotoAsync(DashboardHost.Prefix + tail);
        again!.Status.Should().Be(200);
        page.Url.Should().EndWith($"{DashboardHost.Prefix}/postbacks");
    }

    [Fact]
    public async Task A_wrong_key_shows_the_error_next_to_the_field_and_stays_signed_out()
    {
        await using var session = await DashboardSession.StartAsync(browser.Browser);
        var page = session.Page;
        await session.GoToAsync("sign-in");

        await page.GetByLabel("API key").FillAsync("not-the-key");
        var response = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync(),
            r => r.Request.Method == "POST");

        response.Status.Should().Be(401);
        (await page.GetByRole(AriaRole.Alert).InnerTextAsync()).Should().Be("That is not one of the tracker API's keys. Check the key and try again.");
        (await page.GetByLabel("API key").GetAttributeAsync("aria-invalid")).Should().Be("true");
        (await page.ContentAsync()).Should().NotContain("not-the-key");
        (await session.HasSignInCookieAsync()).Should().BeFalse();

        await session.GoToAsync("postbacks");
        page.Url.Should().Contain($"{DashboardHost.Prefix}/sign-in", "still signed out");
    }
}
