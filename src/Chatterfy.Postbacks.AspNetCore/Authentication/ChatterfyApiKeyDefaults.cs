namespace Chatterfy.Postbacks.AspNetCore.Authentication;

/// <summary>The names of the API-key authentication scheme that protects the tracker API (<c>AddChatterfyApiKey</c>).</summary>
public static class ChatterfyApiKeyDefaults
{
    /// <summary>
    /// The scheme's name, <c>ChatterfyApiKey</c>: pass it to <c>AddAuthentication(…)</c> to make the scheme the default for
    /// <c>RequireAuthorization()</c>, or to <c>AuthorizationPolicyBuilder.AddAuthenticationSchemes(…)</c> in a policy.
    /// </summary>
    public const string AuthenticationScheme = "ChatterfyApiKey";

    /// <summary>The request header that carries the API key, <c>X-Api-Key</c>.</summary>
    public const string HeaderName = "X-Api-Key";

    /// <summary>The configuration section that <c>AddChatterfyApiKey()</c> without arguments binds, ASP.NET Core's convention for a scheme's options.</summary>
    internal const string ConfigurationSection = "Authentication:Schemes:" + AuthenticationScheme;

    /// <summary>The scheme's display name.</summary>
    internal const string DisplayName = "Chatterfy API key";
}
