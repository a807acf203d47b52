using System.Buffers;
using System.Text;
using Chatterfy.Postbacks.Ingestion;
using Microsoft.AspNetCore.Http;

namespace Chatterfy.Postbacks.AspNetCore.Receiver;

/// <summary>
/// Reads a postback body as text with the library's own 16 KiB limit, whatever the server's limits (TestServer has none):
/// a declared <c>Content-Length</c> over the limit is refused before reading, and a body without one is read up to one
/// byte past the limit.
/// </summary>
internal static class PostbackBodyReader
{
    public const int Limit = PostbackRequest.MaxBodyBytes;

    public static async ValueTask<(bool TooLarge, string? Body)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } declared && declared > Limit)
        {
            return (true, null);
        }

        if (request.ContentLength == 0)
        {
            return (false, null);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(Limit + 1);
        try
        {
            var total = 0;
            while (total <= Limit)
            {
                var read = await request.Body.ReadAsync(buffer.AsMemory(total, Limit + 1 - total), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }

            if (total > Limit)
            {
                return (true, null);
            }

            if (total == 0)
            {
                return (false, null);
            }

            // Invalid UTF-8 becomes U+FFFD rather than failing: the parser and the log see what could be read.
            var bytes = buffer.AsSpan(0, total);
            if (bytes.StartsWith(Encoding.UTF8.Preamble))
            {
                bytes = bytes[Encoding.UTF8.Preamble.Length..];
            }

            return (false, Encoding.UTF8.GetString(bytes));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
