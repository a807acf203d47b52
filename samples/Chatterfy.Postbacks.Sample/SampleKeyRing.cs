using Chatterfy.Postbacks.Sqlite;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;

// In the namespace of AddDataProtection, as the SDK's own builder extensions are, so Program.cs needs no using for it.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Where the sample keeps the Data Protection keys that protect forwarding-rule secrets at rest
/// (<c>Postbacks:Forwarding:ProtectSecrets</c>, docs/forwarding.md "Secrets at rest"): the folder
/// <see cref="FolderName"/> beside the SQLite database, so the database and its keys are kept, backed up and removed
/// together (with the other stores, in the working directory). A restart on the same database finds its keys.
/// </summary>
internal static class SampleKeyRing
{
    public const string FolderName = "postbacks-keys";

    /// <summary>The application name every instance of the sample shares, so each reads what another protected.</summary>
    public const string ApplicationName = "Chatterfy.Postbacks.Sample";

    /// <summary>
    /// Names the application and persists the key ring in <see cref="Folder"/> of the store's
    /// <see cref="SqlitePostbackStoreOptions.DataSource"/>, as <c>PersistKeysToFileSystem</c> does, but with the database path
    /// as the store resolves it from its options.
    /// </summary>
    public static IDataProtectionBuilder KeepSampleKeysBesideTheDatabase(this IDataProtectionBuilder builder)
    {
        builder.SetApplicationName(ApplicationName);
        builder.Services.AddOptions<KeyManagementOptions>()
            .Configure<IOptions<SqlitePostbackStoreOptions>, ILoggerFactory>((keys, sqlite, loggers) =>
                keys.XmlRepository = new FileSystemXmlRepository(Folder(sqlite.Value.DataSource), loggers));
        return builder;
    }

    /// <summary>The key folder for a database file (relative paths resolve against the current directory, as the store's do).</summary>
    public static DirectoryInfo Folder(string? dataSource) => new(string.IsNullOrEmpty(dataSource)
        ? Path.GetFullPath(FolderName)
        : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(dataSource))!, FolderName));
}
