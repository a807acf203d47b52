using Chatterfy.Postbacks.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Uses the SQLite store (<see cref="SqlitePostbackStore"/>) for every store role of the postback SDK.</summary>
public static class ChatterfyPostbacksSqliteBuilderExtensions
{
    /// <summary>
    /// Uses the SQLite store in the database file <paramref name="dataSource"/>, replacing any store registered before.
    /// The schema is created or migrated when the host starts.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddChatterfyPostbacks</c>.</param>
    /// <param name="dataSource">The database file's path, e.g. <c>postbacks.db</c>.</param>
    /// <returns>The builder.</returns>
    public static IChatterfyPostbacksBuilder UseSqlite(this IChatterfyPostbacksBuilder builder, string dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        return builder.UseSqlite(options => options.DataSource = dataSource);
    }

    /// <summary>Uses the SQLite store configured in code, replacing any store registered before.</summary>
    /// <param name="builder">The builder returned by <c>AddChatterfyPostbacks</c>.</param>
    /// <param name="configure">Configures the options; <see cref="SqlitePostbackStoreOptions.DataSource"/> is required.</param>
    /// <returns>The builder.</returns>
    public static IChatterfyPostbacksBuilder UseSqlite(this IChatterfyPostbacksBuilder builder, Action<SqlitePostbackStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        AddSqliteStore(builder);
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>
    /// Uses the SQLite store with options bound to a configuration section (by convention <c>Postbacks:Sqlite</c>),
    /// replacing any store registered before.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddChatterfyPostbacks</c>.</param>
    /// <param name="section">The configuration section, e.g. <c>configuration.GetSection("Postbacks:Sqlite")</c>.</param>
    /// <returns>The builder.</returns>
    public static IChatterfyPostbacksBuilder UseSqlite(this IChatterfyPostbacksBuilder builder, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        AddSqliteStore(builder);
        builder.Services.AddOptions<SqlitePostbackStoreOptions>().Bind(section);
        return builder;
    }

    private static void AddSqliteStore(IChatterfyPostbacksBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SqlitePostbackStoreOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SqlitePostbackStoreOptions>, SqlitePostbackStoreOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SqlitePostbackStoreInitializer>());

        // The database is a singleton of its own, created by a factory, so the container owns it and disposes it once
        // (DisposeAsync commits the queued writes) when it is disposed; its roles are the registered store.
        services.RemoveAll<SqlitePostbackStore>();
        services.AddSingleton(static sp => new SqlitePostbackStore(
            sp.GetRequiredService<IOptions<SqlitePostbackStoreOptions>>().Value,
            sp.GetService<TimeProvider>(),
            sp.GetService<ILogger<SqlitePostbackStore>>()));
        builder.UseStorage(static sp => sp.GetRequiredService<SqlitePostbackStore>().Storage);
    }
}
