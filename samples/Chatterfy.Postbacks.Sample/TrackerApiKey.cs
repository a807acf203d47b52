using System.Security.Cryptography;
using System.Text;

namespace Chatterfy.Postbacks.Sample;

/// <summary>
/// The sample's own protection of the tracker API: every request must carry <c>X-Api-Key</c> equal to
/// <c>Tracker:ApiKey</c>. A real host would use its authentication scheme and <c>RequireAuthorization</c>.
/// </summary>
internal sealed class TrackerApiKey(string key) : IEndpointFilter
{
    public const string HeaderName = "X-Api-Key";

    private readonly byte[] _expected = Encoding.UTF8.GetBytes(key);

    public string Value { get; } = key;

    public static TrackerApiKey FromConfiguration(IConfiguration configuration, out bool generated)
    {
        var configured = configuration["Tracker:ApiKey"];
        generated = string.IsNullOrWhiteSpace(configured);
        return new TrackerApiKey(generated ? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) : configured!);
    }

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var presented = context.HttpContext.Request.Headers[HeaderName].ToString();

        // Fixed-time comparison, so the key cannot be guessed byte by byte from response times.
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), _expected)
            ? next(context)
            : ValueTask.FromResult<object?>(TypedResults.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Missing or wrong API key",
                detail: $"Send the tracker API key in the {HeaderName} header."));
    }
}
