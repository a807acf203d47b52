namespace Chatterfy.Postbacks.Dashboard.BrowserTests.Infrastructure;

/// <summary>The dashboard's pages the layout and accessibility tests visit once signed in (paths inside the dashboard).</summary>
internal static class DashboardPaths
{
    /// <summary>Gets the pages of a signed-in user that need no data.</summary>
    public static IReadOnlyList<string> SignedIn { get; } =
    [
        "postbacks",
        "links",
        "log",
        "stats",
        "forwarding",
    ];
}
