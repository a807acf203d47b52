using System.Buffers;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Chatterfy.Postbacks.Forwarding;

/// <summary>
/// Protects and reveals the secret settings of forwarding rules with ASP.NET Core Data Protection
/// (<see cref="ForwardingOptions.ProtectSecrets"/>). Only a destination's declared secrets
/// (<see cref="ForwardingDestination.SecretSettings"/>, top level, names matched as <see cref="SecretMasker"/> does) are
/// touched, so the rest of the settings stay readable. A protected value is the string <see cref="Marker"/> followed by
/// the protected JSON text of the value, so plain and protected values can be told apart and a store holding both works.
/// </summary>
internal sealed class RuleSecretProtector
{
    /// <summary>Marks a protected value, and versions its format.</summary>
    internal const string Marker = "dp1:";

    /// <summary>The Data Protection purpose of rule secrets. Changing it makes every stored secret unreadable.</summary>
    internal const string Purpose = "Chatterfy.Postbacks.Forwarding.RuleSecrets";

    // Non-ASCII text of the other settings stays as written (this is stored text, never HTML).
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly Lazy<IDataProtector?> _protector;
    private readonly IOptionsMonitor<ForwardingOptions> _options;

    /// <param name="services">
    /// Gives the host's Data Protection (<see cref="IDataProtectionProvider"/>), or none when it registered none. Asked only
    /// once a secret is to be protected or a protected one read, so a host that never does is not made to create its key ring.
    /// </param>
    /// <param name="options">The forwarding options, for <see cref="ForwardingOptions.ProtectSecrets"/>.</param>
    public RuleSecretProtector(IServiceProvider services, IOptionsMonitor<ForwardingOptions> options)
        : this(services.GetService<IDataProtectionProvider>, options)
    {
    }

    /// <param name="provider">Gets the host's Data Protection, or <see langword="null"/> when it registered none; called as above.</param>
    /// <param name="options">The forwarding options, for <see cref="ForwardingOptions.ProtectSecrets"/>.</param>
    internal RuleSecretProtector(Func<IDataProtectionProvider?> provider, IOptionsMonitor<ForwardingOptions> options)
    {
        _protector = new(() => provider()?.CreateProtector(Purpose));
        _options = options;
    }

    /// <summary>Gets a value indicating whether secrets are protected before they are stored.</summary>
    public bool IsEnabled => _options.CurrentValue.ProtectSecrets;

    /// <summary>
    /// Returns the settings with every plain secret protected, or <see langword="null"/> when none is plain (no secret, or
    /// all protected already): protecting what is protected changes nothing.
    /// </summary>
    /// <exception cref="InvalidOperationException">No Data Protection is registered (the start-up check prevents it).</exception>
    public JsonElement? Protect(JsonElement settings, IReadOnlyList<string> secrets)
    {
        if (!Any(settings, secrets, isProtected: false))
        {
            return null;
        }

        var protector = _protector.Value ?? throw new InvalidOperationException(
            "Postbacks:Forwarding:ProtectSecrets is on, but no Data Protection is registered (services.AddDataProtection()).");
        return Rewrite(settings, secrets, (writer, value) =>
        {
            if (IsProtected(value))
            {
                value.WriteTo(writer);
            }
            else
            {
                writer.WriteStringValue(Marker + protector.Protect(value.GetRawText()));
            }

            return true;
        });
    }

    /// <summary>
    /// Unprotects the protected secrets of <paramref name="settings"/>; plain ones are taken as they are.
    /// </summary>
    /// <param name="settings">The settings as stored.</param>
    /// <param name="secrets">The destination's secret settings.</param>
    /// <param name="revealed">The settings with every secret plain; <paramref name="settings"/> itself when none is protected.</param>
    /// <returns><see langword="false"/> when a protected secret cannot be unprotected with this host's key ring.</returns>
    public bool TryReveal(JsonElement settings, IReadOnlyList<string> secrets, out JsonElement revealed)
    {
        revealed = settings;
        if (!Any(settings, secrets, isProtected: true))
        {
            return true;
        }

        var readable = true;
        var result = Rewrite(settings, secrets, (writer, value) =>
        {
            if (!IsProtected(value))
            {
                value.WriteTo(writer);
                return true;
            }

            if (TryUnprotect(value.GetString()!, out var plain))
            {
                plain.WriteTo(writer);
                return true;
            }

            readable = false;
            return false;
        });
        if (readable)
        {
            revealed = result;
        }

        return readable;
    }

    /// <summary>
    /// Unprotects what it can for masking (so a masked secret still hints at the real one): a protected secret that cannot
    /// be unprotected becomes an empty string, which masks as <c>****</c>.
    /// </summary>
    public JsonElement RevealForMasking(JsonElement settings, IReadOnlyList<string> secrets)
    {
        if (!Any(settings, secrets, isProtected: true))
        {
            return settings;
        }

        return Rewrite(settings, secrets, (writer, value) =>
        {
            if (!IsProtected(value))
            {
                value.WriteTo(writer);
            }
            else if (TryUnprotect(value.GetString()!, out var plain))
            {
                plain.WriteTo(writer);
            }
            else
            {
                writer.WriteStringValue("");
            }

            return true;
        });
    }

    private static bool IsProtected(JsonElement value) =>
        value.ValueKind == JsonValueKind.String && value.GetString()!.StartsWith(Marker, StringComparison.Ordinal);

    // Whether a declared secret holds a value (not null) that is protected, or plain.
    private static bool Any(JsonElement settings, IReadOnlyList<string> secrets, bool isProtected)
    {
        if (settings.ValueKind != JsonValueKind.Object || secrets.Count == 0)
        {
            return false;
        }

        foreach (var property in settings.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.Null
                && SecretMasker.IsSecret(property.Name, secrets)
                && IsProtected(property.Value) == isProtected)
            {
                return true;
            }
        }

        return false;
    }

    private bool TryUnprotect(string value, out JsonElement plain)
    {
        plain = default;
        if (_protector.Value is not { } protector)
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(protector.Unprotect(value[Marker.Length..]));
            plain = document.RootElement.Clone();
            return true;
        }
        catch (Exception exception) when (exception is CryptographicException or FormatException or JsonException)
        {
            // Another key ring, another application's keys, or a value that only looks protected.
            return false;
        }
    }

    // Copies the settings object, letting writeSecret write each declared secret's non-null value; it returns false to stop.
    private static JsonElement Rewrite(JsonElement settings, IReadOnlyList<string> secrets, Func<Utf8JsonWriter, JsonElement, bool> writeSecret)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            foreach (var property in settings.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.Null || !SecretMasker.IsSecret(property.Name, secrets))
                {
                    property.WriteTo(writer);
                    continue;
                }

                writer.WritePropertyName(property.Name);
                if (!writeSecret(writer, property.Value))
                {
                    return settings;
                }
            }

            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }
}
