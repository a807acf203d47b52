using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Chatterfy.Postbacks.AspNetCore.Http;

/// <summary>
/// Writes the receiver's 200 body, <see cref="PostbackResultResponse"/>, the answer to nearly every postback. The
/// package's serializer options (the relaxed encoder) rule out System.Text.Json's generated fast path, and the metadata
/// path allocates its stack of frames and a writer per response; this writes the same JSON with one
/// <see cref="Utf8JsonWriter"/> per thread straight into the response pipe. A test pins its output to the serializer's.
/// </summary>
internal static class PostbackResultJson
{
    private static readonly JsonEncodedText Status = JsonEncodedText.Encode("status");
    private static readonly JsonEncodedText ConversionId = JsonEncodedText.Encode("conversionId");
    private static readonly JsonEncodedText Warnings = JsonEncodedText.Encode("warnings");
    private static readonly JsonEncodedText Code = JsonEncodedText.Encode("code");
    private static readonly JsonEncodedText Message = JsonEncodedText.Encode("message");
    private static readonly JsonEncodedText Field = JsonEncodedText.Encode("field");
    private static readonly JsonEncodedText DepositNumber = JsonEncodedText.Encode("depositNumber");
    private static readonly JsonEncodedText ConversionStatus = JsonEncodedText.Encode("conversionStatus");

    // Used only between Reset and Flush below, with no await in between, so one per thread is safe.
    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public static Task WriteAsync(HttpContext context, PostbackResultResponse value)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = JsonBody.ContentType;
        var pipe = response.BodyWriter;
        Write(pipe, value);
        return FlushAsync(pipe, context.RequestAborted);
    }

    /// <summary>Writes <paramref name="value"/> as the serializer would with <see cref="ChatterfyJson.Context"/>.</summary>
    public static void Write(System.Buffers.IBufferWriter<byte> destination, PostbackResultResponse value)
    {
        var writer = t_writer ??= new Utf8JsonWriter(destination, new JsonWriterOptions
        {
            Encoder = ChatterfyJson.Context.Options.Encoder,
            SkipValidation = true,
        });
        writer.Reset(destination);
        try
        {
            writer.WriteStartObject();
            writer.WriteString(Status, value.Status);
            writer.WriteString(ConversionId, value.ConversionId);
            writer.WriteStartArray(Warnings);
            foreach (var warning in value.Warnings)
            {
                writer.WriteStartObject();
                writer.WriteString(Code, warning.Code);
                writer.WriteString(Message, warning.Message);
                if (warning.Field is not null)
                {
                    writer.WriteString(Field, warning.Field);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            if (value.DepositNumber is { } number)
            {
                writer.WriteNumber(DepositNumber, number);
            }

            if (value.ConversionStatus is { } status)
            {
                writer.WriteString(ConversionStatus, status);
            }

            writer.WriteEndObject();
            writer.Flush();
        }
        finally
        {
            // Drop the reference to the response's pipe.
            writer.Reset(Stream.Null);
        }
    }

    private static async Task FlushAsync(PipeWriter pipe, CancellationToken cancellationToken) =>
        await pipe.FlushAsync(cancellationToken).ConfigureAwait(false);
}
