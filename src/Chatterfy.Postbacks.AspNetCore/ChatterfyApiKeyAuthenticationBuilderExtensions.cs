using Chatterfy.Postbacks.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Adds the API-key authentication scheme that protects the tracker API:
/// <c>builder.Services.AddAuthentication(ChatterfyApiKeyDefaults.AuthenticationScheme).AddChatterfyApiKey(…)</c>, then
/// <c>AddAuthorization()</c> and <c>app.MapChatterfyTrackerApi().RequireAuthorization()</c>.
/// </summary>
/// <remarks>
/// <para>
/// A request is authenticated when its <c>X-Api-Key</c> header holds one of <see cref="ChatterfyApiKeyOptions.Keys"/>
/// (several keys are accepted at once, for a rotation). Keys are compared as SHA-256 hashes in fixed time. A challenge
/// answers 401 and a forbidden request 403, each with an <c>application/problem+json</c> body whose <c>code</c> is
/// <c>api_key_missing</c>, <c>api_key_invalid</c> or <c>forbidden</c>. A presented key is never logged or echoed.
/// </para>
/// <para>
/// To make it the scheme that <c>RequireAuthorization()</c> uses, name it as the default
/// (<c>AddAuthentication(ChatterfyApiKeyDefaults.AuthenticationScheme)</c>), or, when another scheme is the default (a
/// cookie for a UI), use a policy: <c>AddAuthorizationBuilder().AddPolicy("tracker", p =&gt;
/// p.AddAuthenticationSchemes(ChatterfyApiKeyDefaults.AuthenticationScheme).RequireAuthenticatedUser())</c> and
/// <c>RequireAuthorization("tracker")</c>. The options are validated at start-up: no key, or a key that is not visible
/// ASCII, fails the start with a message naming the option's path.
/// </para>
/// </remarks>
public static class ChatterfyApiKeyAuthenticationBuilderExtensions
{
    /// <summary>
    /// Adds the scheme <see cref="ChatterfyApiKeyDefaults.AuthenticationScheme"/> with its options bound to the
    /// configuration section <c>Authentication:Schemes:ChatterfyApiKey</c> (keys in
    /// <c>Authentication:Schemes:ChatterfyApiKey:Keys:0</c>, …), ASP.NET Core's convention for a scheme's options.
    /// </summary>
    /// <param name="builder">The builder from <c>services.AddAuthentication()</c>.</param>
    /// <returns>The builder.</returns>
    public static AuthenticationBuilder AddChatterfyApiKey(this AuthenticationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<ChatterfyApiKeyOptions>(ChatterfyApiKeyDefaults.AuthenticationScheme)
            .BindConfiguration(ChatterfyApiKeyDefaults.ConfigurationSection);
        return AddScheme(builder, ChatterfyApiKeyDefaults.ConfigurationSection + ":" + nameof(ChatterfyApiKeyOptions.Keys), fromConfiguration: true, configure: null);
    }

    /// <summary>Adds the scheme <see cref="ChatterfyApiKeyDefaults.AuthenticationScheme"/> with its options set in code.</summary>
    /// <param name="builder">The builder from <c>services.AddAuthentication()</c>.</param>
    /// <param name="configure">Sets the options, e.g. <c>o =&gt; o.Keys.Add(key)</c>.</param>
    /// <returns>The builder.</returns>
    public static AuthenticationBuilder AddChatterfyApiKey(this AuthenticationBuilder builder, Action<ChatterfyApiKeyOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        return AddScheme(builder, nameof(ChatterfyApiKeyOptions) + "." + nameof(ChatterfyApiKeyOptions.Keys), fromConfiguration: false, configure);
    }

    /// <summary>
    /// Adds the scheme <see cref="ChatterfyApiKeyDefaults.AuthenticationScheme"/> with its options bound to a configuration
    /// section, e.g. <c>configuration.GetSection("Tracker")</c> with the keys in <c>Tracker:Keys:0</c>, <c>Tracker:Keys:1</c>
    /// (environment variables <c>Tracker__Keys__0</c>, …). A change of the section takes effect without a restart.
    /// </summary>
    /// <param name="builder">The builder from <c>services.AddAuthentication()</c>.</param>
    /// <param name="configuration">The section holding <c>Keys</c>.</param>
    /// <returns>The builder.</returns>
    public static AuthenticationBuilder AddChatterfyApiKey(this AuthenticationBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        builder.Services.AddOptions<ChatterfyApiKeyOptions>(ChatterfyApiKeyDefaults.AuthenticationScheme).Bind(configuration);
        var keysPath = configuration is IConfigurationSection { Path.Length: > 0 } section
            ? section.Path + ":" + nameof(ChatterfyApiKeyOptions.Keys)
            : nameof(ChatterfyApiKeyOptions.Keys);
        return AddScheme(builder, keysPath, fromConfiguration: true, configure: null);
    }

    private static AuthenticationBuilder AddScheme(AuthenticationBuilder builder, string keysPath, bool fromConfiguration, Action<ChatterfyApiKeyOptions>? configure)
    {
        const string Scheme = ChatterfyApiKeyDefaults.AuthenticationScheme;
        builder.Services.AddOptions<ChatterfyApiKeyOptions>(Scheme).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ChatterfyApiKeyOptions>>(new ChatterfyApiKeyOptionsValidator(Scheme, keysPath, fromConfiguration));
        return builder.AddScheme<ChatterfyApiKeyOptions, ChatterfyApiKeyHandler>(Scheme, ChatterfyApiKeyDefaults.DisplayName, configure);
    }
}
