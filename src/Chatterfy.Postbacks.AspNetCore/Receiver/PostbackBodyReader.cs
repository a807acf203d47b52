using System.Buffers;
using System.Text;
using Chatterfy.Postbacks.AspNetCore.Http;
using Chatterfy.Postbacks.Ingestion;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Chatterfy.Postbacks.AspNetCore.Receiver;

/// <summary>
/// Reads a postback body as text with the library's own 16 KiB limit, whatever the server's limits (TestServer has none):
/// a declared <c>Content-Length</c> over the limit is refused before reading, and a body without one is read up to one
/// byte past the limit, through <see cref="RequestBody"/>.
/// </summary>
internal static class PostbackBodyReader
{
    public const int Limit = PostbackRequest.MaxBodyBytes;

    /// <summary>
    /// Reads the body; <c>Unreadable</c> is the problem to answer when the client broke it (see <see cref="RequestBody"/>).
    /// </summary>
    public static async ValueTask<(bool TooLarge, string? Body, ProblemHttpResult? Unreadable)> ReadAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.ContentLength is { } declared && declared > Limit)
        {
            return (true, null, null);
        }

        if (request.ContentLength == 0)
        {
            return (false, null, null);
        }

        var (read, unreadable) = await RequestBody.ReadAsync(context, Limit, ReadTextAsync).ConfigureAwait(false);
        return (read.TooLarge, read.Body, unreadable);
    }

    private static async ValueTask<(bool TooLarge, string? Body)> ReadTextAsync(int limit, Stream body, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(limit + 1);
        try
        {
            var total = 0;
            while (total <= limit)
            {
                var read = await body.ReadAsync(buffer.AsMemory(total, limit + 1 - total), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }

            if (total > limit)
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
