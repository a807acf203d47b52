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
        await page.GetByLabel("API key").FillAsync(DashboardHost.ApiKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await page.WaitForURLAsync($"**{DashboardHost.Prefix}/postbacks");
        (await page.Locator("h1").InnerTextAsync()).Should().Be("Postbacks");
        var cookie = (await session.Context.CookiesAsync()).Should().ContainSingle(c => c.Name == ChatterfyDashboardDefaults.CookieName).Subject;
        cookie.HttpOnly.Should().BeTrue();
        cookie.Secure.Should().BeTrue();
        cookie.SameSite.Should().Be(SameSiteAttribute.Strict);
        cookie.Path.Should().Be(DashboardHost.Prefix);
    }
}
