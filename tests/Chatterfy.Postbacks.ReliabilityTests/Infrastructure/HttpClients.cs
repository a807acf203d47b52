namespace Chatterfy.Postbacks.ReliabilityTests.Infrastructure;

/// <summary>HTTP clients for the loopback host: never through a proxy, short timeouts, a bounded connection pool.</summary>
internal static class HttpClients
{
    public static HttpClient Create(Uri baseAddress, TimeSpan timeout, int maxConnections)
    {
#pragma warning disable CA2000 // The client owns and disposes the handler.
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            MaxConnectionsPerServer = maxConnections,
            ConnectTimeout = TimeSpan.FromSeconds(3),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AllowAutoRedirect = false,
        };
#pragma warning restore CA2000
        return new HttpClient(handler, disposeHandler: true) { BaseAddress = baseAddress, Timeout = timeout };
    }
}
