namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Returned by <c>AddChatterfyPostbacks</c>; network and storage packages extend it with <c>AddNetwork</c>,
/// <c>UseSqlite</c>, <c>UsePostgreSql</c> and the like.
/// </summary>
public interface IChatterfyPostbacksBuilder
{
    /// <summary>Gets the service collection being configured.</summary>
    IServiceCollection Services { get; }
}
