using Microsoft.AspNetCore.Http.Metadata;

namespace Chatterfy.Postbacks.AspNetCore.Http;

/// <summary>Describes one response of an endpoint for OpenAPI (the framework's own type is internal).</summary>
internal sealed class ResponseTypeMetadata(int statusCode, Type? type, params string[] contentTypes) : IProducesResponseTypeMetadata
{
    public Type? Type { get; } = type;

    public int StatusCode { get; } = statusCode;

    public string? Description => null;

    public IEnumerable<string> ContentTypes { get; } = contentTypes;
}
