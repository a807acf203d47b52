using Chatterfy.Postbacks.Dashboard.Assets;
using Chatterfy.Postbacks.Dashboard.Html;

namespace Chatterfy.Postbacks.Dashboard.Layout;

/// <summary>The page around every dashboard page: head (stylesheet, script), skip link, navigation, main.</summary>
internal static class PageLayout
{
    private static readonly (NavSection Section, string Path, string Label)[] Sections =
    [
        (NavSection.Postbacks, "postbacks", "Postbacks"),
        (NavSection.Links, "links", "Links"),
        (NavSection.Log, "log", "Log"),
        (NavSection.Conversions, "conversions", "Conversions"),
        (NavSection.Stats, "stats", "Stats"),
        (NavSection.Forwarding, "forwarding", "Forwarding"),
    ];

    /// <summary>Writes the whole page.</summary>
    /// <param name="page">The request.</param>
    /// <param name="title">The page's title.</param>
    /// <param name="section">The current section.</param>
    /// <param name="body">The page's content.</param>
    /// <returns>The HTML document.</returns>
    public static Markup Write(DashboardPage page, string title, NavSection section, Markup body)
    {
        var nav = section == NavSection.None ? Markup.Empty : Navigation(page, section);
        return Markup.Of($"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{title} · Chatterfy Postbacks</title>
            <link rel="stylesheet" href="{page.Url(AssetEndpoints.Path(AssetEndpoints.Stylesheet))}">
            <script src="{page.Url(AssetEndpoints.Path(AssetEndpoints.Script))}" defer></script>
            </head>
            <body>
            <a class="skip-link" href="#main">Skip to content</a>
            <header class="site-header">
            <a class="brand" href="{page.Url("")}">Chatterfy Postbacks</a>
            {nav}
            </header>
            <main id="main" tabindex="-1">
            {body}
            </main>
            </body>
            </html>
            """);
    }

    private static Markup Navigation(DashboardPage page, NavSection current)
    {
        var items = Sections.Select(s => s.Section == current
            ? Markup.Of($"""<li><a href="{page.Url(s.Path)}" aria-current="page">{s.Label}</a></li>""")
            : Markup.Of($"""<li><a href="{page.Url(s.Path)}">{s.Label}</a></li>"""));
        var signOut = Markup.If(page.SignedInWithCookie, Markup.Of($"""
            <form class="sign-out" method="post" action="{page.Url("sign-out")}">{page.AntiforgeryField()}<button type="submit">Sign out</button></form>
            """));
        return Markup.Of($"""
            <nav aria-label="Dashboard">
            <ul>{items}</ul>
            {signOut}
            </nav>
            """);
    }
}
