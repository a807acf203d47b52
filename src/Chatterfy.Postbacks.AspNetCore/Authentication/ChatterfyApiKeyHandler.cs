using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Chatterfy.Postbacks.AspNetCore.Authentication;

/// <summary>
/// The API-key scheme: authenticates a request whose <c>X-Api-Key</c> header holds one of the configured keys
/// (<see cref="ApiKeyRing"/>); answers a challenge with 401 and a forbidden request with 403, each with an
/// <c>application/problem+json</c> body. A presented key is never logged or echoed.
/// </summary>
internal sealed class ChatterfyApiKeyHandler(IOptionsMonitor<ChatterfyApiKeyOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<ChatterfyApiKeyOptions>(options, logger, encoder)
{
    public const string MissingCode = "api_key_missing";
    public const string WrongCode = "api_key_invalid";
    public const string ForbiddenCode = "forbidden";

    /// <summary>The name of the authenticated identity.</summary>
    public const string IdentityName = "api-key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync() =>
        Task.FromResult(ApiKeyRing.For(Options).Check(Request.Headers[ChatterfyApiKeyDefaults.HeaderName]) switch
        {
            ApiKeyCheck.Missing => AuthenticateResult.NoResult(),
            ApiKeyCheck.Wrong => AuthenticateResult.Fail($"The {ChatterfyApiKeyDefaults.HeaderName} header does not hold one of the scheme's keys."),
            _ => AuthenticateResult.Success(new AuthenticationTicket(
                new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, IdentityName, ClaimValueTypes.String, ClaimsIssuer)], Scheme.Name)),
                Scheme.Name)),
        });

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        var wrong = result.Failure is not null;
        Response.Headers.WWWAuthenticate = $"ApiKey header=\"{ChatterfyApiKeyDefaults.HeaderName}\"";
        await Problem(
            StatusCodes.Status401Unauthorized,
            wrong ? "Wrong API key." : "Missing API key.",
            wrong
                ? $"The {ChatterfyApiKeyDefaults.HeaderName} header does not hold a valid API key."
                : $"Send the API key in the {ChatterfyApiKeyDefaults.HeaderName} header.",
            wrong ? WrongCode : MissingCode).ConfigureAwait(false);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) => Problem(
        StatusCodes.Status403Forbidden,
        "Forbidden.",
        "The API key is valid, but this endpoint's policy does not allow the request.",
        ForbiddenCode);

    private Task Problem(int status, string title, string detail, string code)
    {
        var details = new ProblemDetails { Status = status, Title = title, Detail = detail };
        details.Extensions["code"] = code;
        return TypedResults.Problem(details).ExecuteAsync(Context);
    }
}
