using Chatterfy.Postbacks.Networks;
using Chatterfy.Postbacks.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds networks and a store to the postback SDK.</summary>
public static class ChatterfyPostbacksBuilderExtensions
{
    /// <summary>Adds an affiliate network adapter. Two networks with one id fail at startup.</summary>
    /// <typeparam name="TNetwork">The adapter type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IChatterfyPostbacksBuilder AddNetwork<TNetwork>(this IChatterfyPostbacksBuilder builder)
        where TNetwork : AffiliateNetwork
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<AffiliateNetwork, TNetwork>());
        return builder;
    }

    /// <summary>
    /// Uses the in-memory store (<see cref="InMemoryPostbackStorage"/>): thread-safe and fast, but everything is lost when the
    /// process ends. For tests and demos. Replaces any store registered before it.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IChatterfyPostbacksBuilder UseInMemoryStore(this IChatterfyPostbacksBuilder builder) =>
        builder.UseStorage(static _ => InMemoryPostbackStorage.Create());

    /// <summary>
    /// Uses a store: registers the <see cref="PostbackStorage"/> that <paramref name="factory"/> builds, once, as a singleton,
    /// and each of its roles (<see cref="PostbackSetStore"/>, <see cref="CampaignStore"/>, <see cref="ClickStore"/>,
    /// <see cref="IngestStore"/>, <see cref="PostbackLogStore"/>, <see cref="OutboxStore"/>, <see cref="ForwardingRuleStore"/>, <see cref="ReconciliationStore"/>),
    /// replacing any store registered before. Storage packages call it from their own <c>Use…</c> method.
    /// </summary>
    /// <remarks>
    /// The container disposes, when it is disposed, each role that implements <see cref="IDisposable"/> or
    /// <see cref="IAsyncDisposable"/> (each role object once). A store whose roles share a resource (a connection pool, a
    /// database file) registers that resource as a singleton of its own and lets the factory take it from the provider, so
    /// the container disposes it once.
    /// </remarks>
    /// <param name="builder">The builder.</param>
    /// <param name="factory">Builds the store, from the host's services.</param>
    /// <returns>The builder.</returns>
    public static IChatterfyPostbacksBuilder UseStorage(this IChatterfyPostbacksBuilder builder, Func<IServiceProvider, PostbackStorage> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        var services = builder.Services;
        services.RemoveAll<PostbackStorage>();
        services.RemoveAll<PostbackSetStore>();
        services.RemoveAll<CampaignStore>();
        services.RemoveAll<ClickStore>();
        services.RemoveAll<IngestStore>();
        services.RemoveAll<PostbackLogStore>();
        services.RemoveAll<OutboxStore>();
        services.RemoveAll<ForwardingRuleStore>();
        services.RemoveAll<ReconciliationStore>();
        services.AddSingleton(factory);
        services.AddSingleton(static sp => sp.GetRequiredService<PostbackStorage>().Sets);
        services.AddSingleton(static sp => sp.GetRequiredService<PostbackStorage>().Campaigns);
        services.AddSingleton(static sp => sp.GetRequiredService<PostbackStorage>().Clicks);
        services.AddSingleton(static sp => sp.GetRequiredService<PostbackStorage>().Ingest);
        services.AddSingleton(static sp => sp.GetRequiredService<PostbackStorage>().Log);
        services.AddSingleton(static sp => sp.GetRequiredService<PostbackStorage>().Outbox);
        services.AddSingleton(static sp => sp.GetRequiredService<PostbackStorage>().ForwardingRules);
        services.AddSingleton(static sp => sp.GetRequiredService<PostbackStorage>().Reconciliations);
        return builder;
    }
}
