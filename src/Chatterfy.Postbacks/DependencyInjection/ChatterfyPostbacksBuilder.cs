namespace Microsoft.Extensions.DependencyInjection;

internal sealed class ChatterfyPostbacksBuilder(IServiceCollection services) : IChatterfyPostbacksBuilder
{
    public IServiceCollection Services { get; } = services;
}

/// <summary>Registered by <c>AddChatterfyPostbacks</c> so that endpoint mapping can tell whether it was called.</summary>
internal sealed class ChatterfyPostbacksMarker;
