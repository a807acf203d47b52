using Chatterfy.Postbacks.AspNetCore.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the postback store's health check.</summary>
public static class ChatterfyPostbacksHealthChecksBuilderExtensions
{
    /// <summary>The default name of the health check.</summary>
    public const string DefaultName = "chatterfy-postbacks-store";

    /// <summary>
    /// Adds a health check that asks the postback store whether it can serve requests (<c>IngestStore.CheckHealthAsync</c>);
    /// it reports <paramref name="failureStatus"/> (by default <see cref="HealthStatus.Unhealthy"/>) while the store is unavailable.
    /// </summary>
    /// <param name="builder">The health checks builder from <c>services.AddHealthChecks()</c>.</param>
    /// <param name="name">The check's name.</param>
    /// <param name="failureStatus">The status reported when the store is unavailable; <see langword="null"/> for <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags to filter checks by, e.g. <c>ready</c>.</param>
    /// <param name="timeout">How long the check may take; <see langword="null"/> for no limit of its own.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddChatterfyPostbacksHealthCheck(
        this IHealthChecksBuilder builder,
        string name = DefaultName,
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null,
        TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        return builder.AddCheck<PostbackStoreHealthCheck>(name, failureStatus, tags ?? [], timeout);
    }
}
