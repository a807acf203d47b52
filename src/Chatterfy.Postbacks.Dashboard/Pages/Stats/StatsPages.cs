using Chatterfy.Postbacks.Dashboard.Html;
using Chatterfy.Postbacks.Dashboard.Layout;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Chatterfy.Postbacks.Dashboard.Pages.Stats;

/// <summary>The Stats section's pages (placeholder until they are written).</summary>
internal static class StatsPages
{
    /// <summary>Maps the section's routes.</summary>
    /// <param name="group">The dashboard's route group.</param>
    public static void Map(RouteGroupBuilder group) =>
        group.MapGet("/stats", (HttpContext context) =>
        {
            var page = DashboardPage.For(context);
            return page.Render("Stats", NavSection.Stats, Markup.Of($"<h1>Stats</h1>"));
        });
}
