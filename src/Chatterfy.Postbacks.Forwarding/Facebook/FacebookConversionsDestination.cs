using System.Collections.Frozen;
using Chatterfy.Postbacks.Ingestion;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Chatterfy.Postbacks.Forwarding.Facebook;

/// <summary>
/// The Facebook (Meta) Conversions API: <c>POST {graphBaseUrl}/{apiVersion}/{pixelId}/events</c>, up to 1,000 events a
/// call, <c>event_id</c> = the conversion id so Meta de-duplicates retries, user data from the click.
/// </summary>
public sealed class FacebookConversionsDestination : ForwardingDestination<FacebookConversionsSettings>
{
    /// <summary>The destination id, <c>facebook-capi</c>.</summary>
    public const string DestinationId = "facebook-capi";

    /// <summary>The default Graph API version.</summary>
    public const string DefaultApiVersion = "v21.0";

    /// <summary>The default Graph API base URL.</summary>
    public const string DefaultGraphBaseUrl = "https://graph.facebook.com";

    private static readonly FrozenSet<string> ActionSources = FrozenSet.Create(
        StringComparer.Ordinal, "email", "website", "app", "phone_call", "chat", "physical_store", "system_generated", "business_messaging", "other");

    private readonly TimeProvider _timeProvider;
    private readonly IOptionsMonitor<ForwardingOptions>? _options;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="FacebookConversionsDestination"/> class on the system clock.</summary>
    public FacebookConversionsDestination()
        : this(TimeProvider.System)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="FacebookConversionsDestination"/> class.</summary>
    /// <param name="timeProvider">The clock: event times are clamped to it and the 7-day limit is measured by it.</param>
    /// <param name="options">The forwarding options (response body cap), or <see langword="null"/> for the defaults.</param>
    /// <param name="logger">The logger, or <see langword="null"/>.</param>
    public FacebookConversionsDestination(TimeProvider timeProvider, IOptionsMonitor<ForwardingOptions>? options = null, ILogger<FacebookConversionsDestination>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
        _options = options;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <inheritdoc />
    public override string Id => DestinationId;

    /// <inheritdoc />
    public override string DisplayName => "Facebook Conversions API";

    /// <inheritdoc />
    public override IReadOnlyList<string> SecretSettings { get; } = ["accessToken"];

    /// <inheritdoc />
    protected override void Validate(FacebookConversionsSettings settings, ICollection<DestinationSettingsError> errors)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(errors);
        // A missing pixel id or access token is refused by the binder, from the setting's [Required].
        if (!string.IsNullOrWhiteSpace(settings.PixelId) && (settings.PixelId.Length > 32 || !settings.PixelId.All(char.IsAsciiDigit)))
        {
            errors.Add(new("settings.pixelId", "The pixel id must be 1 to 32 digits, as shown in Events Manager."));
        }

        if (!string.IsNullOrWhiteSpace(settings.AccessToken) && (settings.AccessToken.Length > 1024 || settings.AccessToken.Any(c => c <= ' ' || c > '~')))
        {
            errors.Add(new("settings.accessToken", "The access token must be printable ASCII without spaces, at most 1024 characters."));
        }

        if (!IsApiVersion(settings.ApiVersion))
        {
            errors.Add(new("settings.apiVersion", $"'{settings.ApiVersion}' is not a Graph API version; write it as v<major>.<minor>, e.g. \"{DefaultApiVersion}\"."));
        }

        if (settings.TestEventCode is { } code && (code.Length is 0 or > 64 || !code.All(char.IsAsciiLetterOrDigit)))
        {
            errors.Add(new("settings.testEventCode", "The test event code must be 1 to 64 letters or digits, e.g. \"TEST12345\"."));
        }

        if (settings.ActionSource is { } source && !ActionSources.Contains(source))
        {
            errors.Add(new("settings.actionSource", $"'{source}' is not an action source; use one of {string.Join(", ", ActionSources.Order(StringComparer.Ordinal))}."));
        }

        if (!TryParseBaseUrl(settings.GraphBaseUrl, out _))
        {
            errors.Add(new("settings.graphBaseUrl", "The Graph API base URL must be an absolute http(s) URL without query or fragment, e.g. \"https://graph.facebook.com\"."));
        }

        if (settings.Events is not null)
        {
            var seen = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (ours, theirs) in settings.Events)
            {
                var field = "settings.events." + ours;
                if (!PostbackEvent.TryParse(ours, out var parsed))
                {
                    errors.Add(new(field, $"'{ours}' is not an event name; use {EventNameHint.Text}."));
                }
                else if (seen.TryGetValue(parsed.Name, out var previous))
                {
                    errors.Add(new(field, $"'{ours}' and '{previous}' both name the event '{parsed.Name}'; map it once."));
                }
                else
                {
                    seen.Add(parsed.Name, ours);
                }

                if (theirs is not null && !IsMetaEventName(theirs))
                {
                    errors.Add(new(field, $"'{theirs}' is not a Meta event name; use a standard event such as Purchase or a custom name of 1 to 50 letters, digits, '_' or '-'."));
                }
            }
        }
    }

    /// <inheritdoc />
    protected override DestinationProfile CreateProfile(FacebookConversionsSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _ = TryParseBaseUrl(settings.GraphBaseUrl, out var baseUrl);
        var events = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [PostbackEvent.Registration.Name] = "CompleteRegistration",
            [PostbackEvent.FirstDeposit.Name] = "Purchase",
        };
        if (settings.Events is not null)
        {
            foreach (var (ours, theirs) in settings.Events)
            {
                _ = PostbackEvent.TryParse(ours, out var parsed);
                events[parsed.Name] = theirs;
            }
        }

        return new FacebookConversionsProfile(
            new FacebookConversionsProfile.Configuration(
                baseUrl!,
                settings.ApiVersion,
                settings.PixelId!,
                settings.AccessToken!,
                settings.TestEventCode,
                settings.ActionSource,
                events.Where(e => e.Value is not null).ToFrozenDictionary(e => e.Key, e => e.Value!, StringComparer.Ordinal)),
            _timeProvider,
            _options?.CurrentValue.MaxResponseBodyBytes ?? Http.DestinationHttp.DefaultMaxResponseBodyBytes,
            _logger);
    }

    private static bool IsApiVersion(string? version)
    {
        // v<major>.<minor>, e.g. v21.0.
        if (version is not { Length: >= 4 and <= 12 } || version[0] != 'v')
        {
            return false;
        }

        var dot = version.IndexOf('.', StringComparison.Ordinal);
        return dot > 1 && dot < version.Length - 1
            && version.AsSpan(1, dot - 1).IndexOfAnyExceptInRange('0', '9') < 0
            && version.AsSpan(dot + 1).IndexOfAnyExceptInRange('0', '9') < 0;
    }

    private static bool IsMetaEventName(string name) =>
        name.Length is >= 1 and <= 50 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');

    private static bool TryParseBaseUrl(string? text, out Uri? url)
    {
        url = null;
        if (string.IsNullOrEmpty(text)
            || !Uri.TryCreate(text.TrimEnd('/'), UriKind.Absolute, out var parsed)
            || (parsed.Scheme != Uri.UriSchemeHttps && parsed.Scheme != Uri.UriSchemeHttp)
            || !string.IsNullOrEmpty(parsed.Query)
            || !string.IsNullOrEmpty(parsed.Fragment)
            || !string.IsNullOrEmpty(parsed.UserInfo))
        {
            return false;
        }

        url = parsed;
        return true;
    }
}
