namespace Chatterfy.Postbacks.Dashboard;

/// <summary>Names and defaults of the dashboard.</summary>
public static class ChatterfyDashboardDefaults
{
    /// <summary>The route prefix the sample host and the docs use: <c>/postbacks-admin</c>.</summary>
    public const string Path = "/postbacks-admin";

    /// <summary>
    /// The cookie authentication scheme of the dashboard's sign-in page (used when the host's tracker API uses the
    /// API-key scheme): <c>ChatterfyDashboard</c>.
    /// </summary>
    public const string AuthenticationScheme = "ChatterfyDashboard";

    /// <summary>The name of the sign-in cookie.</summary>
    public const string CookieName = ".Chatterfy.Dashboard";
}
