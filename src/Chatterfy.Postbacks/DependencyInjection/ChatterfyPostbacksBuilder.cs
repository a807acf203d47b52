namespace Microsoft.Extensions.DependencyInjection;

internal sealed class ChatterfyPostbacksBuilder(IServiceCollection services) : IChatterfyPostbacksBuilder
{
    public IServiceCollection Services { get; } = services;
}
