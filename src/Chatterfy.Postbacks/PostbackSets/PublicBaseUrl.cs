namespace Chatterfy.Postbacks.PostbackSets;

/// <summary>Validates the public base URL of the receiver.</summary>
internal static class PublicBaseUrl
{
    /// <summary>Returns why <paramref name="value"/> cannot be a base URL, or <see langword="null"/> when it can.</summary>
    public static string? Validate(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return $"The public base URL '{value}' must be an absolute http or https URL, e.g. https://pb.example.com.";
        }

        if (value.Contains('?', StringComparison.Ordinal) || value.Contains('#', StringComparison.Ordinal))
        {
            return $"The public base URL '{value}' must not have a query or fragment: networks such as Binomo append their own query.";
        }

        return null;
    }
}
