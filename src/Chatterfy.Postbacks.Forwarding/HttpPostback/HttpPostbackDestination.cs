using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Templates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Chatterfy.Postbacks.Forwarding.HttpPostback;

/// <summary>
/// A server-to-server postback to another tracker or network: a URL template rendered per conversion, sent as GET or as a
/// POST form or JSON body. Success is any 2xx; network errors, 408, 429 (honouring <c>Retry-After</c>) and 5xx are retried;
/// any other answer dead-letters the message.
/// </summary>
public sealed class HttpPostbackDestination : ForwardingDestination<HttpPostbackSettings>
{
    /// <summary>The destination id, <c>http-postback</c>.</summary>
    public const string DestinationId = "http-postback";

    private const int MaxTemplateLength = 4096;

    private readonly TimeProvider _timeProvider;
    private readonly IOptionsMonitor<ForwardingOptions>? _options;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="HttpPostbackDestination"/> class on the system clock.</summary>
    public HttpPostbackDestination()
        : this(TimeProvider.System)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="HttpPostbackDestination"/> class.</summary>
    /// <param name="timeProvider">The clock, for durations and <c>Retry-After</c> dates.</param>
    /// <param name="options">The forwarding options (response body cap), or <see langword="null"/> for the defaults.</param>
    /// <param name="logger">The logger, or <see langword="null"/>.</param>
    public HttpPostbackDestination(TimeProvider timeProvider, IOptionsMonitor<ForwardingOptions>? options = null, ILogger<HttpPostbackDestination>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
        _options = options;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <inheritdoc />
    public override string Id => DestinationId;

    /// <inheritdoc />
    public override string DisplayName => "HTTP postback";

    /// <inheritdoc />
    protected override void Validate(HttpPostbackSettings settings, ICollection<DestinationSettingsError> errors)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(errors);
        // A missing template is refused by the binder, from the setting's [Required].
        if (!string.IsNullOrWhiteSpace(settings.UrlTemplate))
        {
            if (settings.UrlTemplate.Length > MaxTemplateLength)
            {
                errors.Add(new("settings.urlTemplate", $"The URL template is longer than {MaxTemplateLength} characters."));
            }
            else if (PostbackUrlTemplate.Validate(settings.UrlTemplate) is { } problem)
            {
                errors.Add(new("settings.urlTemplate", problem));
            }
        }

        var method = settings.Method?.ToUpperInvariant();
        if (method is not ("GET" or "POST"))
        {
            errors.Add(new("settings.method", $"'{settings.Method}' is not supported; use GET or POST."));
        }

        if (settings.BodyFormat is { } format)
        {
            if (method == "GET")
            {
                errors.Add(new("settings.bodyFormat", "A GET postback has no body; remove bodyFormat or use the POST method."));
            }
            else if (!format.Equals("form", StringComparison.OrdinalIgnoreCase) && !format.Equals("json", StringComparison.OrdinalIgnoreCase))
            {
                errors.Add(new("settings.bodyFormat", $"'{format}' is not a body format; use form or json."));
            }
        }

        if (settings.Events is not null)
        {
            for (var i = 0; i < settings.Events.Count; i++)
            {
                if (!PostbackEvent.TryParse(settings.Events[i], out _))
                {
                    errors.Add(new($"settings.events[{i}]", $"'{settings.Events[i]}' is not an event name; use {EventNameHint.Text}."));
                }
            }
        }
    }

    /// <inheritdoc />
    protected override DestinationProfile CreateProfile(HttpPostbackSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var method = settings.Method.ToUpperInvariant();
        var format = method == "GET" ? PostbackBodyFormat.None
            : settings.BodyFormat?.Equals("json", StringComparison.OrdinalIgnoreCase) == true ? PostbackBodyFormat.Json
            : PostbackBodyFormat.Form;
        HashSet<string>? events = null;
        if (settings.Events is not null)
        {
            events = new HashSet<string>(StringComparer.Ordinal);
            foreach (var name in settings.Events)
            {
                _ = PostbackEvent.TryParse(name, out var parsed);
                events.Add(parsed.Name);
            }
        }

        return new HttpPostbackProfile(
            LinkTemplate.Parse(settings.UrlTemplate!, UnknownMacroBehavior.Empty),
            format,
            events,
            _timeProvider,
            _options?.CurrentValue.MaxResponseBodyBytes ?? Http.DestinationHttp.DefaultMaxResponseBodyBytes,
            _logger);
    }
}
