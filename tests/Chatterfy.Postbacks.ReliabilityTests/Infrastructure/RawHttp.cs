using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Chatterfy.Postbacks.ReliabilityTests.Infrastructure;

/// <summary>
/// A raw HTTP/1.1 request, byte for byte: HttpClient and <see cref="Uri"/> would repair what the bad-input scenario needs
/// to send broken (invalid percent-encoding, raw bytes in the request line, inconsistent framing is never sent).
/// </summary>
/// <remarks>
/// <paramref name="Framed"/>: the body is already chunk-framed, sent as is with <c>Transfer-Encoding: chunked</c> (broken
/// framing on purpose). <paramref name="ExpectedCode"/>: the request must be refused with a 4xx problem of this code
/// (it is not a postback: nothing is logged or counted).
/// </remarks>
internal sealed record RawRequest(string Category, string Method, byte[] Target, IReadOnlyList<string> Headers, byte[]? Body, bool Chunked, bool Oversize, bool ToValidToken, bool Framed = false, string? ExpectedCode = null)
{
    public string Describe(int max = 300)
    {
        var target = Encoding.Latin1.GetString(Target);
        var body = Body is null ? "" : $" body[{Body.Length}]={Preview(Encoding.Latin1.GetString(Body.AsSpan(0, Math.Min(Body.Length, 400))), 400)}";
        return $"[{Category}] {Method} {Preview(target, max)}{(Chunked || Framed ? " (chunked)" : "")}{body}";
    }

    private static string Preview(string text, int max = 120)
    {
        var printable = new StringBuilder();
        foreach (var c in text.Length > max ? text[..max] : text)
        {
            printable.Append(c is >= ' ' and <= '~' ? c.ToString() : $"\\x{(int)c:X2}");
        }

        return text.Length > max ? $"{printable}…({text.Length} chars)" : printable.ToString();
    }
}

/// <summary>What came back: a status line (and body), or nothing before the connection closed.</summary>
internal sealed record RawResponse(int? Status, string Head, string Body, string? Failure)
{
    public bool HasRetryAfter => Head.Contains("\r\nRetry-After:", StringComparison.OrdinalIgnoreCase);

    public string? ContentType
    {
        get
        {
            foreach (var line in Head.Split("\r\n"))
            {
                if (line.StartsWith("Content-Type:", StringComparison.OrdinalIgnoreCase))
                {
                    return line["Content-Type:".Length..].Trim();
                }
            }

            return null;
        }
    }
}

internal static class RawHttp
{
    private const int MaxResponseBytes = 1 << 20;

