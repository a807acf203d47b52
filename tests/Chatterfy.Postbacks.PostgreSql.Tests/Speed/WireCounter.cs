using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Chatterfy.Postbacks.PostgreSql.Tests.Speed;

/// <summary>
/// A TCP relay on 127.0.0.1 between Npgsql and the test server that counts, whatever the client library does inside:
/// round trips (<see cref="RoundTrips"/>: each time a connection's client sends again after the server has answered,
/// i.e. each time the client waited for the server), and server statements (<see cref="Statements"/>: every Execute
/// message <c>E</c> of the extended protocol and every simple query <c>Q</c>, such as BEGIN and COMMIT). Connect through
/// <see cref="ConnectionString"/> (TLS off, so the messages can be read).
/// </summary>
internal sealed class WireCounter : IAsyncDisposable
{
    private const int SslRequestCode = 80877103;
    private const int GssEncRequestCode = 80877104;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _server;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _relays = [];
    private readonly Lock _lock = new();
    private readonly Task _accepting;
    private long _roundTrips;
    private long _queries;
    private long _executes;
    private long _bytesToServer;

    public WireCounter(string serverConnectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(serverConnectionString);
        _server = new IPEndPoint(IPAddress.Parse(builder.Host ?? "127.0.0.1"), builder.Port);
        _listener.Start();
        builder.Host = "127.0.0.1";
        builder.Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        builder.SslMode = Npgsql.SslMode.Disable;
        builder.GssEncryptionMode = Npgsql.GssEncryptionMode.Disable;
        ConnectionString = builder.ConnectionString;
        _accepting = AcceptAsync();
    }

    /// <summary>Gets a connection string to the test server through this relay.</summary>
    public string ConnectionString { get; }

    public long RoundTrips => Interlocked.Read(ref _roundTrips);

    public long Statements => Interlocked.Read(ref _executes) + Interlocked.Read(ref _queries);

    public long BytesToServer => Interlocked.Read(ref _bytesToServer);

    public (long RoundTrips, long Statements, long Bytes) Read() => (RoundTrips, Statements, BytesToServer);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        Task[] relays;
        lock (_lock)
        {
            relays = [.. _relays];
        }

        await Task.WhenAll(relays);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            lock (_lock)
            {
                _relays.Add(RelayAsync(client));
            }
        }
    }

    private async Task RelayAsync(Socket client)
    {
        using (client)
        using (var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true })
        {
            client.NoDelay = true;
            try
            {
                await server.ConnectAsync(_server, _stop.Token);
                var turn = new Turn();
                var up = CopyCountingAsync(client, server, turn);
                var down = CopyAsync(server, client, turn);
                await Task.WhenAny(up, down);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException or IOException)
            {
            }
        }
    }

    private async Task CopyAsync(Socket from, Socket to, Turn turn)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                Volatile.Write(ref turn.ServerSpoke, 1);
                await to.SendAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Relays the client's messages, reading each message's type and length as they pass.</summary>
    private async Task CopyCountingAsync(Socket from, Socket to, Turn turn)
    {
        var buffer = new byte[64 * 1024];
        var parser = new MessageParser(this);
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                Interlocked.Add(ref _bytesToServer, read);
                if (Interlocked.Exchange(ref turn.ServerSpoke, 0) == 1)
                {
                    Interlocked.Increment(ref _roundTrips);
                }

                parser.Feed(buffer.AsSpan(0, read));
                await to.SendAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Whether the server has sent anything since the client last sent.</summary>
    private sealed class Turn
    {
        public int ServerSpoke = 1;
    }

    private sealed class MessageParser(WireCounter counter)
    {
        private readonly byte[] _header = new byte[8];
        private int _filled;
        private long _skip;
        private bool _started;

        public void Feed(ReadOnlySpan<byte> data)
        {
            while (!data.IsEmpty)
            {
                if (_skip > 0)
                {
                    var skip = (int)Math.Min(_skip, data.Length);
                    data = data[skip..];
                    _skip -= skip;
                    continue;
                }

                // Before the startup message, packets have no type byte: a length, then a code (SSL and GSS requests
                // come before it). After it, every message is a type byte and a length that counts itself.
                var need = _started ? 5 : 8;
                var take = Math.Min(need - _filled, data.Length);
                data[..take].CopyTo(_header.AsSpan(_filled));
                _filled += take;
                data = data[take..];
                if (_filled < need)
                {
                    return;
                }

                _filled = 0;
                if (!_started)
                {
                    var code = BinaryPrimitives.ReadInt32BigEndian(_header.AsSpan(4));
                    _started = code is not (SslRequestCode or GssEncRequestCode);
                    _skip = BinaryPrimitives.ReadInt32BigEndian(_header) - 8;
                    continue;
                }

                _skip = BinaryPrimitives.ReadInt32BigEndian(_header.AsSpan(1)) - 4;
                switch ((char)_header[0])
                {
                    case 'Q':
                        Interlocked.Increment(ref counter._queries);
                        break;
                    case 'E':
                        Interlocked.Increment(ref counter._executes);
                        break;
                    default:
                        break;
                }
            }
        }
    }
}
