using Chatterfy.Postbacks.Dashboard.Html;
using Microsoft.AspNetCore.Http;

namespace Chatterfy.Postbacks.Dashboard.Layout;

/// <summary>An HTML page answer.</summary>
/// <param name="page">The page.</param>
/// <param name="statusCode">The status code.</param>
internal sealed class HtmlResult(Markup page, int statusCode) : IResult, IStatusCodeHttpResult, IContentTypeHttpResult
{
    /// <inheritdoc />
    public int? StatusCode => statusCode;

    /// <inheritdoc />
    public string ContentType => "text/html; charset=utf-8";

    /// <inheritdoc />
    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Response.StatusCode = statusCode;
        httpContext.Response.ContentType = ContentType;
        return httpContext.Response.WriteAsync(page.Html, httpContext.RequestAborted);
    }
}
