using Chatterfy.Postbacks.Networks;
using Chatterfy.Postbacks.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds networks and the in-memory store to the postback SDK.</summary>
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
    /// Uses the in-memory store: thread-safe and fast, but everything is lost when the process ends. For tests and demos.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IChatterfyPostbacksBuilder UseInMemoryStore(this IChatterfyPostbacksBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.RemoveAll<PostbackStore>();
        builder.Services.AddSingleton<PostbackStore, InMemoryPostbackStore>();
        return builder;
    }
}
