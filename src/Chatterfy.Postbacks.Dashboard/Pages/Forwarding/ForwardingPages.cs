using Chatterfy.Postbacks.Dashboard.Html;
using Chatterfy.Postbacks.Dashboard.Layout;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Chatterfy.Postbacks.Dashboard.Pages.Forwarding;

/// <summary>The Forwarding section's pages (placeholder until they are written).</summary>
internal static class ForwardingPages
{
    /// <summary>Maps the section's routes.</summary>
    /// <param name="group">The dashboard's route group.</param>
    public static void Map(RouteGroupBuilder group) =>
        group.MapGet("/forwarding", (HttpContext context) =>
        {
            var page = DashboardPage.For(context);
            return page.Render("Forwarding", NavSection.Forwarding, Markup.Of($"<h1>Forwarding</h1>"));
        });
}
