using System.Net;
using System.Net.Sockets;

namespace Chatterfy.Postbacks.Forwarding;

/// <summary>
/// The connect callback of forwarding clients: it resolves the host itself, lets the policy refuse forbidden addresses,
/// and connects to one of the addresses it checked, so a DNS answer cannot change between the check and the connection.
/// </summary>
internal sealed class OutboundConnector(OutboundUrlPolicy policy, string? destinationId)
{
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var endpoint = context.DnsEndPoint;
        var addresses = await policy.ResolveForConnectAsync(endpoint.Host, endpoint.Port, destinationId, cancellationToken).ConfigureAwait(false);
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endpoint.Port), cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last!;
    }
}
