using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Chatterfy.Postbacks.Forwarding.Reactions;

/// <summary>
/// The in-process reaction destination (<c>handler</c>): each matching conversion is given to every
/// <see cref="IConversionHandler"/> registered with DI, through the durable outbox. Its rules take no settings
/// (<c>null</c> or <c>{}</c>).
/// </summary>
public sealed class ConversionHandlerDestination : ForwardingDestination
{
    /// <summary>The destination's id.</summary>
    public const string DestinationId = "handler";

    private readonly IServiceScopeFactory _scopes;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="ConversionHandlerDestination"/> class.</summary>
    /// <param name="scopes">Makes the DI scope in which the handlers of one delivery are resolved.</param>
    /// <param name="logger">Logs a handler's failure.</param>
    public ConversionHandlerDestination(IServiceScopeFactory scopes, ILogger<ConversionHandlerDestination>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        _scopes = scopes;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <inheritdoc />
    public override string Id => DestinationId;

    /// <inheritdoc />
    public override string DisplayName => "Conversion handler (in-process)";

    /// <inheritdoc />
    public override JsonObject? SettingsSchema => new() { ["type"] = "object", ["properties"] = new JsonObject(), ["additionalProperties"] = false };

    /// <inheritdoc />
    public override DestinationProfile CreateProfile(JsonElement settings)
    {
        var empty = settings.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null
            || (settings.ValueKind == JsonValueKind.Object && !settings.EnumerateObject().Any());
        return empty
            ? new ConversionHandlerProfile(_scopes, _logger)
            : throw new InvalidDestinationSettingsException(Id, [new DestinationSettingsError("settings", "The handler destination takes no settings; send null or {}.")]);
    }
}
