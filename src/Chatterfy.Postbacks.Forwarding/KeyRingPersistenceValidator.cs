using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Chatterfy.Postbacks.Forwarding;

/// <summary>
/// Refuses <see cref="ForwardingOptions.ProtectSecrets"/> at start-up unless Data Protection's key ring is persisted:
/// secrets protected with keys that die with the process would be unreadable after a restart.
/// </summary>
/// <remarks>
/// "Persisted" means a key repository the host configured (<c>KeyManagementOptions.XmlRepository</c>, set by
/// <c>PersistKeysToFileSystem</c>, <c>PersistKeysToDbContext</c> and the other <c>PersistKeysTo…</c> calls) and a provider
/// that uses it. Without one, Data Protection falls back to a folder of the user profile (on Linux
/// <c>~/.aspnet/DataProtection-Keys</c>), the registry, or memory: a container's profile is lost with it and other
/// instances do not share it, so the fallback does not count, whichever it would be. The option decides, not what
/// happens to be registered: authentication and antiforgery register Data Protection with such fallback keys.
/// Services are resolved when validating, not injected, so a host without Data Protection gets this message rather than
/// a missing-service error.
/// </remarks>
internal sealed class KeyRingPersistenceValidator(IServiceProvider services) : IValidateOptions<ForwardingOptions>
{
    public ValidateOptionsResult Validate(string? name, ForwardingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.ProtectSecrets || Problem() is not { } problem)
        {
            return ValidateOptionsResult.Success;
        }

        return ValidateOptionsResult.Fail(
            $"Postbacks:Forwarding:ProtectSecrets is on, but {problem}, so protected secrets would be unreadable after a restart. " +
            "Persist the key ring where every instance finds it, under one application name, e.g. " +
            "services.AddDataProtection().SetApplicationName(\"my-app\").PersistKeysToFileSystem(new DirectoryInfo(\"/var/lib/my-app/keys\")) " +
            "(docs/forwarding.md, \"Secrets at rest\"), or turn ProtectSecrets off.");
    }

    private string? Problem()
    {
        var provider = services.GetService<IDataProtectionProvider>();
        if (provider is null)
        {
            return "no Data Protection is registered (services.AddDataProtection())";
        }

        if (provider is EphemeralDataProtectionProvider)
        {
            return "Data Protection uses an ephemeral provider (UseEphemeralDataProtectionProvider), whose keys live in memory";
        }

        return services.GetService<IOptions<KeyManagementOptions>>()?.Value.XmlRepository is null
            ? "Data Protection's key ring is not persisted (no PersistKeysTo… repository is configured: keys would be kept in memory or in the user profile)"
            : null;
    }
}