    /// <summary>
    /// Sends <paramref name="request"/> on a new connection (<c>Connection: close</c>) and reads the answer until the
    /// server closes. The body is written while the answer is read, so an early 413/414 is seen even if the rest of an
    /// oversize body is refused.
    /// </summary>
    public static async Task<RawResponse> SendAsync(int port, RawRequest request, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), deadline.Token);
        }
        catch (SocketException ex)
        {
            return new RawResponse(null, "", "", $"connect: {ex.SocketErrorCode}");
        }

        var writing = WriteAsync(socket, request, deadline.Token);
        var received = new MemoryStream();
        string? readFailure = null;
        var buffer = new byte[16 * 1024];
        try
        {
            for (var reads = 0; reads < 100_000 && received.Length < MaxResponseBytes; reads++)
            {
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
                if (read == 0)
                {
                    break;
                }

                received.Write(buffer, 0, read);
            }
        }
        catch (SocketException ex)
        {
            readFailure = $"read: {ex.SocketErrorCode}";
        }
        catch (OperationCanceledException)
        {
            readFailure = $"read: no end of answer within {timeout.TotalSeconds:0} s";
        }

        string? writeFailure;
        try
        {
            writeFailure = await writing;
        }
        catch (OperationCanceledException)
        {
            writeFailure = "write: timed out";
        }

        var (status, head, body) = Parse(received.ToArray());
        var failure = status is null ? readFailure ?? writeFailure ?? "closed without an answer" : null;
        if (readFailure is not null && readFailure.Contains("within", StringComparison.Ordinal))
        {
            // An answer that never ends is a hang, whatever its status line said.
            failure = readFailure;
        }

        return new RawResponse(status, head, body, failure);
    }

    private static async Task<string?> WriteAsync(Socket socket, RawRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var head = new StringBuilder();
            head.Append(request.Method).Append(' ');
            var prefix = Encoding.Latin1.GetBytes(head.ToString());
            head.Clear();
            head.Append(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
            foreach (var header in request.Headers)
            {
                head.Append(header).Append("\r\n");
            }

            if (request.Body is not null)
            {
                head.Append(request.Chunked || request.Framed ? "Transfer-Encoding: chunked\r\n" : $"Content-Length: {request.Body.Length}\r\n");
            }

            head.Append("\r\n");
            var bytes = new List<byte>(prefix.Length + request.Target.Length + head.Length);
            bytes.AddRange(prefix);
            bytes.AddRange(request.Target);
            bytes.AddRange(Encoding.Latin1.GetBytes(head.ToString()));
            await SendAllAsync(socket, bytes.ToArray(), cancellationToken);
            if (request.Body is { } body)
            {
                if (request.Chunked && !request.Framed)
                {
                    const int ChunkSize = 64 * 1024;
                    for (var offset = 0; offset < body.Length; offset += ChunkSize)
                    {
                        var length = Math.Min(ChunkSize, body.Length - offset);
                        await SendAllAsync(socket, Encoding.ASCII.GetBytes($"{length:X}\r\n"), cancellationToken);
                        await SendAllAsync(socket, body.AsMemory(offset, length), cancellationToken);
                        await SendAllAsync(socket, "\r\n"u8.ToArray(), cancellationToken);
                    }

                    await SendAllAsync(socket, "0\r\n\r\n"u8.ToArray(), cancellationToken);
                }
                else
                {
                    await SendAllAsync(socket, body, cancellationToken);
                }
            }

            return null;
        }
        catch (SocketException ex)
        {
            return $"write: {ex.SocketErrorCode}";
        }
    }

    private static async Task SendAllAsync(Socket socket, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        for (var sent = 0; sent < bytes.Length;)
        {
            sent += await socket.SendAsync(bytes[sent..], SocketFlags.None, cancellationToken);
        }
    }

    private static (int? Status, string Head, string Body) Parse(byte[] response)
    {
        var end = response.AsSpan().IndexOf("\r\n\r\n"u8);
        var head = Encoding.Latin1.GetString(end < 0 ? response : response.AsSpan(0, end));
        if (end < 0 || !head.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) || head.Length < 12
            || !int.TryParse(head.AsSpan(9, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var status))
        {
            return (null, head, "");
        }

        var body = response.AsSpan(end + 4);
        return (status, head, head.Contains("\r\nTransfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase)
            ? Encoding.UTF8.GetString(Dechunk(body))
            : Encoding.UTF8.GetString(body));
    }

    private static byte[] Dechunk(ReadOnlySpan<byte> chunked)
    {
        var body = new List<byte>(chunked.Length);
        for (var chunks = 0; chunks < 10_000 && !chunked.IsEmpty; chunks++)
        {
            var lineEnd = chunked.IndexOf("\r\n"u8);
            if (lineEnd < 0 || !int.TryParse(Encoding.ASCII.GetString(chunked[..lineEnd]).Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var size) || size == 0)
            {
                break;
            }

            chunked = chunked[(lineEnd + 2)..];
            var take = Math.Min(size, chunked.Length);
            body.AddRange(chunked[..take]);
            chunked = chunked[Math.Min(chunked.Length, take + 2)..];
        }

        return [.. body];
    }
}
