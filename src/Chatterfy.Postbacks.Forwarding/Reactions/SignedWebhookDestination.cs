using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Chatterfy.Postbacks.Forwarding.Reactions;

/// <summary>
/// The signed webhook destination (<c>signed-webhook</c>): each matching conversion is posted as JSON to the rule's URL,
/// signed with <see cref="WebhookSignature"/>, for a bot that lives in another process. The URL keeps the outbound policy
/// unless its host is in <see cref="WebhookOptions.AllowedHosts"/>.
/// </summary>
public sealed class SignedWebhookDestination : ForwardingDestination<SignedWebhookSettings>
{
    /// <summary>The destination's id.</summary>
    public const string DestinationId = "signed-webhook";

    /// <summary>The fewest characters a signing secret has.</summary>
    public const int MinSecretLength = 16;

    private readonly TimeProvider _timeProvider;
    private readonly IOptionsMonitor<ForwardingOptions>? _options;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="SignedWebhookDestination"/> class.</summary>
    /// <param name="timeProvider">The clock of the signature's timestamp.</param>
    /// <param name="options">The forwarding options (the largest answer read).</param>
    /// <param name="logger">Logs retries and dead letters.</param>
    public SignedWebhookDestination(TimeProvider timeProvider, IOptionsMonitor<ForwardingOptions>? options = null, ILogger<SignedWebhookDestination>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
        _options = options;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <inheritdoc />
    public override string Id => DestinationId;

    /// <inheritdoc />
    public override string DisplayName => "Signed webhook";

    /// <inheritdoc />
    public override IReadOnlyList<string> SecretSettings => ["secret", "previousSecret"];

    /// <inheritdoc />
    protected override void Validate(SignedWebhookSettings settings, ICollection<DestinationSettingsError> errors)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(errors);
        if (!string.IsNullOrWhiteSpace(settings.Url)
            && (!Uri.TryCreate(settings.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)))
        {
            errors.Add(new("settings.url", $"'{settings.Url}' is not an absolute http or https URL."));
        }

        ValidateSecret("settings.secret", settings.Secret, errors);
        ValidateSecret("settings.previousSecret", settings.PreviousSecret, errors);
    }

    /// <inheritdoc />
    protected override DestinationProfile CreateProfile(SignedWebhookSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        string[] secrets = settings.PreviousSecret is { Length: > 0 } previous ? [settings.Secret!, previous] : [settings.Secret!];
        return new SignedWebhookProfile(
            new Uri(settings.Url!),
            secrets,
            _timeProvider,
            _options?.CurrentValue.MaxResponseBodyBytes ?? Http.DestinationHttp.DefaultMaxResponseBodyBytes,
            _logger);
    }

    private static void ValidateSecret(string field, string? secret, ICollection<DestinationSettingsError> errors)
    {
        if (secret is null)
        {
            return;
        }

        if (secret.Length < MinSecretLength || secret.Any(c => c is < '!' or > '~'))
        {
            errors.Add(new(field, $"A signing secret has at least {MinSecretLength} printable ASCII characters without spaces."));
        }
    }
}
