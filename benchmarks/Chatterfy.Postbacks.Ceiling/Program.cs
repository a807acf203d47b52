// The ceiling of benchmarks/ingest.sh: the same route shape, host defaults and response shape as the sample receiver,
// without parsing, storage or telemetry. The handler reads the query (as the receiver's first step does) and answers
// 200 with a small JSON body like the receiver's "accepted".
using System.Text.Json;
using System.Text.Json.Serialization;
using Chatterfy.Postbacks.Ceiling;

var builder = WebApplication.CreateBuilder(args);
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, CeilingJson.Default));

var app = builder.Build();

app.MapMethods("/api/postbacks/{token}/{event}", ["GET", "POST"], (HttpRequest request, string token) =>
{
    // Touch every parameter, like a parser would, and echo the click id's length so the work cannot be skipped.
    var query = request.Query;
    var clickId = query["clickid"].ToString();
    return TypedResults.Ok(new CeilingResponse("accepted", token.Length + clickId.Length + query.Count, []));
});

app.Run();

namespace Chatterfy.Postbacks.Ceiling
{
    /// <summary>The answer, shaped like the receiver's 200 body.</summary>
    /// <param name="Status">Always <c>accepted</c>.</param>
    /// <param name="Work">A number derived from the request, so the query is really read.</param>
    /// <param name="Warnings">Always empty.</param>
    internal sealed record CeilingResponse(string Status, int Work, string[] Warnings);

    /// <summary>Source-generated JSON, as the receiver's own responses use.</summary>
    [JsonSerializable(typeof(CeilingResponse))]
    [JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
    internal sealed partial class CeilingJson : JsonSerializerContext;
}
