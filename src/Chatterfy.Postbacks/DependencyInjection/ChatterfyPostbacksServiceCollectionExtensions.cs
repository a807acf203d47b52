using Chatterfy.Postbacks.Campaigns;
using Chatterfy.Postbacks;
using Chatterfy.Postbacks.Clicks;
using Chatterfy.Postbacks.Currencies;
using Chatterfy.Postbacks.Ingestion;
using Chatterfy.Postbacks.Networks;
using Chatterfy.Postbacks.Networks.Binomo;
using Chatterfy.Postbacks.Networks.Custom;
using Chatterfy.Postbacks.Networks.OneWin;
using Chatterfy.Postbacks.PostbackSets;
using Chatterfy.Postbacks.Reconciliation;
using Microsoft.Extensions.Configuration;
using Chatterfy.Postbacks.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Chatterfy postback SDK.</summary>
public static class ChatterfyPostbacksServiceCollectionExtensions
{
    /// <summary>
    /// Adds the postback SDK: the built-in networks (Binomo, 1Win, Custom), click ids, the parser, the ingestion pipeline
    /// and postback set management. Safe to call more than once. Choose a store on the returned builder.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>A builder for networks and storage.</returns>
    public static IChatterfyPostbacksBuilder AddChatterfyPostbacks(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<ChatterfyPostbacksOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ChatterfyPostbacksOptions>, ChatterfyPostbacksOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<AffiliateNetwork, BinomoNetwork>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<AffiliateNetwork, OneWinNetwork>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<AffiliateNetwork, CustomNetwork>());
        services.TryAddSingleton<IAffiliateNetworkRegistry, AffiliateNetworkRegistry>();
        services.TryAddSingleton<IClickIdGenerator, RandomClickIdGenerator>();
        services.TryAddSingleton<ClickCache>();

        // A factory: its constructor takes the internal click cache, so it cannot be public.
        services.TryAddSingleton(sp => new ClickService(
            sp.GetRequiredService<ClickStore>(),
            sp.GetRequiredService<IngestStore>(),
            sp.GetRequiredService<ClickCache>(),
            sp.GetRequiredService<IClickIdGenerator>(),
            sp.GetRequiredService<TimeProvider>()));

        services.TryAddSingleton<CampaignWindowCache>();

        // A factory: the constructor that shares the campaign window cache with PostbackIngestor is internal.
        services.TryAddSingleton(sp => new CampaignService(
            sp.GetRequiredService<CampaignStore>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<CampaignWindowCache>()));
        services.TryAddSingleton<ReportingCurrencyRates>();

        // Factories: their constructors take the internal reporting-currency rates.
        services.TryAddSingleton(sp => new PostbackStatsService(
            sp.GetRequiredService<PostbackSetStore>(),
            sp.GetRequiredService<PostbackLogStore>(),
            sp.GetRequiredService<ReportingCurrencyRates>()));
        services.TryAddSingleton(sp => new ConversionService(
            sp.GetRequiredService<IngestStore>(),
            sp.GetRequiredService<ReportingCurrencyRates>()));
        services.TryAddSingleton<ReconciliationService>();
        services.TryAddSingleton<PostbackLogService>();
        services.TryAddSingleton<PostbackParser>();
        services.TryAddSingleton<PostbackSetCache>();
        services.TryAddSingleton<GroupCommit>();

        // A factory: its constructor takes internal types (the group commit, the caches), so it cannot be public.
        services.TryAddSingleton(sp => new PostbackIngestor(
            sp.GetRequiredService<GroupCommit>(),
            sp.GetRequiredService<PostbackSetCache>(),
            sp.GetRequiredService<PostbackSetStore>(),
            sp.GetRequiredService<ClickCache>(),
            sp.GetRequiredService<CampaignWindowCache>(),
            sp.GetRequiredService<PostbackParser>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ReportingCurrencyRates>(),
            sp.GetService<ILogger<PostbackIngestor>>(),
            sp.GetServices<IngestionHook>()));

        // A factory: its constructor takes the internal set cache, so it cannot be public.
        services.TryAddSingleton(sp => new PostbackSetService(
            sp.GetRequiredService<PostbackSetStore>(),
            sp.GetRequiredService<PostbackSetCache>(),
            sp.GetRequiredService<IAffiliateNetworkRegistry>(),
            sp.GetRequiredService<IOptionsMonitor<ChatterfyPostbacksOptions>>(),
            sp.GetRequiredService<TimeProvider>()));

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PostbackLogRetentionService>());
        return new ChatterfyPostbacksBuilder(services);
    }

    /// <summary>Adds the postback SDK and configures its options in code.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>A builder for networks and storage.</returns>
    public static IChatterfyPostbacksBuilder AddChatterfyPostbacks(this IServiceCollection services, Action<ChatterfyPostbacksOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = services.AddChatterfyPostbacks();
        services.Configure(configure);
        return builder;
    }

    /// <summary>Adds the postback SDK and binds its options to a configuration section (by convention <c>Postbacks</c>).</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration section.</param>
    /// <returns>A builder for networks and storage.</returns>
    public static IChatterfyPostbacksBuilder AddChatterfyPostbacks(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var builder = services.AddChatterfyPostbacks();
        services.AddOptions<ChatterfyPostbacksOptions>().Bind(configuration);
        return builder;
    }
}
