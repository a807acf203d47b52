using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Chatterfy.Postbacks.AspNetCore.Tests.Infrastructure;

/// <summary>
/// One HTTP/1.1 request written byte for byte on a new connection to 127.0.0.1 (<c>Connection: close</c>), for framing
/// that HttpClient never sends and TestServer never parses (a broken chunk size); reads until the server closes.
/// </summary>
internal static class RawSocket
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    /// <summary>The answer: its status (<see langword="null"/> when the server closed without one), its head and its body.</summary>
    public sealed record Answer(int? Status, string Head, string Body)
    {
        public string? ContentType => Head.Split("\r\n")
            .FirstOrDefault(line => line.StartsWith("Content-Type:", StringComparison.OrdinalIgnoreCase))?["Content-Type:".Length..].Trim();
    }

    /// <summary>
    /// Sends <paramref name="method"/> <paramref name="target"/> with <c>Transfer-Encoding: chunked</c> and
    /// <paramref name="chunkedBody"/> written as is (chunk-size lines included).
    /// </summary>
    public static Task<Answer> SendChunkedAsync(int port, string method, string target, string chunkedBody, params string[] headers) =>
        SendAsync(port, $"{Head(method, target, headers)}Transfer-Encoding: chunked\r\n\r\n{chunkedBody}", endOfUpload: false);

    /// <summary>
    /// Sends a <c>Content-Length</c> of <paramref name="declaredLength"/> but only <paramref name="body"/>; with
    /// <paramref name="endOfUpload"/> the socket is then shut down for sending, as a client that gives up mid-upload.
    /// </summary>
    public static Task<Answer> SendShortBodyAsync(int port, string method, string target, int declaredLength, string body, bool endOfUpload, params string[] headers) =>
        SendAsync(port, $"{Head(method, target, headers)}Content-Length: {declaredLength}\r\n\r\n{body}", endOfUpload);

    /// <summary>
    /// Opens a connection and sends a <c>Content-Length</c> of <paramref name="declaredLength"/> but only
    /// <paramref name="body"/>, leaving the upload unfinished: <see cref="Reset"/> it, or dispose of it.
    /// </summary>
    public static async Task<Socket> StartUploadAsync(int port, string method, string target, int declaredLength, string body, params string[] headers)
    {
        using var deadline = new CancellationTokenSource(Timeout);
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), deadline.Token);
            await socket.SendAsync(Encoding.Latin1.GetBytes($"{Head(method, target, headers)}Content-Length: {declaredLength}\r\n\r\n{body}"), SocketFlags.None, deadline.Token);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Closes <paramref name="socket"/> with a reset (RST), not a FIN, as a client that crashed.</summary>
    public static void Reset(Socket socket)
    {
        socket.LingerState = new LingerOption(true, 0);
        socket.Close();
    }

    private static string Head(string method, string target, string[] headers) =>
        $"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n{string.Concat(headers.Select(h => h + "\r\n"))}";

    private static async Task<Answer> SendAsync(int port, string request, bool endOfUpload)
    {
        using var deadline = new CancellationTokenSource(Timeout);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), deadline.Token);
        await socket.SendAsync(Encoding.Latin1.GetBytes(request), SocketFlags.None, deadline.Token);
        if (endOfUpload)
        {
            socket.Shutdown(SocketShutdown.Send);
        }

        var received = new MemoryStream();
        var buffer = new byte[8 * 1024];
        try
        {
            for (var reads = 0; reads < 1_000; reads++)
            {
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
                if (read == 0)
                {
                    break;
                }

                received.Write(buffer, 0, read);
            }
        }
        catch (SocketException)
        {
            // A reset after the answer: what was read stands.
        }

        var text = Encoding.UTF8.GetString(received.ToArray());
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = end < 0 ? text : text[..end];
        var status = head.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) && head.Length >= 12
            && int.TryParse(head.AsSpan(9, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var code)
                ? code
                : (int?)null;
        return new Answer(status, head, end < 0 ? "" : text[(end + 4)..]);
    }
}
