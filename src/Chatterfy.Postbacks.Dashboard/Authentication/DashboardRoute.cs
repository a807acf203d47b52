namespace Chatterfy.Postbacks.Dashboard.Authentication;

/// <summary>Where the host mapped the dashboard (one dashboard per host): set by <c>MapChatterfyDashboard</c>, read by the sign-in cookie's options.</summary>
internal sealed class DashboardRoute
{
    private string? _prefix;

    /// <summary>Gets the prefix the dashboard is mapped at, e.g. <c>/postbacks-admin</c>.</summary>
    /// <exception cref="InvalidOperationException">The dashboard is not mapped.</exception>
    public string Prefix => _prefix ?? throw new InvalidOperationException("The dashboard is not mapped: call app.MapChatterfyDashboard(…).");

    /// <summary>Records the prefix.</summary>
    /// <param name="prefix">The prefix.</param>
    /// <exception cref="InvalidOperationException">The dashboard was already mapped at another prefix.</exception>
    public void Set(string prefix)
    {
        var previous = Interlocked.CompareExchange(ref _prefix, prefix, null);
        if (previous is not null && !string.Equals(previous, prefix, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The dashboard is already mapped at '{previous}'; a host maps one dashboard.");
        }
    }
}
