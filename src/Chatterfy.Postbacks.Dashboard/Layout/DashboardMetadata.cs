namespace Chatterfy.Postbacks.Dashboard.Layout;

/// <summary>Endpoint metadata on every dashboard route: marks it as the dashboard's and carries its route prefix.</summary>
/// <param name="Prefix">The prefix the dashboard was mapped at, e.g. <c>/postbacks-admin</c> (no trailing slash).</param>
internal sealed record DashboardMetadata(string Prefix);
