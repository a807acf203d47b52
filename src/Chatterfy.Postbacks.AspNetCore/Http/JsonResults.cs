using System.Reflection;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace Chatterfy.Postbacks.AspNetCore.Http;

/// <summary>
/// A 200 JSON response written with the package's own serializer metadata, so that the host's JSON options (naming
/// policy, ignore conditions) cannot change the documented contract. Describes itself to OpenAPI.
/// </summary>
/// <typeparam name="T">The body type.</typeparam>
internal sealed class JsonOk<T>(T value, JsonTypeInfo<T> typeInfo) : IResult, IEndpointMetadataProvider, IStatusCodeHttpResult, IValueHttpResult<T>
{
    public T Value { get; } = value;

    public int? StatusCode => StatusCodes.Status200OK;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);

        // The receiver's answer, written for every postback, has its own allocation-free writer (same JSON).
        if (Value is PostbackResultResponse result)
        {
            return PostbackResultJson.WriteAsync(httpContext, result);
        }

        httpContext.Response.StatusCode = StatusCodes.Status200OK;
        return httpContext.Response.WriteAsJsonAsync(Value, typeInfo, JsonBody.ContentType);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ResponseTypeMetadata(StatusCodes.Status200OK, typeof(T), JsonBody.MediaType));
    }
}

/// <summary>A 201 JSON response with a <c>Location</c> header; see <see cref="JsonOk{T}"/>.</summary>
/// <typeparam name="T">The body type.</typeparam>
internal sealed class JsonCreated<T>(string location, T value, JsonTypeInfo<T> typeInfo) : IResult, IEndpointMetadataProvider, IStatusCodeHttpResult, IValueHttpResult<T>
{
    public string Location { get; } = location;

    public T Value { get; } = value;

    public int? StatusCode => StatusCodes.Status201Created;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Response.StatusCode = StatusCodes.Status201Created;
        httpContext.Response.Headers.Location = Location;
        return httpContext.Response.WriteAsJsonAsync(Value, typeInfo, JsonBody.ContentType);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ResponseTypeMetadata(StatusCodes.Status201Created, typeof(T), JsonBody.MediaType));
    }
}

/// <summary>A 202 JSON response: the request was accepted and will be acted on later; see <see cref="JsonOk{T}"/>.</summary>
/// <typeparam name="T">The body type.</typeparam>
internal sealed class JsonAccepted<T>(T value, JsonTypeInfo<T> typeInfo) : IResult, IEndpointMetadataProvider, IStatusCodeHttpResult, IValueHttpResult<T>
{
    public T Value { get; } = value;

    public int? StatusCode => StatusCodes.Status202Accepted;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Response.StatusCode = StatusCodes.Status202Accepted;
        return httpContext.Response.WriteAsJsonAsync(Value, typeInfo, JsonBody.ContentType);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ResponseTypeMetadata(StatusCodes.Status202Accepted, typeof(T), JsonBody.MediaType));
    }
}

internal static class JsonBody
{
    public const string MediaType = "application/json";
    public const string ContentType = "application/json; charset=utf-8";
}
