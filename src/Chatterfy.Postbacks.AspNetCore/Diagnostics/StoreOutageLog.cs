using Chatterfy.Postbacks.Diagnostics;
using Chatterfy.Postbacks.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Chatterfy.Postbacks.AspNetCore.Diagnostics;

/// <summary>
/// Logs the 503s one endpoint answers while the store is unavailable: once per interval with a count, without a stack
/// trace (the store logs the cause) and without the request's path (a postback's path holds its set's token).
/// </summary>
internal sealed class StoreOutageLog(ILogger logger, string endpoint)
{
    private LogThrottle? _throttle;

    /// <summary>Counts one request answered 503, and logs it when the throttle says so.</summary>
    /// <param name="exception">What the store said.</param>
    /// <param name="retryAfterSeconds">The answer's <c>Retry-After</c>.</param>
    /// <param name="services">The request's services, for the host's clock on first use.</param>
    public void Refused(PostbackStoreUnavailableException exception, int retryAfterSeconds, IServiceProvider services)
    {
        var throttle = LazyInitializer.EnsureInitialized(ref _throttle, () => new LogThrottle(services.GetService<TimeProvider>() ?? TimeProvider.System));
        if (throttle.ShouldLog(out var refused))
        {
            Log.StoreUnavailable(logger, refused, endpoint, retryAfterSeconds, exception.Message);
        }
    }
}
