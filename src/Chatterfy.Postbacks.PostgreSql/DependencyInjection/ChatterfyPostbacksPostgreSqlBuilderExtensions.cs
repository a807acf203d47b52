using Chatterfy.Postbacks.PostgreSql;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Stores postbacks in PostgreSQL.</summary>
public static class ChatterfyPostbacksPostgreSqlBuilderExtensions
{
    /// <summary>
    /// Uses the PostgreSQL store with the given connection string and default options, replacing any store registered
    /// before. The schema <c>postbacks</c> and its tables are created or upgraded when the host starts.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddChatterfyPostbacks</c>.</param>
    /// <param name="connectionString">The Npgsql connection string.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty or white space.</exception>
    public static IChatterfyPostbacksBuilder UsePostgreSql(this IChatterfyPostbacksBuilder builder, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return builder.UsePostgreSql(o => o.ConnectionString = connectionString);
    }

    /// <summary>
    /// Uses the PostgreSQL store configured in code, replacing any store registered before. The options are validated
    /// when the host starts.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddChatterfyPostbacks</c>.</param>
    /// <param name="configure">Configures the options; <see cref="PostgreSqlPostbackStoreOptions.ConnectionString"/> is required.</param>
    /// <returns>The builder.</returns>
    public static IChatterfyPostbacksBuilder UsePostgreSql(this IChatterfyPostbacksBuilder builder, Action<PostgreSqlPostbackStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        AddStore(builder);
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>
    /// Uses the PostgreSQL store with options bound from a configuration section (by convention
    /// <c>Postbacks:PostgreSql</c>), replacing any store registered before. The options are validated when the host starts.
    /// </summary>
    /// <param name="builder">The builder returned by <c>AddChatterfyPostbacks</c>.</param>
    /// <param name="configuration">The configuration section.</param>
    /// <returns>The builder.</returns>
    public static IChatterfyPostbacksBuilder UsePostgreSql(this IChatterfyPostbacksBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        AddStore(builder);
        builder.Services.AddOptions<PostgreSqlPostbackStoreOptions>().Bind(configuration);
        return builder;
    }

    private static void AddStore(IChatterfyPostbacksBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<PostgreSqlPostbackStoreOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgreSqlPostbackStoreOptions>, PostgreSqlPostbackStoreOptionsValidator>());
        services.TryAddSingleton(sp => new PostgreSqlDataSourceOwner(
            sp.GetRequiredService<IOptions<PostgreSqlPostbackStoreOptions>>(),
            sp.GetService<ILoggerFactory>()));
        services.TryAddSingleton(sp => new PostgreSqlPostbackStore(
            sp.GetRequiredService<PostgreSqlDataSourceOwner>().DataSource,
            sp.GetRequiredService<IOptions<PostgreSqlPostbackStoreOptions>>().Value,
            sp.GetService<ILogger<PostgreSqlPostbackStore>>(),
            sp.GetService<TimeProvider>()));
        builder.UseStorage(sp => sp.GetRequiredService<PostgreSqlPostbackStore>().Storage);

        // First among the hosted services: hosts start them in order, so the schema is ready before, say, log retention runs.
        if (!services.Any(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(PostgreSqlPostbackStoreInitializer)))
        {
            services.Insert(0, ServiceDescriptor.Singleton<IHostedService, PostgreSqlPostbackStoreInitializer>());
        }
    }
}
