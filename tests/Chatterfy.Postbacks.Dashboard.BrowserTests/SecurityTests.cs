using Chatterfy.Postbacks.Dashboard.BrowserTests.Infrastructure;
using Chatterfy.Postbacks.Dashboard.Tests.Infrastructure;
using Chatterfy.Postbacks.PostbackSets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Chatterfy.Postbacks.Dashboard.BrowserTests;

/// <summary>Antiforgery and HTML encoding, in a real browser.</summary>
public sealed class SecurityTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_dashboard_form_posted_with_an_altered_antiforgery_token_is_refused_with_400_and_changes_nothing()
    {
        await using var session = await DashboardSession.StartAsync(browser.Browser);
        var page = session.Page;
        await session.SignInAsync();

        // The Sign out form, with its hidden token altered in the page before it is submitted.
        await page.EvaluateAsync("""
            () => {
              const field = document.querySelector('form.sign-out input[name="__RequestVerificationToken"]');
              field.value = field.value.slice(0, -4) + 'AAAA';
            }
            """);
        var response = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync(),
            r => r.Request.Method == "POST");

        response.Status.Should().Be(400);
        (await page.Locator("h1").InnerTextAsync()).Should().Be("Form expired");
        (await session.HasSignInCookieAsync()).Should().BeTrue("the refused sign-out changed nothing");
        await session.GoToAsync("postbacks");
        page.Url.Should().EndWith($"{DashboardHost.Prefix}/postbacks", "still signed in");
    }

    [Fact]
    public async Task A_sign_in_form_posted_without_its_antiforgery_token_is_refused_with_400_and_signs_nobody_in()
    {
        await using var session = await DashboardSession.StartAsync(browser.Browser);
        var page = session.Page;
        await session.GoToAsync("sign-in");

        await page.EvaluateAsync("() => document.querySelector('input[name=\"__RequestVerificationToken\"]').remove()");
        await page.GetByLabel("API key").FillAsync(DashboardHost.ApiKey);
        var response = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync(),
            r => r.Request.Method == "POST");

        response.Status.Should().Be(400);
        (await session.HasSignInCookieAsync()).Should().BeFalse();
    }

    [Fact]
    public async Task A_set_named_like_an_img_tag_shows_as_text_on_the_Postbacks_page_and_runs_nothing()
    {
        const string name = "<img src=x onerror=alert(1)>";
        await using var session = await DashboardSession.StartAsync(browser.Browser);
        var page = session.Page;
        var dialogs = new List<string>();
        page.Dialog += (_, dialog) =>
        {
            dialogs.Add(dialog.Message);
            _ = dialog.DismissAsync();
        };
        await session.Host.Services.GetRequiredService<PostbackSetService>().CreateAsync(new NewPostbackSet { Name = name, NetworkId = "binomo" });
        await session.SignInAsync();

        await Assertions.Expect(page.GetByText(name, new() { Exact = true }).First).ToBeVisibleAsync();
        (await page.Locator("main img").CountAsync()).Should().Be(0);
        dialogs.Should().BeEmpty();
    }
}
