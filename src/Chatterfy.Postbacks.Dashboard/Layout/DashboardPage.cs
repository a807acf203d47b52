using Chatterfy.Postbacks.Dashboard.Html;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Chatterfy.Postbacks.Dashboard.Layout;

/// <summary>
/// One dashboard request as a page sees it: the dashboard's URLs, the antiforgery field for its forms, and
/// <see cref="Render"/>, which wraps a page's body in the layout (navigation, stylesheet, script) and answers it.
/// </summary>
internal sealed class DashboardPage
{
    private readonly HttpContext _context;

    private DashboardPage(HttpContext context, string root)
    {
        _context = context;
        Root = root;
    }

    /// <summary>Gets the dashboard's root URL path (path base included), e.g. <c>/postbacks-admin</c>.</summary>
    public string Root { get; }

    /// <summary>Gets the request.</summary>
    public HttpContext Context => _context;

    /// <summary>Gets whether the user signed in through the dashboard's sign-in page (so a sign-out button is shown).</summary>
    public bool SignedInWithCookie => _context.User.Identity is { IsAuthenticated: true, AuthenticationType: ChatterfyDashboardDefaults.AuthenticationScheme };

    /// <summary>Gets the page for <paramref name="context"/>, a request to a dashboard route.</summary>
    /// <param name="context">The request.</param>
    /// <returns>The page.</returns>
    /// <exception cref="InvalidOperationException">The request is not to a dashboard route.</exception>
    public static DashboardPage For(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var metadata = context.GetEndpoint()?.Metadata.GetMetadata<DashboardMetadata>()
            ?? throw new InvalidOperationException("The request is not to a dashboard route.");
        return new DashboardPage(context, context.Request.PathBase.Add(metadata.Prefix).Value ?? "");
    }

    /// <summary>Returns the URL path of <paramref name="relative"/> inside the dashboard, e.g. <c>Url("log")</c>.</summary>
    /// <param name="relative">The path below the dashboard's root, without a leading slash; may carry a query string.</param>
    /// <returns>The URL path, already escaped by the caller where it holds values (use <see cref="Uri.EscapeDataString(string)"/>).</returns>
    public string Url(string relative) => relative.Length == 0 ? Root + "/" : $"{Root}/{relative}";

    /// <summary>Returns the hidden antiforgery field every form that changes something must carry.</summary>
    /// <returns>The field.</returns>
    public Markup AntiforgeryField()
    {
        var tokens = _context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(_context);
        return Markup.Of($"<input type=\"hidden\" name=\"{tokens.FormFieldName}\" value=\"{tokens.RequestToken}\">");
    }

    /// <summary>Answers the page: <paramref name="body"/> inside the layout.</summary>
    /// <param name="title">The page's title (also its <c>h1</c> is the body's business).</param>
    /// <param name="section">The navigation section the page belongs to.</param>
    /// <param name="body">The page's content.</param>
    /// <param name="statusCode">The status code, 200 unless the page shows a refusal.</param>
    /// <returns>The result.</returns>
    public IResult Render(string title, NavSection section, Markup body, int statusCode = StatusCodes.Status200OK) =>
        new HtmlResult(PageLayout.Write(this, title, section, body), statusCode);

    /// <summary>Redirects to <paramref name="relative"/> inside the dashboard (after a form post: post, redirect, get).</summary>
    /// <param name="relative">The path below the dashboard's root.</param>
    /// <returns>The result.</returns>
    public IResult RedirectTo(string relative) => Results.Redirect(Url(relative));
}
