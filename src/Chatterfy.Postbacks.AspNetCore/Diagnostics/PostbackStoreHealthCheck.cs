using Chatterfy.Postbacks.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Chatterfy.Postbacks.AspNetCore.Diagnostics;

/// <summary>Reports whether the postback store can serve requests.</summary>
internal sealed class PostbackStoreHealthCheck(IngestStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await store.CheckHealthAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy("The postback store is available.");
        }
        catch (PostbackStoreUnavailableException ex)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "The postback store is unavailable.", ex);
        }
    }
}
